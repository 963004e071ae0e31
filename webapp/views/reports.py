"""PDF reports: an assessment's recommendations for its own organisation, a country's baseline for anyone."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask_babel import gettext as _

from tipkb.assess.followup_store import followups
from tipkb.facts.profile import UnknownCountryError
from tipkb.i18n import LANGUAGES
from tipkb.report import GROUPINGS
from tipkb.report.cache import assessment_report, baseline_report
from tipkb.report.options import ChoiceError, parse_ranks

from ..access import checked_answers, owned
from ..auth import login_required
from ..db import get_questionnaire, get_store
from ..evidence import listing
from ..i18n import current_language
from ..kb import get_kb

bp = Blueprint("reports", __name__)
LANGS = LANGUAGES


def _choices(*, contact: bool) -> dict:
    """Read ?lang= (default: the page language), ?group= (default: by pillar), ?only=1,2,5 and ?contact=; 400 if bad."""
    page = current_language()
    lang = request.args.get("lang") or (page if page in LANGS else LANGS[0])
    group = request.args.get("group") or GROUPINGS[0]
    if lang not in LANGS:
        abort(400, description=_("The report's language (lang) must be one of %(languages)s.",
                                 languages=", ".join(LANGS)))
    if group not in GROUPINGS:
        abort(400, description=_("The report's grouping (group) must be pillar or stakeholder."))
    # ?only=1,2,5, or one ?only= per chosen recommendation (checkboxes); none or blank: every recommendation
    only = ",".join(v for v in request.args.getlist("only") if v.strip())
    try:
        choices = {"lang": lang, "group_by": group, "only": parse_ranks(only) if only else None}
    except ChoiceError as e:
        abort(400, description=_problem(e))
    if contact:
        choices["contact"] = request.args.get("contact")
    return choices


def _problem(e: ChoiceError) -> str:
    """Word a report choice the report cannot use, in the page language."""
    if e.code == "only-unknown":
        return _("This report has no recommendation numbered %(ranks)s; its recommendations are numbered 1 to "
                 "%(last)s.", ranks=", ".join(map(str, e.params["ranks"])), last=e.params["last"])
    if e.code == "contact-long":
        return _("The contact text can be at most %(limit)s characters long; it has %(length)s.", **e.params)
    return _("Choose recommendations by their numbers, separated by commas (for example 1,2,5).")


def _pdf(data: bytes, filename: str, *, private: bool) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # An assessment's report holds the organisation's answers: no shared cache may keep it.
    response.headers["Cache-Control"] = "private, no-store" if private else "public, max-age=300"
    return response


@bp.get("/assessments/<int:assessment_id>/report.pdf")
@login_required
def assessment_pdf(assessment_id: int):
    assessment = owned(assessment_id)  # 404 for another organisation's assessment, before anything is read
    choices = _choices(contact=True)
    try:
        pdf = assessment_report(get_kb(), get_questionnaire(), assessment, lambda: checked_answers(assessment),
                                **choices, evidence=listing(assessment),
                                followups=followups(get_store(), assessment.id) if assessment.read_only else None)
    except ChoiceError as e:
        abort(400, description=_problem(e))
    return _pdf(pdf, f"tipkb-{assessment.country}-{assessment.year}-{choices['lang']}.pdf", private=True)


@bp.get("/countries/<code>/report.pdf")
def country_pdf(code: str):
    # No ?contact= on a public report: a shared link would print anyone's text on this site's cover.
    choices = _choices(contact=False)
    try:
        pdf = baseline_report(get_kb(), code, **choices)
    except UnknownCountryError:
        abort(404)
    except ChoiceError as e:
        abort(400, description=_problem(e))
    return _pdf(pdf, f"tipkb-{code.strip().upper()}-baseline-{choices['lang']}.pdf", private=False)

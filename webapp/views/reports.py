"""PDF reports: an assessment's recommendations for its own organisation, a country's baseline for anyone."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from tipkb.facts.profile import UnknownCountryError
from tipkb.recommend.results import kept_results
from tipkb.report import GROUPINGS, baseline_inputs, typeset_report
from tipkb.report.inputs import report_options

from ..access import checked_answers, owned
from ..auth import login_required
from ..db import get_questionnaire
from ..i18n import current_language
from ..kb import get_kb

bp = Blueprint("reports", __name__)


def _choices() -> dict[str, str]:
    """Read ?lang= (default: the page language) and ?group= (default: by pillar)."""
    lang = request.args.get("lang")
    group = request.args.get("group")
    return {"lang": lang if lang in ("en", "ru") else current_language(),
            "group_by": group if group in GROUPINGS else GROUPINGS[0]}


def _pdf(data: bytes, filename: str, *, private: bool) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # An assessment's report holds the organisation's answers: no shared cache may keep it.
    response.headers["Cache-Control"] = "private, no-store" if private else "public, max-age=300"
    return response


@bp.get("/assessments/<int:assessment_id>/report.pdf")
@login_required
def assessment_pdf(assessment_id: int):
    assessment = owned(assessment_id)  # 404 for another organisation's assessment
    choices = _choices()
    kb = get_kb()
    results = kept_results(kb, get_questionnaire(), assessment, lambda: checked_answers(assessment))
    pdf = typeset_report(kb, results.recommendations, status=assessment.status, **report_options(kb, results),
                            **choices)
    name = f"tipkb-{assessment.country}-{assessment.year}-{choices['lang']}.pdf"
    return _pdf(pdf, name, private=True)


@bp.get("/countries/<code>/report.pdf")
def country_pdf(code: str):
    kb = get_kb()
    try:
        rs, options = baseline_inputs(kb, code)
    except UnknownCountryError:
        abort(404)
    choices = _choices()
    pdf = typeset_report(kb, rs, **options, **choices)
    return _pdf(pdf, f"tipkb-{options['profile']['code']}-baseline-{choices['lang']}.pdf", private=False)

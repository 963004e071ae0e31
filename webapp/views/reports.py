"""PDF reports: an assessment's recommendations for its own organisation, a country's baseline for anyone."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from tipkb.facts.profile import UnknownCountryError, country_profile
from tipkb.report import GROUPINGS, baseline_inputs, render_report_pdf

from ..auth import login_required
from ..db import get_questionnaire
from ..i18n import current_language
from ..kb import get_kb
from ..recommendations import FILTERS
from .assessments import owned
from .results import assessment_results

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
    data = assessment_results(assessment, dict.fromkeys(FILTERS))
    try:
        profile = country_profile(kb, assessment.country)
    except UnknownCountryError:
        profile = None
    pdf = render_report_pdf(kb, data["recommendations"], scores=data["scores"], answers=assessment.answers,
                            notes=assessment.notes, questionnaire=get_questionnaire(), profile=profile,
                            organisation=assessment.organisation, year=assessment.year, status=assessment.status,
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
    pdf = render_report_pdf(kb, rs, **options, **choices)
    return _pdf(pdf, f"tipkb-{options['profile']['code']}-baseline-{choices['lang']}.pdf", private=False)

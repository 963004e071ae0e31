"""An assessment's results: pillar scores and chart, completeness, recommendations, and changes since the last one."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from tipkb.assess.answers import check_answers
from tipkb.assess.comparison import compare, previous_assessment
from tipkb.assess.scoring import score_answers
from tipkb.facts.catalogue import facets
from tipkb.facts.countries import list_countries
from tipkb.report.charts import pillar_chart

from ..auth import current_user, login_required
from ..db import get_questionnaire, get_store
from ..i18n import current_language, pick
from ..kb import get_kb
from ..recommendations import read_filters, recommend
from .assessments import owned

bp = Blueprint("results", __name__, url_prefix="/assessments")


def assessment_results(assessment, filters: dict[str, str | None]) -> dict:
    """Score an assessment, run the engine on its answers and compare it with the previous one."""
    questionnaire = get_questionnaire()
    scores = score_answers(questionnaire, assessment.answers)
    answers = check_answers(questionnaire, assessment.answers, assessment.notes,
                            meta={"country": assessment.country, "year": assessment.year,
                                  "organisation": assessment.organisation}).answers
    earlier = previous_assessment(get_store().list_for_organisation(assessment.organisation), assessment)
    comparison = compare(questionnaire, earlier, assessment) if earlier else None
    result = recommend(get_kb(), country=assessment.country, answers=answers, **filters)
    return {"scores": scores, "comparison": comparison, "recommendations": result}


@bp.get("/<int:assessment_id>/results")
@login_required
def show(assessment_id: int):
    assessment = owned(assessment_id)
    options = facets(get_kb())
    chosen = read_filters(request.args, options)
    data = assessment_results(assessment, chosen)
    questionnaire = get_questionnaire()
    lang = current_language()
    before = {p.pillar: p.before for p in data["comparison"].pillars} if data["comparison"] else {}
    chart = pillar_chart([(pick(p.label, lang), data["scores"].pillar(p.code).score, before.get(p.code))
                          for p in questionnaire.pillars], lang)
    country = {c.code: c.label for c in list_countries(get_kb(), lang)}.get(assessment.country, assessment.country)
    return render_template("results/show.html", a=assessment, q=questionnaire, chart=chart, facets=options,
                           chosen=chosen, country=country, user=current_user, **data)

"""An assessment's results: pillar scores and chart, completeness, recommendations, and changes since the last one."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from tipkb.facts.catalogue import facets
from tipkb.facts.countries import list_countries
from tipkb.recommend.results import assessment_results
from tipkb.report.charts import pillar_chart

from ..access import checked_answers, owned, previous
from ..auth import current_user, login_required
from ..db import get_questionnaire
from ..i18n import current_language, pick
from ..kb import get_kb
from ..recommendations import read_filters

bp = Blueprint("results", __name__, url_prefix="/assessments")


@bp.get("/<int:assessment_id>/results")
@login_required
def show(assessment_id: int):
    assessment = owned(assessment_id)
    kb, questionnaire = get_kb(), get_questionnaire()
    options = facets(kb)
    chosen = read_filters(request.args, options)
    results = assessment_results(kb, questionnaire, assessment.country, checked_answers(assessment),
                                 previous(assessment), strict=False, **chosen)
    lang = current_language()
    before = {p.pillar: p.before for p in results.comparison.pillars} if results.comparison else {}
    chart = pillar_chart([(pick(p.label, lang), results.scores.pillar(p.code).score, before.get(p.code))
                          for p in questionnaire.pillars], lang)
    country = {c.code: c.label for c in list_countries(kb, lang)}.get(assessment.country, assessment.country)
    return render_template("results/show.html", a=assessment, q=questionnaire, chart=chart, facets=options,
                           chosen=chosen, country=country, user=current_user, scores=results.scores,
                           comparison=results.comparison, recommendations=results.recommendations)

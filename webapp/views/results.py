"""An assessment's results: pillar scores and chart, completeness, recommendations, and changes since the last one."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from tipkb.assess.storage import Assessment
from tipkb.facts.catalogue import Facets, facets
from tipkb.facts.countries import list_countries
from tipkb.recommend.results import assessment_key, kept_results
from tipkb.report.charts import pillar_chart

from ..access import checked_answers, owned, previous
from ..auth import login_required
from ..db import get_questionnaire
from ..fragments import assessment_page
from ..i18n import current_language, pick
from ..kb import get_kb
from ..recommendations import read_filters

bp = Blueprint("results", __name__, url_prefix="/assessments")


@bp.get("/<int:assessment_id>/results")
@login_required
def show(assessment_id: int):
    assessment = owned(assessment_id)  # first: another organisation's assessment is a 404, never a kept page
    earlier = previous(assessment)
    options = facets(get_kb())
    chosen = read_filters(request.args, options)
    key = (assessment_key(assessment, earlier), *chosen.items())
    return assessment_page(key, "results/show.html", lambda: _page(assessment, earlier, options, chosen))


def _page(assessment: Assessment, earlier: Assessment | None, options: Facets, chosen: dict) -> dict[str, Any]:
    """Return what the results page shows: it comes from the assessment, the one before it and the KB alone."""
    kb, questionnaire = get_kb(), get_questionnaire()
    results = kept_results(kb, questionnaire, assessment, lambda: checked_answers(assessment), earlier,
                           strict=False, **chosen)
    lang = current_language()
    before = {p.pillar: p.before for p in results.comparison.pillars} if results.comparison else {}
    chart = pillar_chart([(pick(p.label, lang), results.scores.pillar(p.code).score, before.get(p.code))
                          for p in questionnaire.pillars], lang)
    country = {c.code: c.label for c in list_countries(kb, lang)}.get(assessment.country, assessment.country)
    return dict(a=assessment, q=questionnaire, chart=chart, facets=options, chosen=chosen, country=country,
                scores=results.scores, comparison=results.comparison, recommendations=results.recommendations)

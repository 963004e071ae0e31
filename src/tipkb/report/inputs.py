"""A report's inputs: an assessment's results (or a country's baseline) with the country profile that goes with them."""

from __future__ import annotations

from typing import Any

from tipkb.assess.answers import ValidatedAnswers
from tipkb.assess.questionnaire import Questionnaire
from tipkb.facts.profile import country_profile
from tipkb.recommend.engine import recommend
from tipkb.recommend.model import RecommendationSet
from tipkb.recommend.results import AssessmentResults, assessment_results
from tipkb.store.kb import KnowledgeBase


def report_options(kb: KnowledgeBase, results: AssessmentResults) -> dict[str, Any]:
    """Return the report options of an assessment's results: scores, answers, questionnaire and country profile."""
    rs = results.recommendations
    # A country the KB does not know (rs.country is None) has no profile, hence no legal snapshot.
    return {"scores": results.scores, "answers": results.answers, "questionnaire": results.questionnaire,
            "profile": country_profile(kb, rs.country) if rs.country else None}


def assessment_inputs(kb: KnowledgeBase, questionnaire: Questionnaire, answers: ValidatedAnswers,
                      country: str | None = None) -> tuple[RecommendationSet, dict[str, Any]]:
    """Return an assessment's recommendations and the report options that go with them (scores, profile…)."""
    results = assessment_results(kb, questionnaire, country, answers)
    return results.recommendations, report_options(kb, results)


def baseline_inputs(kb: KnowledgeBase, country: str) -> tuple[RecommendationSet, dict[str, Any]]:
    """Return a country's baseline recommendations (KB facts alone) and its profile as report options."""
    profile = country_profile(kb, country)
    return recommend(kb, country=profile["code"]), {"profile": profile}

"""Gather a report's inputs: an assessment's answers (or a country alone) scored, recommended and profiled."""

from __future__ import annotations

from typing import Any

from tipkb.assess.answers import ValidatedAnswers
from tipkb.assess.questionnaire import Questionnaire
from tipkb.assess.scoring import score_answers
from tipkb.facts.profile import UnknownCountryError, country_profile
from tipkb.recommend.engine import RecommendationSet, recommend
from tipkb.store.kb import KnowledgeBase


def assessment_inputs(kb: KnowledgeBase, questionnaire: Questionnaire, answers: ValidatedAnswers,
                      country: str | None = None) -> tuple[RecommendationSet, dict[str, Any]]:
    """Return an assessment's recommendations and the report options that go with them (scores, profile…)."""
    code = (country or answers.country or "").strip().upper() or None
    rs = recommend(kb, country=code, answers=answers)
    try:
        profile = country_profile(kb, code) if code else None
    except UnknownCountryError:  # answers for a country the KB does not know: no legal snapshot
        profile = None
    return rs, {"scores": score_answers(questionnaire, answers), "answers": answers,
                "questionnaire": questionnaire, "profile": profile}


def baseline_inputs(kb: KnowledgeBase, country: str) -> tuple[RecommendationSet, dict[str, Any]]:
    """Return a country's baseline recommendations (KB facts alone) and its profile as report options."""
    profile = country_profile(kb, country)
    return recommend(kb, country=profile["code"]), {"profile": profile}

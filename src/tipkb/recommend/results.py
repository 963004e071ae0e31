"""An assessment's results, assembled once for every front end: scores, revealed gaps, recommendations, changes."""

from __future__ import annotations

from dataclasses import dataclass

from tipkb.assess.answers import ValidatedAnswers
from tipkb.assess.comparison import Comparison, compare
from tipkb.assess.questionnaire import Questionnaire
from tipkb.assess.scoring import RevealedGap, Scores, revealed_gaps, score_answers
from tipkb.assess.storage import Assessment
from tipkb.recommend.engine import recommend
from tipkb.recommend.model import RecommendationSet
from tipkb.store.kb import KnowledgeBase


@dataclass(frozen=True)
class AssessmentResults:
    """What an assessment's answers come to: scores, revealed gaps, recommendations, changes since the last one."""

    questionnaire: Questionnaire
    answers: ValidatedAnswers
    scores: Scores
    gaps: tuple[RevealedGap, ...]
    recommendations: RecommendationSet
    comparison: Comparison | None = None


def assessment_results(kb: KnowledgeBase, questionnaire: Questionnaire, country: str | None,
                       answers: ValidatedAnswers, previous: Assessment | None = None, *,
                       stakeholder: str | None = None, pillar: str | None = None, horizon: str | None = None,
                       top: int | None = None, strict: bool = True) -> AssessmentResults:
    """Return an assessment's results; `country` None means the answers' own country.

    The filters and `strict` go to the engine (see `recommend`); scores and gaps cover every answer.
    """
    rs = recommend(kb, country=country, answers=answers, stakeholder=stakeholder, pillar=pillar, horizon=horizon,
                   top=top, strict=strict)
    return AssessmentResults(
        questionnaire=questionnaire, answers=answers, scores=score_answers(questionnaire, answers),
        gaps=tuple(revealed_gaps(questionnaire, answers)), recommendations=rs,
        comparison=compare(questionnaire, previous, answers.values) if previous is not None else None)

"""Compare two assessments of the same country: what changed in the scores, the answers and the gaps they reveal."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tipkb.assess.questionnaire import Questionnaire
from tipkb.assess.scoring import revealed_gaps, score_answers
from tipkb.assess.storage import Assessment


@dataclass(frozen=True)
class ScoreChange:
    """One pillar's score (percent) before and after; None where nothing scorable was answered."""

    pillar: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class AnswerChange:
    """A question whose answer differs; None means unanswered or not asked."""

    question: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Comparison:
    """What changed from an earlier assessment to a later one; gaps are IRIs, in questionnaire order."""

    previous_id: int
    previous_year: int
    overall: ScoreChange
    pillars: tuple[ScoreChange, ...]
    answers: tuple[AnswerChange, ...]
    closed_gaps: tuple[str, ...] = ()  # revealed by the earlier answers, no longer by the later ones
    new_gaps: tuple[str, ...] = ()  # revealed by the later answers only


def compare(questionnaire: Questionnaire, before: Assessment, after: Mapping[str, Any] | Assessment,
            year: int | None = None) -> Comparison:
    """Compare an earlier assessment with later answers (of `year`): overall and pillar scores, every changed answer."""
    later = after.answers if isinstance(after, Assessment) else after
    year = after.year if isinstance(after, Assessment) else year
    old, new = score_answers(questionnaire, before.answers, before.year), score_answers(questionnaire, later, year)
    pillars = tuple(ScoreChange(p.pillar, p.score, new.pillar(p.pillar).score if new.pillar(p.pillar) else None)
                    for p in old.pillars)
    old_asked, new_asked = questionnaire.asked(before.answers), questionnaire.asked(later)
    changes = []
    for q in questionnaire.questions:
        a = before.answers.get(q.code) if old_asked.get(q.code) else None
        b = later.get(q.code) if new_asked.get(q.code) else None
        if a != b:
            changes.append(AnswerChange(q.code, a, b))
    gaps_before = dict.fromkeys(g.gap for g in revealed_gaps(questionnaire, before.answers, before.year))
    gaps_after = dict.fromkeys(g.gap for g in revealed_gaps(questionnaire, later, year))
    return Comparison(before.id, before.year, ScoreChange("overall", old.overall, new.overall), pillars, tuple(changes),
                      tuple(g for g in gaps_before if g not in gaps_after),
                      tuple(g for g in gaps_after if g not in gaps_before))

"""Score answers per pillar and overall, and list the gaps weak answers reveal (method: docs/assessment.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from tipkb.assess.answers import ValidatedAnswers
from tipkb.assess.questionnaire import CHOICE_TYPES, DONT_KNOW, NUMERIC_TYPES, Question, Questionnaire

# Lower bounds of the rating bands, in percent; below the last bound is E.
BANDS = (("A", 80.0), ("B", 60.0), ("C", 40.0), ("D", 20.0))
LOWEST_BAND = "E"


@dataclass(frozen=True)
class QuestionScore:
    """How one question counts: asked or skipped, answered, "don't know", its score (0–1) and any cap."""

    code: str
    pillar: str
    asked: bool
    answered: bool = False
    dont_know: bool = False
    score: float | None = None
    cap: float | None = None


@dataclass(frozen=True)
class PillarScore:
    """One pillar's score in percent (None when nothing scorable is answered), with the counts behind it."""

    pillar: str
    score: float | None
    uncapped: float | None
    cap: float | None
    rating: str | None
    asked: int
    answered: int
    scored: int
    dont_know: int

    @property
    def capped(self) -> bool:
        return self.cap is not None and self.uncapped is not None and self.uncapped > self.cap


@dataclass(frozen=True)
class Scores:
    """Pillar scores, the overall score and rating, "don't know" counts and completeness (percent)."""

    questionnaire: str
    pillars: tuple[PillarScore, ...]
    overall: float | None
    rating: str | None
    asked: int
    answered: int
    dont_know: int
    completeness: float
    questions: Mapping[str, QuestionScore] = field(default_factory=dict)

    def pillar(self, code: str) -> PillarScore | None:
        """Return one pillar's score, or None if the questionnaire has no such pillar."""
        return next((p for p in self.pillars if p.pillar == code), None)

    def as_dict(self) -> dict[str, Any]:
        """Return the scores as plain JSON-ready values, percentages rounded to one decimal."""
        return {
            "questionnaire": self.questionnaire,
            "overall": _round(self.overall), "rating": self.rating,
            "completeness": _round(self.completeness),
            "asked": self.asked, "answered": self.answered, "dont_know": self.dont_know,
            "pillars": {p.pillar: {"score": _round(p.score), "rating": p.rating, "uncapped": _round(p.uncapped),
                                   "cap": _round(p.cap), "capped": p.capped, "asked": p.asked,
                                   "answered": p.answered, "scored": p.scored, "dont_know": p.dont_know}
                        for p in self.pillars},
        }


class RevealedGap(NamedTuple):
    """A gap revealed by an answer: the gap's IRI, the signal's weight, the question and the option chosen."""

    gap: str
    weight: float
    question: str
    option: str | None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def rating(percent: float | None) -> str | None:
    """Return the rating band (A–E) of a percentage, or None for no score."""
    if percent is None:
        return None
    return next((band for band, low in BANDS if percent >= low), LOWEST_BAND)


def _values(answers: ValidatedAnswers | Mapping[str, Any]) -> Mapping[str, Any]:
    return answers.values if isinstance(answers, ValidatedAnswers) else answers


def _year(answers: ValidatedAnswers | Mapping[str, Any], year: int | None) -> int | None:
    """Return the assessment's year: the one given, else the checked answers' own."""
    return year if year is not None or not isinstance(answers, ValidatedAnswers) else answers.year


def _chosen(question: Question, value: Any) -> list:
    values = value if isinstance(value, list) else [value]
    return [o for o in (question.option(v) for v in values if isinstance(v, str)) if o is not None]


def score_question(question: Question, value: Any, asked: bool = True, year: int | None = None) -> QuestionScore:
    """Score one answer: choices by their options' scores (the mean for several), numbers by their thresholds.

    `year` is the assessment's year, against which relative year thresholds are judged.
    """
    base = QuestionScore(question.code, question.pillar, asked)
    if not asked or value is None:
        return base
    if question.answer_type in CHOICE_TYPES:
        options = _chosen(question, value)
        if options and all(o.value == DONT_KNOW and o.score is None for o in options):
            return QuestionScore(question.code, question.pillar, True, True, dont_know=True)
        scores = [o.score for o in options if o.score is not None]
        caps = [o.cap for o in options if o.cap is not None]
        return QuestionScore(question.code, question.pillar, True, True, False,
                             sum(scores) / len(scores) if scores else None, min(caps) if caps else None)
    if question.answer_type in NUMERIC_TYPES:
        if value == DONT_KNOW:
            return QuestionScore(question.code, question.pillar, True, True, dont_know=True)
        if question.scorable_in(year) and isinstance(value, int | float):
            return QuestionScore(question.code, question.pillar, True, True, False,
                                 0.0 if question.is_weak_number(value, year) else 1.0)
    return QuestionScore(question.code, question.pillar, True, True)


def score_answers(questionnaire: Questionnaire, answers: ValidatedAnswers | Mapping[str, Any],
                  year: int | None = None) -> Scores:
    """Score answers (of an assessment of `year`, by default their own) per pillar and overall, with completeness."""
    values, year = _values(answers), _year(answers, year)
    asked = questionnaire.asked(values)
    questions = {q.code: score_question(q, values.get(q.code), asked.get(q.code, False), year)
                 for q in questionnaire.questions}
    pillars = tuple(_pillar_score(p.code, [s for s in questions.values() if s.pillar == p.code])
                    for p in questionnaire.pillars)
    scored = [p.score for p in pillars]
    overall = sum(scored) / len(scored) if scored and all(s is not None for s in scored) else None
    n_asked = sum(s.asked for s in questions.values())
    n_answered = sum(s.answered for s in questions.values())
    return Scores(questionnaire.version, pillars, overall, rating(overall), n_asked, n_answered,
                  sum(s.dont_know for s in questions.values()),
                  100.0 * n_answered / n_asked if n_asked else 0.0, questions)


def _pillar_score(code: str, items: list[QuestionScore]) -> PillarScore:
    scores = [s.score for s in items if s.score is not None]
    caps = [s.cap for s in items if s.cap is not None]
    uncapped = 100.0 * sum(scores) / len(scores) if scores else None
    cap = 100.0 * min(caps) if caps else None
    score = min(uncapped, cap) if uncapped is not None and cap is not None else uncapped
    return PillarScore(code, score, uncapped, cap, rating(score), sum(s.asked for s in items),
                       sum(s.answered for s in items), len(scores), sum(s.dont_know for s in items))


def revealed_gaps(questionnaire: Questionnaire, answers: ValidatedAnswers | Mapping[str, Any],
                  year: int | None = None) -> list[RevealedGap]:
    """List the gaps the answers to asked questions reveal in an assessment of `year` (default: the answers' own)."""
    values, year = _values(answers), _year(answers, year)
    asked = questionnaire.asked(values)
    found: list[RevealedGap] = []
    for q in questionnaire.questions:
        value = values.get(q.code)
        if value is None or not asked.get(q.code, False):
            continue
        if q.answer_type in CHOICE_TYPES:
            found += [RevealedGap(s.gap, s.weight, q.code, o.value) for o in _chosen(q, value) for s in o.signals]
        elif q.answer_type in NUMERIC_TYPES and isinstance(value, int | float) and q.is_weak_number(value, year):
            found += [RevealedGap(s.gap, s.weight, q.code, None) for s in q.signals]
    return found

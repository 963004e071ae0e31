"""An assessment's results, assembled once for every front end: scores, revealed gaps, recommendations, changes."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from tipkb.assess.answers import ValidatedAnswers
from tipkb.assess.comparison import Comparison, compare
from tipkb.assess.questionnaire import Questionnaire
from tipkb.assess.scoring import RevealedGap, Scores, revealed_gaps, score_answers
from tipkb.assess.storage import Assessment
from tipkb.recommend.engine import recommend
from tipkb.recommend.model import RecommendationSet
from tipkb.store.kb import KnowledgeBase

KEPT = 64  # assessment results and rendered pages kept per worker and KB version (up to ~0.5 MB each)
_VOLATILE = {"updated_at", "version"}  # change on a save that changes nothing the results show
T = TypeVar("T")


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
        comparison=compare(questionnaire, previous, answers.values, answers.year) if previous is not None else None)


def kept_results(kb: KnowledgeBase, questionnaire: Questionnaire, assessment: Assessment,
                 answers: Callable[[], ValidatedAnswers], previous: Assessment | None = None, *,
                 stakeholder: str | None = None, pillar: str | None = None, horizon: str | None = None,
                 top: int | None = None, strict: bool = True) -> AssessmentResults:
    """Return a stored assessment's results, computed once per content, KB version and filters (see `kept`).

    `answers` gives the assessment's checked answers; it is called only when the results are not kept.
    The caller checks access first: the key holds the assessment's id and content, never who asks.
    """
    filters = {"stakeholder": stakeholder, "pillar": pillar, "horizon": horizon, "top": top, "strict": strict}
    return kept(kb, ("assessment-results", assessment_key(assessment, previous), questionnaire.version,
                     tuple(sorted(filters.items()))),
                lambda: assessment_results(kb, questionnaire, assessment.country, answers(), previous, **filters))


def assessment_key(assessment: Assessment, previous: Assessment | None = None) -> str:
    """Return a digest of everything of an assessment (and the one it is compared with) that its results show."""
    def content(a: Assessment) -> dict[str, Any]:
        return {f.name: getattr(a, f.name) for f in dataclasses.fields(a) if f.name not in _VOLATILE}
    text = json.dumps([content(assessment), content(previous) if previous is not None else None],
                      sort_keys=True, default=_plain)
    return f"{assessment.id}:{hashlib.sha256(text.encode()).hexdigest()}"


def kept(kb: KnowledgeBase, key: Hashable, build: Callable[[], T]) -> T:
    """Return the value kept under `key` for the KB's current version, building it on a miss.

    The newest KEPT values are kept per worker, in one store that `kb.changed()` drops with the KB's
    other derived values, so a changeset landing makes every kept result stale at once.
    """
    return kb.cached("assessment-results:kept", lambda: Lru(KEPT)).get(key, build)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    if isinstance(value, Mapping):
        return dict(value)
    return str(value)


class Lru:
    """A thread-safe mapping that keeps its most recently used values up to a total weight (by default, a count)."""

    def __init__(self, size: int, weigh: Callable[[Any], int] = lambda value: 1):
        self.size = size
        self._weigh = weigh
        self._weight = 0
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
        value = build()  # outside the lock: one slow build must not hold up every other reader
        weight = self._weigh(value)
        if weight > self.size:  # kept, it would push out everything else
            return value
        with self._lock:
            if key in self._items:
                self._weight -= self._items.pop(key)[1]
            self._items[key] = (value, weight)
            self._weight += weight
            while self._weight > self.size:
                self._weight -= self._items.popitem(last=False)[1][1]
        return value

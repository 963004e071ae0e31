"""Remember the problems of stored assessments' answers, worked out once per content and questionnaire."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from typing import Any

from tipkb.assess.answers import check_answers
from tipkb.assess.problems import AnswerProblem
from tipkb.assess.questionnaire import Questionnaire

SIZE = 4096  # assessment contents remembered per store (most have no problems: a few bytes each)


class CheckedContents:
    """A thread-safe memo of stored assessments' problems for the questionnaire in use, its newest `size` kept.

    A key names one content of one assessment (its id, version counter and creation time), so a write
    makes a new key; a questionnaire edited in place (a new object) makes everything remembered stale.
    """

    def __init__(self, size: int = SIZE):
        self.size = size
        self._questionnaire: Questionnaire | None = None
        self._items: OrderedDict[Hashable, tuple[AnswerProblem, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def problems(self, questionnaire: Questionnaire, key: Hashable, version: str, values: Mapping[str, Any],
                 notes: Mapping[str, str], *, checked: bool = False) -> tuple[AnswerProblem, ...]:
        """Return what the answers of questionnaire `version` do not fit; `checked`: they just passed check_answers."""
        with self._lock:
            if self._questionnaire is questionnaire and key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        if version != questionnaire.version:
            found: tuple[AnswerProblem, ...] = (AnswerProblem(
                "stored-other-version", field="questionnaire",
                params={"version": version, "current": questionnaire.version}),
                *check_answers(questionnaire, values, notes).problems)
        else:
            found = () if checked else check_answers(questionnaire, values, notes).problems
        with self._lock:
            if self._questionnaire is not questionnaire:  # another questionnaire: what was remembered is stale
                self._questionnaire, self._items = questionnaire, OrderedDict()
            self._items[key] = found
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return found

"""Reports kept per worker: the same report asked again is the same bytes until the assessment or the KB changes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date

from tipkb.assess.answers import ValidatedAnswers
from tipkb.assess.evidence import Evidence
from tipkb.assess.followup import FollowUp
from tipkb.assess.questionnaire import Questionnaire
from tipkb.assess.storage import Assessment
from tipkb.recommend.results import Lru, assessment_key, kept_results
from tipkb.report.inputs import baseline_inputs, report_options
from tipkb.report.options import check_ranks, clean_contact
from tipkb.report.typeset import typeset_report
from tipkb.store.kb import KnowledgeBase

REPORT_BYTES = 64 * 2**20  # PDFs kept per worker and KB version; the least recently used go first


# How long a request waits for the same report that another request is typesetting before typesetting it itself: far
# longer than a report takes, short of the server's request timeout.
WAIT_SECONDS = 20.0


class _Flights:
    """Locks by report key, each kept while someone holds or awaits it: one typeset per key at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[Hashable, tuple[threading.Lock, list[int]]] = {}

    @contextmanager
    def one_at_a_time(self, key: Hashable, timeout: float) -> Iterator[None]:
        with self._lock:
            lock, users = self._keys.setdefault(key, (threading.Lock(), [0]))
            users[0] += 1
        held = lock.acquire(timeout=timeout)  # given up after `timeout`: the caller then typesets on its own
        try:
            yield
        finally:
            if held:
                lock.release()
            with self._lock:
                users[0] -= 1
                if not users[0]:
                    del self._keys[key]


_flights = _Flights()


def kept_report(kb: KnowledgeBase, key: Hashable, build: Callable[[], bytes]) -> bytes:
    """Return the report kept under `key` for the KB's current version and today's date, typesetting it on a miss.

    The store sits with the KB's derived values, so `kb.changed()` (a changeset landing) drops every report. A request
    for a report another request is typesetting waits for that one's result (up to WAIT_SECONDS) rather than
    typesetting it a second time; different reports never wait for each other.
    """
    # Today's date is in the key: the cover prints the day the report was made.
    full = (key, date.today())
    with _flights.one_at_a_time(full, WAIT_SECONDS):
        # The store is looked up once the way is clear: a changeset landed meanwhile gives a fresh one.
        return kb.cached("report:kept", lambda: Lru(REPORT_BYTES, weigh=len)).get(full, build)


def assessment_report(kb: KnowledgeBase, questionnaire: Questionnaire, assessment: Assessment,
                      answers: Callable[[], ValidatedAnswers], *, lang: str, group_by: str,
                      only: tuple[int, ...] | None = None, contact: str | None = None,
                      evidence: Mapping[str, Sequence[Evidence]] | None = None,
                      followups: Mapping[str, FollowUp] | None = None) -> bytes:
    """Return a stored assessment's report, typeset once per content, KB version and choices.

    `answers` gives the checked answers, called only when the results are not kept. The caller checks access
    first: the key holds the assessment's id and content, never who asks. Raises ChoiceError for a rank the
    results do not have or a contact too long. `evidence` (by question code) is listed in the answers annex.
    """
    contact = clean_contact(contact)
    key = ("assessment", assessment_key(assessment), questionnaire.version, lang, group_by, only, contact,
           tuple(e.id for items in (evidence or {}).values() for e in items),
           None if followups is None else tuple(sorted((c, f.version) for c, f in followups.items())))

    def build() -> bytes:
        results = kept_results(kb, questionnaire, assessment, answers)
        check_ranks(only, (r.rank for r in results.recommendations.items))
        return typeset_report(kb, results.recommendations, status=assessment.status, **report_options(kb, results),
                              lang=lang, group_by=group_by, only=only, contact=contact, evidence=evidence,
                              followups=followups)
    return kept_report(kb, key, build)


def baseline_report(kb: KnowledgeBase, country: str, *, lang: str, group_by: str,
                    only: tuple[int, ...] | None = None, contact: str | None = None) -> bytes:
    """Return a country's baseline report, typeset once per KB version and choices (raises UnknownCountryError)."""
    contact = clean_contact(contact)

    def build() -> bytes:
        rs, options = baseline_inputs(kb, country)
        check_ranks(only, (r.rank for r in rs.items))
        return typeset_report(kb, rs, **options, lang=lang, group_by=group_by, only=only, contact=contact)
    return kept_report(kb, ("baseline", country.strip().upper(), lang, group_by, only, contact), build)

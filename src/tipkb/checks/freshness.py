"""Facts by age and source strength: the rows behind `tipkb stats`, the expert work queue and the checklist."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from tipkb.checks.sources import Strength, classify
from tipkb.namespaces import KB_IRI, TIP_IRI
from tipkb.store.kb import KnowledgeBase
from tipkb.store.queries import packaged

FOCUS = ("KZ", "KG", "TJ", "TM", "UZ")
DESTINATIONS = ("RU", "TR", "AE", "IN", "KR")
STAT_YEARS = (2023, 2024, 2025)
REASONS = ("old", "secondary", "conflict")  # not updated for the latest report year, no primary source, in conflict
# A TIP report chapter: the State Department's report pages (and embassies' copies of a chapter).
TIP_REPORT_URL = re.compile(r"^https?://([^/@]*\.)?(state\.gov|usembassy\.gov)/.*trafficking-in-persons-report", re.I)
NARRATIVE_KINDS = ("DocumentedGap", "RiskGroupStatement", "ExploitationStatement")  # drawn from a report's text


@dataclass(frozen=True)
class FactRow:
    """One sourced resource with its kind, countries, as-of year, sources and their strength, and conflicts."""

    iri: str
    kind: str
    countries: tuple[str, ...]
    destinations: tuple[str, ...]
    as_of: str
    sources: tuple[Strength, ...]
    conflicts: tuple[str, ...]
    report_year: int | None = None
    indicator: str = ""

    @property
    def name(self) -> str:
        """Return the IRI's local name (kb:<name>)."""
        return self.iri.removeprefix(KB_IRI)

    @property
    def year(self) -> int | None:
        """Return the year of the as-of date, or None when it has none."""
        return int(self.as_of[:4]) if self.as_of[:4].isdigit() else None

    @property
    def primary(self) -> bool:
        """Return whether at least one source is primary."""
        return any(s.strength == "primary" for s in self.sources)

    @property
    def from_report(self) -> bool:
        """Return whether one of the fact's sources is a TIP report chapter."""
        return any(TIP_REPORT_URL.match(s.url) for s in self.sources)

    def reasons(self, outdated: set[str] | frozenset[str]) -> tuple[str, ...]:
        """Return why the fact needs an expert's look: old (in `outdated`), secondary (no primary source), conflict."""
        found = []
        if self.iri in outdated:
            found.append("old")
        if self.sources and not self.primary:
            found.append("secondary")
        if self.conflicts:
            found.append("conflict")
        return tuple(found)


def fact_rows(kb: KnowledgeBase) -> list[FactRow]:
    """Return every sourced resource of the KB as a FactRow (kept per KB version)."""
    return kb.cached("checks-fact-rows", lambda: _build_rows(kb))


def _split(value) -> tuple[str, ...]:
    return tuple(sorted(str(value).split())) if value is not None else ()


def _build_rows(kb: KnowledgeBase) -> list[FactRow]:
    rows = []
    for r in kb.select(packaged("fact-sources")):
        year = r.get("report_year")
        rows.append(FactRow(
            str(r["fact"]), str(r["class"]).removeprefix(TIP_IRI), _split(r.get("countries")),
            _split(r.get("destinations")), str(r.get("as_of", "")),
            tuple(classify(u) for u in _split(r.get("sources"))),
            _split(r.get("conflicts")), int(year) if year is not None else None, str(r.get("indicator") or "")))
    return rows


def latest_report_year(rows: list[FactRow]) -> int | None:
    """Return the latest TIP report year the KB holds a tier rating for."""
    years = [r.report_year for r in rows if r.kind == "TierRating" and r.report_year]
    return max(years) if years else None


def outdated(rows: list[FactRow]) -> frozenset[str]:
    """Return the facts a new report year updates that the KB holds only for an earlier year.

    Those are the latest tier of each country, the latest figure of each country and indicator the TIP
    report gives, and the facts drawn from the report's text, when older than the latest report year;
    earlier tiers and figures are history, not stale.
    """
    latest = latest_report_year(rows)
    if latest is None:
        return frozenset()
    reported = {(r.countries, r.indicator) for r in rows if r.kind == "StatisticObservation" and r.from_report}
    series: dict[tuple, list[FactRow]] = {}
    for r in rows:
        if r.kind == "TierRating" or (r.kind == "StatisticObservation" and (r.countries, r.indicator) in reported):
            series.setdefault((r.kind, r.countries, r.indicator), []).append(r)
    found = set()
    for members in series.values():
        last = max(m.report_year or m.year or 0 for m in members)
        if last < latest:
            found |= {m.iri for m in members if (m.report_year or m.year or 0) == last}
    found |= {r.iri for r in rows if r.kind in NARRATIVE_KINDS and r.from_report and (r.year or 0) < latest}
    return frozenset(found)


@dataclass(frozen=True)
class QueueItem:
    """A fact in the expert work queue, with the reasons it is there."""

    fact: FactRow
    reasons: tuple[str, ...]


def work_queue(rows: list[FactRow], *, country: str = "", kind: str = "",
               reasons: tuple[str, ...] = REASONS) -> list[QueueItem]:
    """Return the facts needing a look, filtered by country code, kind and reason; conflicts and oldest first."""
    stale = outdated(rows)
    items = []
    for row in rows:
        if (country and country not in row.countries + row.destinations) or (kind and row.kind != kind):
            continue
        found = tuple(r for r in row.reasons(stale) if r in reasons)
        if found:
            items.append(QueueItem(row, found))
    return sorted(items, key=lambda i: ("conflict" not in i.reasons, i.fact.year or 0, i.fact.iri))


@dataclass(frozen=True)
class Share:
    """How many of `total` facts rest on a primary source."""

    total: int
    primary: int

    @property
    def percent(self) -> float:
        return 100.0 if self.total == 0 else round(100.0 * self.primary / self.total, 1)


@dataclass(frozen=True)
class SourceStats:
    """Source strength and currency figures: primary share overall and per country, facts per year and destination."""

    primary_overall: Share
    primary_by_country: dict[str, Share]
    facts_by_country_year: dict[str, dict[int, int]]
    facts_by_destination: dict[str, int]
    secondary_only: int
    unclassified_hosts: dict[str, int] = field(default_factory=dict)


def source_stats(rows: list[FactRow]) -> SourceStats:
    """Compute the source and currency figures of `tipkb stats` from the fact rows."""
    sourced = [r for r in rows if r.sources]
    by_country = {c: [r for r in sourced if c in r.countries] for c in FOCUS}
    years = {c: {y: sum(1 for r in facts if r.year == y) for y in STAT_YEARS} for c, facts in by_country.items()}
    dest = {c: sum(1 for r in rows if c in r.countries or c in r.destinations) for c in DESTINATIONS}
    hosts = Counter(s.url.split("/")[2] if s.url.count("/") >= 2 else s.url
                    for r in sourced for s in r.sources if s.strength == "unclassified")
    return SourceStats(
        Share(len(sourced), sum(r.primary for r in sourced)),
        {c: Share(len(facts), sum(r.primary for r in facts)) for c, facts in by_country.items()},
        years, dest, sum(not r.primary for r in sourced), dict(hosts.most_common()))

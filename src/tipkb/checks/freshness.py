"""Facts by age and source strength: the rows behind `tipkb stats`, the expert work queue and the checklist."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tipkb.checks.sources import Strength, classify
from tipkb.namespaces import KB_IRI, TIP_IRI
from tipkb.store.kb import KnowledgeBase
from tipkb.store.queries import packaged

FOCUS = ("KZ", "KG", "TJ", "TM", "UZ")
DESTINATIONS = ("RU", "TR", "AE", "IN", "KR")
STAT_YEARS = (2023, 2024, 2025)
REASONS = ("old", "secondary", "conflict")  # older than the latest report year, no primary source, in conflict


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

    def reasons(self, latest_year: int | None) -> tuple[str, ...]:
        """Return why the fact needs an expert's look: old, secondary (no primary source), conflict."""
        found = []
        if latest_year is not None and self.year is not None and self.year < latest_year:
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
            _split(r.get("conflicts")), int(year) if year is not None else None))
    return rows


def latest_report_year(rows: list[FactRow]) -> int | None:
    """Return the latest TIP report year the KB holds a tier rating for."""
    years = [r.report_year for r in rows if r.kind == "TierRating" and r.report_year]
    return max(years) if years else None


@dataclass(frozen=True)
class QueueItem:
    """A fact in the expert work queue, with the reasons it is there."""

    fact: FactRow
    reasons: tuple[str, ...]


def work_queue(rows: list[FactRow], *, country: str = "", kind: str = "",
               reasons: tuple[str, ...] = REASONS) -> list[QueueItem]:
    """Return the facts needing a look, filtered by country code, kind and reason; conflicts and oldest first."""
    latest = latest_report_year(rows)
    items = []
    for row in rows:
        if (country and country not in row.countries + row.destinations) or (kind and row.kind != kind):
            continue
        found = tuple(r for r in row.reasons(latest) if r in reasons)
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

"""The "new report year" checklist: which facts of each country a new TIP report year should update."""

from __future__ import annotations

from dataclasses import dataclass

from tipkb.checks.freshness import FOCUS, NARRATIVE_KINDS, FactRow, fact_rows
from tipkb.store.kb import KnowledgeBase
from tipkb.store.queries import packaged

ITEM_KINDS = ("tier", "statistic", "narrative")


@dataclass(frozen=True)
class ChecklistItem:
    """One thing a new report year should update for a country; `done` when the KB already has that year."""

    country: str
    kind: str  # tier, statistic (one per indicator) or narrative (a fact drawn from a report's text)
    subject: str  # the latest fact of that kind (its IRI), or the indicator IRI for a statistic
    last_year: int | None
    done: bool
    fact: str = ""  # the latest fact itself (for a statistic, the report's latest figure of the indicator)


def cites_tip_report(row: FactRow) -> bool:
    """Return whether one of a fact's sources is a TIP report chapter."""
    return row.from_report


def report_year_checklist(kb: KnowledgeBase, report_year: int, countries: tuple[str, ...] = FOCUS
                          ) -> dict[str, list[ChecklistItem]]:
    """Return, per country, the tier, each statistic indicator and the report-derived facts a new year updates."""
    rows = fact_rows(kb)
    from_report = {r.iri for r in rows if cites_tip_report(r)}
    found = kb.select(packaged("checklist-statistics"))
    # only indicators a TIP report has given for the country, and only the report's own figures: a national
    # figure published in a later year is not the new report's figure
    stats: dict[tuple[str, str], tuple[int, str]] = {}
    for r in found:
        if str(r["fact"]) in from_report:
            key = (str(r["code"]), str(r["indicator"]))
            stats[key] = max(stats.get(key, (0, "")), (int(r["year"]), str(r["fact"])))
    out: dict[str, list[ChecklistItem]] = {}
    for code in countries:
        tiers = sorted((r.report_year or 0, r.iri) for r in rows if r.kind == "TierRating" and code in r.countries)
        last = tiers[-1] if tiers else (None, "")
        items = [ChecklistItem(code, "tier", last[1], last[0], last[0] is not None and last[0] >= report_year,
                               last[1])]
        items += [ChecklistItem(code, "statistic", indicator, year, year >= report_year, fact)
                  for (c, indicator), (year, fact) in sorted(stats.items()) if c == code]
        items += [ChecklistItem(code, "narrative", r.iri, r.year, (r.year or 0) >= report_year, r.iri)
                  for r in sorted(rows, key=lambda r: r.iri)
                  if r.kind in NARRATIVE_KINDS and code in r.countries and cites_tip_report(r)]
        out[code] = items
    return out

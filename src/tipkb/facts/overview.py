"""A country profile at a glance: a summary (tier, treaties, latest figures, gravest gaps), disagreeing records folded.

The profile keeps every record a source gives; where two sources disagree both records are there, each naming the
other in `conflicts_with`. A reader sees them as one row that says the sources differ and shows both on demand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

PARTY_STATUSES = ("ratified", "acceded")  # a country with one of these is a party to the instrument
INDICATOR_ORDER = ("victims-identified", "victims-assisted", "investigations", "prosecutions", "convictions",
                   "hotline-calls", "gsi-prevalence", "gsi-vulnerability", "gsi-government-response")
KEY_GAPS = 3  # gaps the summary names, gravest first


def fold_conflicts(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Return one row per set of records that name each other in `conflicts_with`, in the order they first come.

    Each row is {"record": the first record, "versions": every record of the set, "differ": more than one}.
    """
    records = list(records)
    by_id = {r["id"]: r for r in records}
    seen: set[str] = set()
    rows = []
    for record in records:
        if record["id"] in seen:
            continue
        versions, todo = [], [record]
        while todo:  # the records reachable through conflicts_with, either way
            current = todo.pop(0)
            if current["id"] in seen:
                continue
            seen.add(current["id"])
            versions.append(current)
            linked = [by_id.get(current.get("conflicts_with"))]
            linked += [r for r in records if r.get("conflicts_with") == current["id"]]
            todo += [r for r in linked if r is not None and r["id"] not in seen]
        rows.append({"record": record, "versions": versions, "differ": len(versions) > 1})
    return rows


def _latest(records: list[Mapping[str, Any]]) -> tuple[Mapping[str, Any], bool]:
    """Return the newest record (by the year its data describes, then its report) and whether its sources differ."""
    def when(r: Mapping[str, Any]) -> tuple[int, int]:
        return (r.get("data_year") or r["report_year"], r["report_year"])

    newest = max(records, key=when)
    return newest, bool(newest.get("conflicts_with"))


def country_overview(profile: Mapping[str, Any], instruments: int) -> dict[str, Any]:
    """Return a profile's summary and its tier, statistics and ratification rows with disagreeing records folded.

    `instruments` is how many instruments the KB tracks; the summary counts those the country is a party to.
    """
    tier = None
    if profile["tip_tiers"]:
        year = max(t["report_year"] for t in profile["tip_tiers"])
        that_year = [t for t in profile["tip_tiers"] if t["report_year"] == year]
        tier = {"tier": that_year[0]["tier"], "report_year": year,
                "differ": len({t["tier"] for t in that_year}) > 1 or any(t.get("conflicts_with") for t in that_year)}
    by_indicator: dict[str, list] = {}
    for s in profile["statistics"]:
        by_indicator.setdefault(s["indicator"], []).append(s)
    figures = []
    for indicator in sorted(by_indicator, key=lambda i: (INDICATOR_ORDER.index(i) if i in INDICATOR_ORDER
                                                         else len(INDICATOR_ORDER), i)):
        newest, differ = _latest(by_indicator[indicator])
        figures.append({"indicator": indicator, "value": newest["value"], "report_year": newest["report_year"],
                        "data_year": newest.get("data_year"), "differ": differ})
    party = {r["instrument"] for r in profile["ratifications"] if r["status"] in PARTY_STATUSES}
    return {
        "summary": {"tier": tier, "party_to": len(party), "instruments": instruments, "figures": figures,
                    "key_gaps": _distinct_gaps(profile["gaps"])[:KEY_GAPS], "gaps": len(profile["gaps"])},
        "tip_tiers": fold_conflicts(profile["tip_tiers"]),
        "statistics": fold_conflicts(profile["statistics"]),
        "ratifications": fold_conflicts(profile["ratifications"]),
    }


def _distinct_gaps(records: list[dict]) -> list[dict]:
    """Return the documented gaps in their order, one per catalogue gap (two reports may document the same gap)."""
    seen: set = set()
    return [r for r in records if not (r["gap"] in seen or seen.add(r["gap"]))]

"""Read the recommendation filters (stakeholder, pillar, horizon) of a request's query string."""

from __future__ import annotations

from collections.abc import Mapping

from tipkb.facts.catalogue import Facets

FILTERS = ("stakeholder", "pillar", "horizon")


def read_filters(args: Mapping[str, str], facets: Facets) -> dict[str, str | None]:
    """Return the stakeholder, pillar and horizon filters of a query string, keeping only known codes."""
    known = {"stakeholder": {r.code for r in facets.stakeholders}, "pillar": {r.code for r in facets.pillars},
             "horizon": {r.code for r in facets.horizons}}
    return {k: (args.get(k) if args.get(k) in known[k] else None) for k in FILTERS}

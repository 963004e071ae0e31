"""Call the recommendation engine (tipkb.recommend.engine) and read its filters from a request."""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from tipkb.facts.catalogue import Facets

FILTERS = ("stakeholder", "pillar", "horizon")


def engine():
    """Return tipkb.recommend.engine.recommend, or None while the engine is not installed."""
    try:
        from tipkb.recommend.engine import recommend
    except ImportError:
        return None
    return recommend


def read_filters(args: Mapping[str, str], facets: Facets) -> dict[str, str | None]:
    """Return the stakeholder, pillar and horizon filters of a query string, keeping only known codes."""
    known = {"stakeholder": {r.code for r in facets.stakeholders}, "pillar": {r.code for r in facets.pillars},
             "horizon": {r.code for r in facets.horizons}}
    return {k: (args.get(k) if args.get(k) in known[k] else None) for k in FILTERS}


def recommend(kb, **kwargs: Any):
    """Run the engine, or return None when it is not installed; a filter no practice uses gives an empty set."""
    run = engine()
    if run is None:
        return None
    from tipkb.recommend.engine import RecommendError

    try:
        return run(kb, **kwargs)
    except RecommendError as exc:
        if not any(kwargs.get(k) for k in FILTERS):
            raise
        why = str(exc)
        return SimpleNamespace(items=[], notes=[], used_country_facts=False, total=0,
                               as_dict=lambda: {"recommendations": [], "total": 0, "error": why})

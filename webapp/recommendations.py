"""Read the recommendation filters and grouping of a request, and the template helpers that word recommendations."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask

from tipkb.assess.scoring import BANDS, LOWEST_BAND
from tipkb.facts.catalogue import Facets
from tipkb.recommend.plain import (
    LOWEST_SEVERITY,
    LOWEST_URGENCY,
    SEVERITY_LEVELS,
    URGENCY_LEVELS,
    main_reason,
    severity_level,
    urgency_level,
)
from tipkb.report import GROUPINGS

FILTERS = ("stakeholder", "pillar", "horizon")


def read_filters(args: Mapping[str, str], facets: Facets) -> dict[str, str | None]:
    """Return the stakeholder, pillar and horizon filters of a query string, keeping only known codes."""
    known = {"stakeholder": {r.code for r in facets.stakeholders}, "pillar": {r.code for r in facets.pillars},
             "horizon": {r.code for r in facets.horizons}}
    return {k: (args.get(k) if args.get(k) in known[k] else None) for k in FILTERS}


def read_group(args: Mapping[str, str]) -> str:
    """Return how the reader groups the recommendations (?group=pillar or stakeholder; by pillar otherwise)."""
    group = args.get("group")
    return group if group in GROUPINGS else GROUPINGS[0]


def init_app(app: Flask) -> None:
    """Give the templates the levels, thresholds and reasons that word a recommendation (tipkb.recommend.plain)."""
    app.add_template_filter(urgency_level, "urgency")
    app.add_template_filter(severity_level, "severity")
    app.add_template_filter(main_reason, "main_reason")
    app.add_template_global({"urgency": URGENCY_LEVELS, "lowest_urgency": LOWEST_URGENCY,
                             "severity": SEVERITY_LEVELS, "lowest_severity": LOWEST_SEVERITY,
                             "bands": BANDS, "lowest_band": LOWEST_BAND}, "levels")

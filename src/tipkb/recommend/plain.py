"""Recommendations in plain words: urgency and severity levels, the main reason, and groups.

The thresholds live here once; each front end names the levels in its own language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tipkb.recommend.model import GapRef, Recommendation

# The least priority of each urgency level, most urgent first; a priority of 100 is one grave gap, fully
# revealed, closed by a cheap practice with strong evidence (see docs/recommendations.md).
URGENCY_LEVELS = (("urgent", 150.0), ("high", 80.0), ("medium", 40.0))
LOWEST_URGENCY = "low"
# The least severity (1–5, kb/gaps.ttl) of each severity level, gravest first.
SEVERITY_LEVELS = (("grave", 5), ("serious", 4), ("moderate", 3))
LOWEST_SEVERITY = "minor"
NEXT_STEPS = 5  # the recommendations a results page puts first


def urgency_level(priority: float) -> str:
    """Return the urgency level (urgent, high, medium, low) of a recommendation's priority."""
    return next((level for level, low in URGENCY_LEVELS if priority >= low), LOWEST_URGENCY)


def severity_level(severity: int) -> str:
    """Return the severity level (grave, serious, moderate, minor) of a gap's severity from 1 to 5."""
    return next((level for level, low in SEVERITY_LEVELS if severity >= low), LOWEST_SEVERITY)


@dataclass(frozen=True)
class MainReason:
    """The gap that weighs most in a recommendation, what revealed it, and how many other gaps it closes."""

    gap: GapRef
    level: str
    answers: bool
    facts: bool
    others: int


def main_reason(rec: Recommendation) -> MainReason | None:
    """Return the strongest reason for a recommendation: its weightiest gap (severity × strength) and its evidence."""
    if not rec.gaps:
        return None
    gap = max(rec.gaps, key=lambda g: (g.severity * g.strength, g.severity))
    kinds = {s.kind for s in rec.trace if gap.iri in s.gaps}
    return MainReason(gap, severity_level(gap.severity), "answer" in kinds, "fact" in kinds, len(rec.gaps) - 1)


@dataclass(frozen=True)
class Group:
    """The recommendations of one pillar or stakeholder; `first` marks those not shown in an earlier group."""

    code: str
    items: tuple[tuple[Recommendation, bool], ...]


def group_by(items: Sequence[Recommendation], by: str, order: Sequence[str]) -> list[Group]:
    """Group recommendations by pillar or stakeholder, groups in `order` (unknown codes after it), most urgent first."""
    attr = "pillars" if by == "pillar" else "stakeholders"
    codes = list(order) + sorted({c for r in items for c in getattr(r, attr)} - set(order)) + [""]
    seen: set[str] = set()
    groups = []
    for code in codes:
        members = [r for r in items if (code in getattr(r, attr) if code else not getattr(r, attr))]
        if members:
            groups.append(Group(code, tuple((r, r.practice_code not in seen) for r in members)))
            seen.update(r.practice_code for r in members)
    return groups

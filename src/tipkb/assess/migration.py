"""Carry answers given to an earlier questionnaire version forward to a later one, by a documented mapping.

Each step maps one version to the next (docs/assessment.md has the table of what changes); a chain of
steps carries answers over several versions. A step keeps every answer and note it has no rule for, so
validation afterwards reports whatever still does not fit, as for any answers file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from tipkb.errors import TipkbError

DONT_KNOW = "dont-know"

# Questionnaire 1.1 asks PA14 per instrument: which of the six core instruments the country is not a party to.
PA14_INSTRUMENTS = ("palermo-protocol", "ilo-c029", "ilo-c105", "ilo-c182", "ilo-c189", "ilo-p029")
PA14_FROM_1_0 = {"yes": ["party-to-all"], "partly": ["some-unknown"], "no": list(PA14_INSTRUMENTS),
                 DONT_KNOW: [DONT_KNOW]}


class MigrationError(TipkbError):
    """No mapping leads from the answers' questionnaire version to the one asked for."""


@dataclass(frozen=True)
class Migrated:
    """Answers carried from `source` to `version`; `changed` names the questions whose answer the mapping set."""

    source: str
    version: str
    values: Mapping[str, Any]
    notes: Mapping[str, Any]
    changed: tuple[str, ...] = ()


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _from_1_0(values: dict[str, Any], notes: dict[str, Any]) -> list[str]:
    """Map answers to questionnaire 1.0 onto 1.1 in place; return the codes whose answer it set or changed."""
    changed = []
    pa14 = values.get("PA14")
    if isinstance(pa14, str) and pa14 in PA14_FROM_1_0:  # yes/partly/no/don't know → the instruments not ratified
        values["PA14"] = list(PA14_FROM_1_0[pa14])
        changed.append("PA14")
    pr06 = values.get("PR06")
    if values.get("PR20") is None and (_is_number(pr06) or pr06 == DONT_KNOW):
        # 1.0 told the analyst to count cases under the trafficking articles only: a figure given is that count.
        values["PR20"] = "separate" if _is_number(pr06) else DONT_KNOW
        changed.append("PR20")
    return changed


# version → (next version, the step that maps answers to it)
STEPS: dict[str, tuple[str, Callable[[dict[str, Any], dict[str, Any]], list[str]]]] = {
    "1.0": ("1.1", _from_1_0),
}


def path(source: str, target: str) -> list[str] | None:
    """Return the versions a migration passes through from `source` to `target` (empty if equal), or None."""
    steps, version = [], source
    while version != target:
        if version not in STEPS or len(steps) > len(STEPS):
            return None
        version = STEPS[version][0]
        steps.append(version)
    return steps


def can_migrate(source: Any, target: str) -> bool:
    """Say whether answers to questionnaire `source` can be carried to `target` (an older version to a newer one)."""
    return isinstance(source, str) and source != target and path(source, target) is not None


def migrate_answers(source: str, values: Mapping[str, Any], notes: Mapping[str, Any] | None,
                    target: str) -> Migrated:
    """Return answers and notes to questionnaire `source` carried to `target`; raise MigrationError without a path."""
    if path(source, target) is None:
        raise MigrationError(f"questionnaire {source}: no mapping leads to version {target}")
    new_values, new_notes = dict(values), dict(notes or {})
    changed: list[str] = []
    version = source
    while version != target:
        version, step = STEPS[version][0], STEPS[version][1]
        changed += [c for c in step(new_values, new_notes) if c not in changed]
    return Migrated(source, target, new_values, new_notes, tuple(changed))


def migrate_document(data: Any, target: str) -> Any:
    """Return an answers file carried to questionnaire `target` when it names an older version with a path to it.

    Anything else (another format, an unknown version, the target itself) comes back unchanged, for
    validation to report.
    """
    if not isinstance(data, Mapping) or not can_migrate(data.get("questionnaire"), target):
        return data
    answers, notes = data.get("answers"), data.get("notes", {})
    if not isinstance(answers, Mapping) or not isinstance(notes, Mapping | None):
        return {**data, "questionnaire": target}
    moved = migrate_answers(data["questionnaire"], answers, notes, target)
    result = {**data, "questionnaire": target, "answers": dict(moved.values)}
    if "notes" in data:
        result["notes"] = dict(moved.notes)
    return result

"""Read and write the answer rows of one stored assessment, migrating them to a newer questionnaire version."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tipkb.assess.migration import can_migrate, migrate_answers
from tipkb.assess.rows import AnswerRow, AssessmentRow


def row_contents(row: AssessmentRow, version: str) -> tuple[dict[str, Any], dict[str, str], str | None]:
    """Return a row's answers and notes (migrated to `version` when a migration leads there) and the old version."""
    values = {a.question: a.value for a in row.answers if a.value is not None}
    notes = {a.question: a.note for a in row.answers if a.note}
    if not can_migrate(row.questionnaire_version, version):
        return values, notes, None
    moved = migrate_answers(row.questionnaire_version, values, notes, version)
    return dict(moved.values), dict(moved.notes), row.questionnaire_version


def migrate_row(row: AssessmentRow, version: str) -> None:
    """Rewrite a draft's answers for questionnaire `version` when a migration leads there; else leave it.

    The row's version counter stays: every reader already saw the answers migrated.
    """
    values, notes, source = row_contents(row, version)
    if source is not None:
        write_answers(row, {a.question: a for a in row.answers}, values, notes)
        row.questionnaire_version = version


def write_answers(row: AssessmentRow, stored: Mapping[str, AnswerRow], values: Mapping[str, Any],
                  notes: Mapping[str, str]) -> None:
    """Make a row's answer rows hold these values and notes (a code with neither loses its row)."""
    for code in set(stored) | set(values) | set(notes):
        value, note = values.get(code), notes.get(code)
        answer = stored.get(code)
        if value is None and note is None:
            if answer is not None:
                row.answers.remove(answer)
        elif answer is None:
            row.answers.append(AnswerRow(question=code, value=value, note=note))
        else:
            answer.value, answer.note = value, note

"""Follow-up of recommendations: the statuses a recommendation goes through, what one change holds, the CSV export.

An organisation records, for each recommendation (a practice) of a submitted assessment, where it
stands with the authorities: a status from STATUSES (named in kb/vocab/followup-statuses.ttl), a
date and a note. Storage is in `followup_store`; this module checks values and formats them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tipkb.assess.evidence import Evidence, cited
from tipkb.errors import TipkbError
from tipkb.i18n import localised

STATUSES = ("not-raised", "raised", "accepted", "in-progress", "implemented", "rejected")
UNRAISED = STATUSES[0]  # the status of a recommendation nobody has recorded anything for
NOTE_LENGTH = 1000  # characters of a follow-up note
EARLIEST = date(2000, 1, 1)
PRACTICE_LENGTH = 100
SUBJECT = "followup:"  # the evidence of a recommendation's follow-up is kept under "followup:<practice code>"
CSV_COLUMNS = ("number", "recommendation", "status", "date", "note", "changed_by", "changed_at", "evidence")
CSV_HEADERS = {  # the other languages translate the English headers in the package's catalogue
    "en": ("No.", "Recommendation", "Status", "Date", "Note", "Last changed by", "Last changed at", "Evidence"),
    "ru": ("№", "Рекомендация", "Статус", "Дата", "Примечание", "Кто изменил", "Когда изменено",
           "Подтверждающие материалы"),
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet runs a cell that starts so as a formula


class FollowUpError(TipkbError):
    """A follow-up cannot be recorded as asked; `code` and `params` say why, for each front end to word."""

    def __init__(self, code: str, message: str, field: str | None = None, **params: Any):
        super().__init__(message)
        self.code, self.field, self.params = code, field, params


class StaleFollowUp(FollowUpError):
    """Someone else changed the follow-up since it was read; `current` is where it stands now."""

    def __init__(self, current: FollowUp, expected: int):
        super().__init__("stale", f"follow-up of {current.practice} changed since it was read (version "
                         f"{current.version}, not {expected}); reload it and apply the change again",
                         field="version", current=current.version, expected=expected)
        self.current = current


@dataclass(frozen=True)
class FollowUp:
    """Where one recommendation stands; version 0 means nothing was recorded yet (status "not-raised")."""

    practice: str
    status: str = UNRAISED
    on: date | None = None
    note: str | None = None
    version: int = 0
    changed_by: str | None = None
    changed_at: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the follow-up as JSON-ready data."""
        return {"practice": self.practice, "status": self.status, "date": _iso(self.on), "note": self.note,
                "version": self.version, "changed_by": self.changed_by, "changed_at": _iso(self.changed_at)}


@dataclass(frozen=True)
class FollowUpChange:
    """One recorded change of a follow-up: who, when, the status before (None: first record) and after."""

    practice: str
    old_status: str | None
    new_status: str
    on: date | None
    note: str | None
    changed_by: str
    changed_at: datetime

    def as_dict(self) -> dict[str, Any]:
        """Return the change as JSON-ready data."""
        return {"practice": self.practice, "old_status": self.old_status, "new_status": self.new_status,
                "date": _iso(self.on), "note": self.note, "changed_by": self.changed_by,
                "changed_at": _iso(self.changed_at)}


def check_values(status: Any, on: Any, note: Any, *, today: date | None = None) -> tuple[str, date | None, str | None]:
    """Return a status, date and note as stored (date parsed, note tidied); raise FollowUpError naming the field."""
    if status not in STATUSES:
        raise FollowUpError("status-unknown", f"status: one of {', '.join(STATUSES)}; got {status!r}",
                            field="status", statuses=STATUSES)
    if isinstance(on, str):
        on = on.strip() or None
    if isinstance(on, str):
        try:
            on = date.fromisoformat(on)
        except ValueError:
            raise FollowUpError("date-invalid", f"date: a date as YYYY-MM-DD; got {on!r}", field="date") from None
    if on is not None and not isinstance(on, date):
        raise FollowUpError("date-invalid", f"date: a date as YYYY-MM-DD; got {on!r}", field="date")
    latest = (today or date.today()) + timedelta(days=1)  # a day's grace for the organisation's time zone
    if on is not None and not EARLIEST <= on <= latest:
        raise FollowUpError("date-range", f"date: between {EARLIEST} and today; got {on}", field="date",
                            earliest=EARLIEST, latest=latest)
    if note is not None and not isinstance(note, str):
        raise FollowUpError("note-invalid", "note: a text", field="note")
    text = "\n".join(" ".join(line.split()) for line in (note or "").strip().splitlines()).strip()
    if len(text) > NOTE_LENGTH:
        raise FollowUpError("note-long", f"note: at most {NOTE_LENGTH} characters, not {len(text)}",
                            field="note", limit=NOTE_LENGTH, length=len(text))
    return status, on, text or None


def safe_cell(value: Any) -> str:
    """Return a value as CSV cell text that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def followup_csv(rows: Iterable[tuple[int | None, str, FollowUp]], status_names: Mapping[str, str],
                 lang: str = "en", evidence: Mapping[str, Sequence[Evidence]] | None = None) -> str:
    """Return the follow-up as CSV: one line per (number, recommendation title, follow-up), headers in `lang`.

    `evidence` (by practice code) names each follow-up's links and files ("Decree 7 <https://…>; Letter (PDF)"),
    never a file's content.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    headers = zip(CSV_HEADERS["en"], CSV_HEADERS["ru"], strict=True)
    writer.writerow([localised({"en": en, "ru": ru}, lang) for en, ru in headers])
    for number, title, f in rows:
        changed = f.changed_at.strftime("%Y-%m-%d %H:%M UTC") if f.changed_at else ""
        named = "; ".join(p["text"] + (f" <{p['href']}>" if p["href"] else "")
                          for p in cited((evidence or {}).get(f.practice, ())))
        writer.writerow([safe_cell(v) for v in (number, title, status_names.get(f.status, f.status),
                                                _iso(f.on), f.note, f.changed_by, changed, named)])
    return out.getvalue()


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None

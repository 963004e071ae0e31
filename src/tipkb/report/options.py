"""The reader's choices for a report, read from text: which recommendations by rank, and the cover's contact."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from tipkb.errors import TipkbError

CONTACT_MAX = 500  # characters of the cover's contact text
RANKS_PATTERN = re.compile(r"\s*\d{1,6}\s*(,\s*\d{1,6}\s*)*,?\s*")
RANKS_MAX_CHARS = 2000  # a list of every rank of the largest set fits many times over


class ReportError(TipkbError):
    """A report was asked for in a way that cannot work (an unknown language or grouping, missing inputs)."""


class ChoiceError(ReportError):
    """A report choice cannot be used; `code` and `params` let each front end word it in its language.

    Codes: ``only-format`` (not a list of numbers), ``only-empty``, ``only-unknown`` (params: ``ranks``,
    ``last``), ``contact-format`` (not text), ``contact-long`` (params: ``limit``, ``length``).
    """

    def __init__(self, code: str, message: str, **params: Any):
        super().__init__(message)
        self.code = code
        self.params = params


def parse_ranks(text: str | None) -> tuple[int, ...] | None:
    """Return the ranks a comma-separated list such as "1,2,5" names, in order and once each (None without a list)."""
    if text is None:
        return None
    if not text.strip(" ,"):
        raise ChoiceError("only-empty", "only: choose at least one recommendation")
    if len(text) > RANKS_MAX_CHARS or not RANKS_PATTERN.fullmatch(text):
        raise ChoiceError("only-format", f"only: expected recommendation numbers separated by commas, "
                                         f"such as 1,2,5; got {text[:40]!r}")
    ranks = sorted({int(part) for part in text.split(",") if part.strip()})
    if ranks[0] < 1:
        raise ChoiceError("only-format", "only: recommendation numbers start at 1")
    return tuple(ranks)


def check_ranks(only: Sequence[int] | None, ranks: Iterable[int]) -> None:
    """Raise ChoiceError when `only` is not a non-empty list of whole numbers or names a rank the set does not have."""
    if only is None:
        return
    if isinstance(only, str | bytes) or not all(isinstance(n, int) and not isinstance(n, bool) for n in only):
        raise ChoiceError("only-format", f"only: expected recommendation ranks (whole numbers); got {only!r}")
    if not only:
        raise ChoiceError("only-empty", "only: choose at least one recommendation")
    known = set(ranks)
    unknown = [n for n in only if n not in known]
    if unknown:
        last = max(known, default=0)
        raise ChoiceError("only-unknown", f"only: no recommendation numbered {', '.join(map(str, unknown))} "
                                          f"(this report has {last})", ranks=unknown, last=last)


def clean_contact(text: str | None) -> str | None:
    """Return the contact text with plain line ends and no surrounding blanks, None when blank; raise if too long."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise ChoiceError("contact-format", f"contact: expected text; got {type(text).__name__}")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    text = "\n".join(line.rstrip() for line in lines).strip()
    if len(text) > CONTACT_MAX:
        raise ChoiceError("contact-long", f"contact: at most {CONTACT_MAX} characters; got {len(text)}",
                          limit=CONTACT_MAX, length=len(text))
    return text or None

"""Strict JSON reading: refuses NaN, infinities, numbers past 64 bits, deep nesting, lone surrogates and invalid
UTF-8, which json.loads lets through or crashes on."""

from __future__ import annotations

import json
import math
from typing import Any

from tipkb.errors import TipkbError

MAX_DEPTH = 64  # no document tipkb reads nests deeper; 10,000 levels would exhaust the parser's stack
MAX_INT = 2**63  # no number tipkb reads needs more; bigger ones overflow database columns
REASONS = ("syntax", "encoding", "constant", "range", "depth", "surrogate")


class JSONInputError(TipkbError, ValueError):
    """A JSON text tipkb refuses; `reason` is one of REASONS, `detail` says what in English, `line` and `column`
    where (syntax errors only)."""

    def __init__(self, reason: str, detail: str = "", line: int | None = None, column: int | None = None) -> None:
        self.reason, self.line, self.column = reason, line, column
        self.detail = detail + (f" at line {line}, column {column}" if line else "")
        self.message = detail
        super().__init__(f"{reason}: {self.detail}" if detail else reason)


def _no_constant(name: str) -> Any:
    raise JSONInputError("constant", name)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONInputError("range", text[:40])
    return value


def _bounded(text: str) -> int:
    if len(text) > 20 or abs(value := int(text)) > MAX_INT:  # length first: int() refuses 4,300+ digits anyway
        raise JSONInputError("range", text[:40] + ("…" if len(text) > 40 else ""))
    return value


def _check(value: Any, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise JSONInputError("depth", f"more than {MAX_DEPTH} levels")
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise JSONInputError("surrogate") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, depth + 1)
            _check(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check(item, depth + 1)


def strict_loads(text: str | bytes) -> Any:
    """Parse JSON, raising JSONInputError for what json.loads would let through or crash on."""
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JSONInputError("encoding", f"byte {exc.start}") from None
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite, parse_int=_bounded)
    except RecursionError:
        raise JSONInputError("depth", "the parser ran out of stack") from None
    except json.JSONDecodeError as exc:
        raise JSONInputError("syntax", exc.msg, exc.lineno, exc.colno) from None
    _check(value)
    return value

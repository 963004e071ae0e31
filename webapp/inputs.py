"""Request input guards: strict JSON (no NaN, infinities, huge numbers, deep nesting or lone surrogates) and no NUL
characters, each refused with a 400 that says why before any view sees the request."""

from __future__ import annotations

import json
import math
from typing import Any

from flask import Flask, abort, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _

MAX_DEPTH = 64  # no document the app reads nests deeper; 10,000 levels would exhaust the parser's stack
MAX_INT = 2**63  # no number the app reads needs more; bigger ones overflow database columns
BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class JSONInputError(ValueError):
    """A JSON text the app refuses; `reason` is one of REASONS' keys."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def _reasons() -> dict[str, str]:
    return {"syntax": _("a syntax error"), "encoding": _("the text is not UTF-8"),
            "constant": _("NaN and Infinity are not numbers JSON allows"),
            "range": _("a number is out of range"), "depth": _("it is nested too deeply"),
            "surrogate": _("a string holds a lone surrogate (not a character)")}


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
        raise JSONInputError("syntax", f"{exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    _check(value)
    return value


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, reading with strict_loads."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return strict_loads(s)


def _guard() -> None:
    if "\x00" in request.path or any("\x00" in k or "\x00" in v for k, v in request.args.items(multi=True)):
        abort(400, description=_("The address holds a NUL character, which no page accepts."))
    if request.method not in BODY_METHODS:
        return
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if any("\x00" in k or "\x00" in v for k, v in request.form.items(multi=True)):
            abort(400, description=_("A form field holds a NUL character, which no field accepts."))
    elif request.is_json and (data := request.get_data(cache=True)):
        try:
            strict_loads(data)
        except JSONInputError as exc:
            reason = _reasons()[exc.reason] + (f" ({exc.detail})" if exc.detail else "")
            abort(400, description=_("The request body is not valid JSON: %(reason)s.", reason=reason))


def init_app(app: Flask) -> None:
    """Read JSON strictly and refuse NUL characters and unreadable JSON bodies with 400 before the views run."""
    app.json = StrictJSONProvider(app)
    app.before_request(_guard)

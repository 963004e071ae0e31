"""Request input guards: strict JSON (no NaN, infinities, huge numbers, deep nesting or lone surrogates) and no NUL
characters, each refused with a 400 that says why before any view sees the request."""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, abort, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _

from tipkb.jsonio import JSONInputError, strict_loads

BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _reasons() -> dict[str, str]:
    return {"syntax": _("a syntax error"), "encoding": _("the text is not UTF-8"),
            "constant": _("NaN and Infinity are not numbers JSON allows"),
            "range": _("a number is out of range"), "depth": _("it is nested too deeply"),
            "surrogate": _("a string holds a lone surrogate (not a character)")}


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, reading with strict_loads."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return strict_loads(s)


class StrictRequest(Request):
    """Flask's request, refusing a JSON body tipkb does not read with a 400 that says why."""

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        if isinstance(e, JSONInputError):
            reason = _reasons()[e.reason] + (f" ({e.detail})" if e.detail else "")
            abort(400, description=_("The request body is not valid JSON: %(reason)s.", reason=reason))
        return super().on_json_loading_failed(e)


def _guard() -> None:
    if "\x00" in request.path or any("\x00" in k or "\x00" in v for k, v in request.args.items(multi=True)):
        abort(400, description=_("The address holds a NUL character, which no page accepts."))
    if request.method not in BODY_METHODS:
        return
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        # a multipart part without a name comes with the name None
        if any("\x00" in (k or "") or "\x00" in v for k, v in request.form.items(multi=True)):
            abort(400, description=_("A form field holds a NUL character, which no field accepts."))
    elif request.is_json and request.get_data(cache=True):
        request.get_json()  # parsed once, kept for the view's get_json; unreadable JSON is refused here


def init_app(app: Flask) -> None:
    """Read JSON strictly and refuse NUL characters and unreadable JSON bodies with 400 before the views run."""
    app.json = StrictJSONProvider(app)
    app.request_class = StrictRequest
    app.before_request(_guard)

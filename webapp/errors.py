"""Error pages (400, 403, 404, 405, 413, 422, 429, 500, an expired form, the database out of reach) in the page
language; JSON for API and script requests; never a traceback."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException
from werkzeug.http import http_date

from .auth import wants_json
from .i18n import current_language

PAGES = {403: "errors/403.html", 404: "errors/404.html", 500: "errors/500.html"}
UNREACHABLE = (OperationalError, InterfaceError, PoolTimeout)  # the database is down, restarting or saturated
RETRY_AFTER = "5"  # seconds a client may wait before it tries again
SLUGS = {400: "bad-request", 405: "method-not-allowed", 413: "too-large", 422: "invalid", 429: "too-many-requests"}


def _page(code: int):
    def handler(err):
        if wants_json():
            return jsonify({"error": getattr(err, "description", None) or str(code)}), code
        return render_template(PAGES[code]), code
    return handler


def _texts(code: int) -> tuple[str, str]:
    """Return the title and the default explanation of an error code, in the page language."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    return {
        400: (_("Bad request"), _("The request could not be understood. Check the address or the form and try "
                                  "again.")),
        405: (_("Not allowed here"), _("This address does not accept that kind of request.")),
        413: (_("Too large"), _("What you sent is larger than this site accepts (at most %(size)s MB).",
                                size=round(limit / 1_048_576, 1)) if limit
              else _("What you sent is larger than this site accepts.")),
        422: (_("Not accepted"), _("The request was understood, but what it holds is not valid.")),
        429: (_("Too many requests"), _("Too many requests in a short time. Please wait a moment and try again.")),
    }[code]


def _http_error(err: HTTPException):
    """Answer a 400, 405, 413, 422 or 429 with a page or JSON naming what was wrong, never Werkzeug's default."""
    code = err.code or 400
    title, message = _texts(code)
    if err.description and err.description != type(err).description:  # a reason the app gave, already worded
        message = err.description
    headers = {}
    if code == 405 and getattr(err, "valid_methods", None):
        headers["Allow"] = ", ".join(err.valid_methods)
    retry = getattr(err, "retry_after", None)
    if code == 429:
        headers["Retry-After"] = (RETRY_AFTER if retry is None else str(retry) if isinstance(retry, int)
                                  else http_date(retry))
    if wants_json():
        return jsonify({"error": SLUGS[code], "message": message}), code, headers
    return render_template("errors/error.html", code=code, title=title, message=message), code, headers


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    for code in PAGES:
        app.register_error_handler(code, _page(code))
    for code in SLUGS:
        app.register_error_handler(code, _http_error)

    @app.errorhandler(CSRFError)
    def csrf_error(err):
        if wants_json():
            return jsonify({"error": "csrf", "message": _("The form expired. Reload the page and try again.")}), 400
        return render_template("errors/csrf.html", reason=err.description), 400

    for error in UNREACHABLE:
        app.register_error_handler(error, _database_unavailable)


def _database_unavailable(err):
    current_app.logger.warning("database unavailable: %s", getattr(err, "orig", None) or err)
    message = _("The database cannot be reached just now. Nothing was lost; please try again in a moment.")
    if wants_json():
        response = jsonify({"error": "database-unavailable", "message": message})
    else:  # rendered without the context processors: the one of Flask-Login would look the user up in the database
        page = current_app.jinja_env.get_template("errors/503.html")
        response = page.render(lang=current_language(), message=message)
    return response, 503, {"Retry-After": RETRY_AFTER}

"""Error pages (403, 404, 500, an expired form, the database out of reach) in the page language; JSON for API and
script requests."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from .auth import wants_json
from .i18n import current_language

PAGES = {403: "errors/403.html", 404: "errors/404.html", 500: "errors/500.html"}
UNREACHABLE = (OperationalError, InterfaceError, PoolTimeout)  # the database is down, restarting or saturated
RETRY_AFTER = "5"  # seconds a client may wait before it tries again


def _page(code: int):
    def handler(err):
        if wants_json():
            return jsonify({"error": getattr(err, "description", None) or str(code)}), code
        return render_template(PAGES[code]), code
    return handler


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    for code in PAGES:
        app.register_error_handler(code, _page(code))

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

"""Error pages (403, 404, 500 and an expired form) in the page language; JSON for API and script requests."""

from __future__ import annotations

from flask import Flask, jsonify, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from .auth import wants_json

PAGES = {403: "errors/403.html", 404: "errors/404.html", 500: "errors/500.html"}


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

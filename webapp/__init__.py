"""The tipkb web application."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from . import auth, changes, commands, db, errors, i18n
from . import kb as kb_ext

csrf = CSRFProtect()


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app: defaults, then instance config or the test mapping, then extensions and blueprints."""
    app = Flask(__name__, instance_path=os.environ.get("TIPKB_INSTANCE") or None, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("TIPKB_SECRET_KEY", "dev-only-change-me"),
        TIPKB_ROOT=None,  # data root holding ontology/ and kb/; None means the checkout
        TIPKB_STORE="oxigraph",  # oxigraph (embedded) or rdflib (pure-Python memory)
        TIPKB_STORE_PATH=None,  # None: <instance>/store for oxigraph; ":memory:" keeps it in memory
        TIPKB_KB=None,  # an already loaded KnowledgeBase to use instead (tests share one)
        TIPKB_DATABASE_URL=os.environ.get("TIPKB_DATABASE_URL"),  # None: sqlite:///<instance>/tipkb.sqlite
        LANGUAGES=("en", "ru"),
        BABEL_DEFAULT_LOCALE="en",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        WTF_CSRF_TIME_LIMIT=None,  # valid for the session's life: a questionnaire page may stay open for hours
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(days=14),
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    kb_ext.init_app(app)
    db.init_app(app)
    changes.init_app(app)
    i18n.init_app(app)
    csrf.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    commands.init_app(app)

    from .views import account, admin, api, assessments, catalogue, countries, home, results

    for module in (home, countries, catalogue, account, admin, assessments, results, api):
        app.register_blueprint(module.bp)

    from .views import changes_api, data, editor, sparql

    for module in (editor, changes_api, data, sparql):
        app.register_blueprint(module.bp)
    csrf.exempt(sparql.bp)  # a read-only public endpoint: a POSTed query changes nothing

    from .views import reports

    app.register_blueprint(reports.bp)
    if not app.testing:
        _warm_up_reports_on_first_request(app)
    return app


def _warm_up_reports_on_first_request(app: Flask) -> None:
    # Not at start-up: `flask create-admin` and other commands build the app too and need no report worker.
    from tipkb.report.render import warm_up

    state = {"done": False}

    @app.before_request
    def _warm_up_once() -> None:
        if not state["done"]:
            state["done"] = True
            warm_up()

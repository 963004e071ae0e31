"""The tipkb web application."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, render_template

from . import kb as kb_ext


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app: defaults, then instance config or the test mapping, then extensions and blueprints."""
    app = Flask(__name__, instance_path=os.environ.get("TIPKB_INSTANCE") or None, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("TIPKB_SECRET_KEY", "dev-only-change-me"),
        TIPKB_ROOT=None,  # data root holding ontology/ and kb/; None means the checkout
        TIPKB_STORE="oxigraph",  # oxigraph (embedded) or rdflib (pure-Python memory)
        TIPKB_STORE_PATH=None,  # None: <instance>/store for oxigraph; ":memory:" keeps it in memory
        LANGUAGES=("en", "ru"),
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    kb_ext.init_app(app)

    from .views import api, countries, home

    app.register_blueprint(home.bp)
    app.register_blueprint(countries.bp)
    app.register_blueprint(api.bp)

    @app.errorhandler(404)
    def not_found(_err):
        return render_template("errors/404.html"), 404

    return app

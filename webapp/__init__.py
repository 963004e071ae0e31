"""The tipkb web application."""

from __future__ import annotations

import os
import secrets
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from tipkb.errors import ConfigError
from tipkb.i18n import LANGUAGES

from . import assets, auth, changes, commands, converters, db, errors, i18n, inputs, limits, mail, security
from . import kb as kb_ext

csrf = CSRFProtect()
WEAK_KEYS = {"", "dev-only-change-me", "change-me", "secret"}  # keys that were once defaults or are guessed first
KEY_FILE = "secret_key"  # in the instance folder, mode 0600, made at the first start without a configured key


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app: defaults, then instance config or the test mapping, then extensions and blueprints."""
    app = Flask(__name__, instance_path=os.environ.get("TIPKB_INSTANCE") or None, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("TIPKB_SECRET_KEY"),  # None: generated once and kept in <instance>/secret_key
        TIPKB_ROOT=None,  # data root holding ontology/ and kb/; None means the checkout
        TIPKB_STORE="oxigraph",  # oxigraph (embedded) or rdflib (pure-Python memory)
        TIPKB_STORE_PATH=None,  # None or ":memory:": in memory, one replica per worker; a path: an on-disk store
        TIPKB_KB=None,  # an already loaded KnowledgeBase to use instead (tests share one)
        TIPKB_DATABASE_URL=os.environ.get("TIPKB_DATABASE_URL"),  # None: sqlite:///<instance>/tipkb.sqlite
        LANGUAGES=LANGUAGES,
        BABEL_DEFAULT_LOCALE="en",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        WTF_CSRF_TIME_LIMIT=None,  # valid for the session's life: a questionnaire page may stay open for hours
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(days=14),
        TIPKB_HTTPS=os.environ.get("TIPKB_HTTPS", "0") == "1",  # served over HTTPS: cookies only travel encrypted
        TIPKB_PROXIES=int(os.environ.get("TIPKB_PROXIES") or 0),  # reverse proxies in front that set X-Forwarded-*
        MAX_CONTENT_LENGTH=10 * 1024 * 1024,  # bytes in one request body; more gets 413
        TIPKB_BASE_URL=os.environ.get("TIPKB_BASE_URL"),  # the public address that mailed links lead to
        TIPKB_SMTP_HOST=os.environ.get("TIPKB_SMTP_HOST"),  # None: no mail (admins hand reset links over)
        TIPKB_SMTP_PORT=int(os.environ.get("TIPKB_SMTP_PORT") or 587),
        TIPKB_SMTP_USER=os.environ.get("TIPKB_SMTP_USER"),
        TIPKB_SMTP_PASSWORD=os.environ.get("TIPKB_SMTP_PASSWORD"),
        TIPKB_SMTP_FROM=os.environ.get("TIPKB_SMTP_FROM"),
        TIPKB_SMTP_STARTTLS=os.environ.get("TIPKB_SMTP_STARTTLS", "1") == "1",
        TIPKB_EVIDENCE_DIR=os.environ.get("TIPKB_EVIDENCE_DIR"),  # None: <instance>/evidence (outside the web root)
        TIPKB_EVIDENCE_MAX_BYTES=int(os.environ.get("TIPKB_EVIDENCE_MAX_BYTES") or 8 * 1024 * 1024),  # one file
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _secure(app)

    kb_ext.init_app(app)
    db.init_app(app)
    changes.init_app(app)
    i18n.init_app(app)
    csrf.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    converters.init_app(app)  # before the blueprints: their rules use the bounded `int`
    inputs.init_app(app)
    commands.init_app(app)
    security.init_app(app)
    assets.init_app(app)  # static files in front of the app: fingerprinted, cached, compressed
    mail.init_app(app)

    from .views import account, admin, api, assessments, catalogue, countries, home, ranking, results

    for module in (home, countries, catalogue, account, admin, assessments, results, ranking, api):
        app.register_blueprint(module.bp)

    from .views import changes_api, data, editor, sparql

    for module in (editor, changes_api, data, sparql):
        app.register_blueprint(module.bp)
    csrf.exempt(sparql.bp)  # a read-only public endpoint: a POSTed query changes nothing

    from .views import freshness, health, imports, org_data, privacy, reports, team

    app.register_blueprint(freshness.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(org_data.bp)
    app.register_blueprint(team.bp)
    app.register_blueprint(privacy.bp)
    app.register_blueprint(imports.bp)
    from .views import evidence, evidence_api

    app.register_blueprint(evidence.bp)
    app.register_blueprint(evidence_api.bp)
    from .views import followup, followup_api

    app.register_blueprint(followup.bp)
    app.register_blueprint(followup_api.bp)
    limits.init_app(app)  # after the blueprints: it wraps the views it limits
    if not app.testing:
        _warm_up_reports(app)
    return app


def _secure(app: Flask) -> None:
    """Settle the secret key, the cookie flags for HTTPS and the trusted proxy headers."""
    key = app.config.get("SECRET_KEY")
    if key is None:
        app.config["SECRET_KEY"] = _kept_key(app)
    elif key in WEAK_KEYS:
        raise ConfigError(f"SECRET_KEY: {key!r} is a well-known key; set TIPKB_SECRET_KEY to a long random value "
                          f"or unset it to have one generated in {Path(app.instance_path) / KEY_FILE}")
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")  # Flask-Login sets no SameSite of its own
    if app.config["TIPKB_HTTPS"]:
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https")
    proxies = int(app.config["TIPKB_PROXIES"])
    if proxies:  # the client's address and scheme as the last `proxies` hops saw them
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def _kept_key(app: Flask) -> str:
    """Return the key kept in the instance folder, making it first if there is none (the first process wins)."""
    path = Path(app.instance_path) / KEY_FILE
    if not path.exists():
        tmp = path.with_name(f".{KEY_FILE}-{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)  # atomic: a worker starting at the same time reads the winner's key
            app.logger.warning("generated a secret key and kept it in %s (mode 0600)", path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    key = path.read_text(encoding="utf-8").strip()
    if key in WEAK_KEYS:
        raise ConfigError(f"{path}: the kept secret key is empty or well known; delete the file to make a new one")
    return key


def _warm_up_reports(app: Flask) -> None:
    """Load Typst and the report fonts in a thread as the worker starts, so that the first report does not wait."""
    from tipkb.report.typeset import warm_up

    def run() -> None:
        try:
            warm_up()
        except Exception:  # a report will say what is wrong, in its own request; serving goes on
            app.logger.exception("report warm-up failed")

    threading.Thread(target=run, daemon=True, name="report-warm-up").start()

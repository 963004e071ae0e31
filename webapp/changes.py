"""The live KB's change log and the SPARQL query runner, one of each per app.

At start the changesets stored in the database are replayed onto the loaded KB; before every
request the app catches up with changesets other worker processes applied (one cheap SELECT).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from flask import Flask, current_app, request, session

from tipkb import TipkbError, load_questionnaire
from tipkb.edit.changesets import ChangeLog
from tipkb.store.endpoint import QueryRunner

from .db import EXTENSION as ASSESSMENTS
from .db import database_url
from .errors import UNREACHABLE
from .kb import EXTENSION as KB_EXTENSION
from .kb import get_kb

EXTENSION = "tipkb_changes"
RUNNER = "tipkb_sparql"
CHECKED = "tipkb_changes_checked"


def init_app(app: Flask) -> None:
    """Open the change log on the app's database, replay it, and prepare the query runner."""
    app.config.setdefault("TIPKB_SPARQL_TIMEOUT", float(os.environ.get("TIPKB_SPARQL_TIMEOUT") or 10))  # seconds
    app.config.setdefault("TIPKB_SPARQL_MAX_ROWS", 10_000)  # rows (or triples) a result may hold
    app.config.setdefault("TIPKB_SPARQL_MAX_QUERY_BYTES", 16_384)  # a query's length
    app.config.setdefault("TIPKB_SPARQL_MAX_DEPTH", 20)  # brackets, braces and parentheses inside one another
    app.config.setdefault("TIPKB_SPARQL_MAX_RESULT_BYTES", 10_000_000)  # a serialized result
    # query processes per web worker (the gunicorn config sets 1: the bound is then one per web worker)
    app.config.setdefault("TIPKB_SPARQL_WORKERS", int(os.environ.get("TIPKB_SPARQL_WORKERS") or 2))
    # queries in flight per web worker (0: no bound); under gunicorn one thread fewer than the worker has
    app.config.setdefault("TIPKB_SPARQL_MAX_PENDING", int(os.environ.get("TIPKB_SPARQL_MAX_PENDING") or 0))
    with app.app_context():
        log = ChangeLog(get_kb(), database_url(app))
    log.listeners.append(lambda: _reload_questionnaire(app))
    log.sync()
    app.extensions[EXTENSION] = log
    app.extensions[RUNNER] = QueryRunner(Path(app.instance_path) / "sparql", timeout=app.config["TIPKB_SPARQL_TIMEOUT"],
                                         max_rows=app.config["TIPKB_SPARQL_MAX_ROWS"],
                                         workers=app.config["TIPKB_SPARQL_WORKERS"],
                                         max_query_bytes=app.config["TIPKB_SPARQL_MAX_QUERY_BYTES"],
                                         max_depth=app.config["TIPKB_SPARQL_MAX_DEPTH"],
                                         max_result_bytes=app.config["TIPKB_SPARQL_MAX_RESULT_BYTES"],
                                         max_pending=app.config["TIPKB_SPARQL_MAX_PENDING"])
    app.config.setdefault("TIPKB_SYNC_INTERVAL", 0.0 if app.testing else 0.2)  # seconds; see _catch_up
    app.extensions[CHECKED] = [float("-inf")]  # when this app last asked the database for new changesets
    app.before_request(_catch_up)


def _reload_questionnaire(app: Flask) -> None:
    """Give the assessment store the questionnaire as edited (an edit that breaks it keeps the old one)."""
    store = app.extensions.get(ASSESSMENTS)
    if store is None:
        return
    try:
        store.questionnaire = load_questionnaire(app.extensions[KB_EXTENSION])
    except TipkbError as exc:
        app.logger.warning("the edited questionnaire could not be loaded, keeping the previous one: %s", exc)


def _catch_up() -> None:
    if request.endpoint == "health.healthz":  # the probe syncs itself and reports a failure as 503
        return
    now = time.monotonic()
    checked = current_app.extensions[CHECKED]
    # A visitor who is not signed in sees other workers' changesets within the interval (one SELECT per interval
    # instead of per request); a signed-in user's request always catches up, so an expert sees an edit at once on
    # whichever worker serves the next request.
    if now - checked[0] < current_app.config["TIPKB_SYNC_INTERVAL"] and not _signed_in():
        return
    checked[0] = now
    try:
        get_changelog().sync()
    except UNREACHABLE as exc:  # serve the replica as it stands: nothing can be saved while the database is away
        current_app.logger.warning("database unavailable, serving the KB as last synced: %s",
                                   getattr(exc, "orig", None) or exc)


def _signed_in() -> bool:
    """Say whether the request comes from a signed-in user's session or remember-me cookie (without the database)."""
    return "_user_id" in session or current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies


def get_changelog() -> ChangeLog:
    """Return the current app's change log."""
    return current_app.extensions[EXTENSION]


def get_runner() -> QueryRunner:
    """Return the current app's SPARQL query runner."""
    return current_app.extensions[RUNNER]


def kb_token() -> str:
    """Return a name for the current state of the live KB (changes when a changeset is applied)."""
    return f"{id(get_kb()):x}-{os.getpid()}-{get_changelog().seq}"

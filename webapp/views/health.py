"""The health probe at /healthz: the database answers and the KB replica is loaded and caught up.

200 with JSON when both hold, 503 with JSON naming what failed otherwise; never a traceback.
"""

from __future__ import annotations

import os

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from ..changes import get_changelog
from ..db import get_store
from ..kb import get_kb

bp = Blueprint("health", __name__)


def _database() -> str:
    with get_store().engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return "ok"


def _kb() -> dict:
    kb = get_kb()
    triples = kb.cached("health-triples", lambda: len(kb))
    if not triples:
        raise LookupError("the KB is empty")
    log = get_changelog()
    log.sync()
    return {"triples": triples, "seq": log.seq}


@bp.get("/healthz")
def healthz():
    body: dict = {"pid": os.getpid()}
    ok = True
    for name, check in (("database", _database), ("kb", _kb)):
        try:
            body[name] = check()
        except Exception as exc:  # noqa: BLE001 — any failure is the answer, as a 503 naming its kind
            current_app.logger.warning("health check of the %s failed: %s", name, exc)
            body[name], ok = {"error": type(exc).__name__}, False
    body["status"] = "ok" if ok else "failing"
    return jsonify(body), 200 if ok else 503, {"Cache-Control": "no-store"}

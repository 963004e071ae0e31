"""Load the KB once per process and hand it to views.

By default each process holds its own replica in memory (gunicorn workers load theirs after the fork);
an on-disk Oxigraph store is used only when TIPKB_STORE_PATH names one (one process may open it).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from tipkb import KnowledgeBase, load_kb

EXTENSION = "tipkb"


def init_app(app: Flask) -> None:
    """Load the KB named by the app's config into app.extensions (or take the one given as TIPKB_KB)."""
    if app.config.get("TIPKB_KB") is not None:
        app.extensions[EXTENSION] = app.config["TIPKB_KB"]
        return
    store_path = app.config["TIPKB_STORE_PATH"]
    if store_path == ":memory:":
        store_path = None
    root = app.config["TIPKB_ROOT"]
    app.extensions[EXTENSION] = load_kb(Path(root) if root else None, backend=app.config["TIPKB_STORE"],
                                        store_path=Path(store_path) if store_path else None)


def get_kb() -> KnowledgeBase:
    """Return the current app's KB."""
    return current_app.extensions[EXTENSION]

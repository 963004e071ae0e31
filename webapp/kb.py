"""Load the KB once per process and hand it to views."""

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
    backend = app.config["TIPKB_STORE"]
    store_path = app.config["TIPKB_STORE_PATH"]
    if backend == "oxigraph" and store_path is None:
        store_path = Path(app.instance_path) / "store"
    elif store_path == ":memory:":
        store_path = None
    root = app.config["TIPKB_ROOT"]
    app.extensions[EXTENSION] = load_kb(Path(root) if root else None, backend=backend,
                                        store_path=Path(store_path) if store_path else None)


def get_kb() -> KnowledgeBase:
    """Return the current app's KB."""
    return current_app.extensions[EXTENSION]

"""The application database: assessments (tipkb.AssessmentStore) and, on the same engine, user accounts.

Opening the store brings the database to the newest migration (tipkb.db.upgrade).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from tipkb import AssessmentStore, Questionnaire, load_questionnaire

from .kb import get_kb

EXTENSION = "tipkb_assessments"


def database_url(app: Flask) -> str:
    """Return the configured database URL, else a SQLite file in the instance folder."""
    return app.config.get("TIPKB_DATABASE_URL") or f"sqlite:///{Path(app.instance_path) / 'tipkb.sqlite'}"


def init_app(app: Flask) -> None:
    """Open the assessment store for the KB's questionnaire; its engine serves the accounts too."""
    with app.app_context():
        kb = get_kb()
        # kept with the KB until it changes: apps sharing one KB (tests, reloads) read it once (0.25 s)
        questionnaire = kb.cached("webapp-questionnaire", lambda: load_questionnaire(kb))
    store = AssessmentStore(database_url(app), questionnaire=questionnaire)
    app.extensions[EXTENSION] = store


def get_store() -> AssessmentStore:
    """Return the current app's assessment store."""
    return current_app.extensions[EXTENSION]


def get_questionnaire() -> Questionnaire:
    """Return the questionnaire in use."""
    return get_store().questionnaire

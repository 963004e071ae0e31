"""The application database: assessments (tipkb.AssessmentStore) and, on the same engine, user accounts."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from tipkb import AssessmentStore, Questionnaire, load_questionnaire

from . import users
from .kb import get_kb

EXTENSION = "tipkb_assessments"


def database_url(app: Flask) -> str:
    """Return the configured database URL, else a SQLite file in the instance folder."""
    return app.config.get("TIPKB_DATABASE_URL") or f"sqlite:///{Path(app.instance_path) / 'tipkb.sqlite'}"


def init_app(app: Flask) -> None:
    """Open the assessment store for the KB's questionnaire and create the account tables beside it."""
    with app.app_context():
        questionnaire = load_questionnaire(get_kb())
    store = AssessmentStore(database_url(app), questionnaire=questionnaire)
    users.create_tables(store.engine)
    app.extensions[EXTENSION] = store


def get_store() -> AssessmentStore:
    """Return the current app's assessment store."""
    return current_app.extensions[EXTENSION]


def get_questionnaire() -> Questionnaire:
    """Return the questionnaire in use."""
    return get_store().questionnaire

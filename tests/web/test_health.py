"""The health probe /healthz: 200 JSON when the database and the KB answer, 503 JSON naming the failure otherwise."""

import os

import pytest

from webapp.db import get_store


def test_a_healthy_app_reports_its_database_kb_and_process(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok" and response.json["database"] == "ok"
    assert response.json["kb"]["triples"] > 10_000 and response.json["kb"]["seq"] == 0
    assert response.json["pid"] == os.getpid()
    assert response.headers["Cache-Control"] == "no-store"


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(TIPKB_DATABASE_URL=f"sqlite:///{tmp_path / 'probe.sqlite'}")


def test_an_unreachable_database_answers_503_json_without_a_traceback(app, client, tmp_path):
    with app.app_context():
        get_store().engine.dispose()
    database = tmp_path / "probe.sqlite"
    database.rename(tmp_path / "moved.sqlite")
    database.mkdir()  # a directory where the database file was: SQLite cannot open it
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "failing"
    assert response.json["database"] == {"error": "OperationalError"}
    assert "Traceback" not in response.get_data(as_text=True)

"""Regression (issue #13): an assessment's results read it and the one before it in a fixed number of SQL
statements, however many assessments its organisation has; the page and the API show the same as before."""

import json
from pathlib import Path

import pytest
from sqlalchemy import event

from .webhelpers import start

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = json.loads((ROOT / "kb" / "examples" / "kg-2025.json").read_text(encoding="utf-8"))["answers"]
MANY = 20


def statements(app, client, url: str) -> int:
    """Return how many SQL statements a GET of `url` sends to the application database."""
    sent: list[str] = []

    def count(connection, cursor, statement, *args):
        sent.append(statement)

    engine = app.extensions["tipkb_assessments"].engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(sent)


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_the_results_read_a_fixed_number_of_statements_however_many_assessments(app, ngo_client):
    store = app.extensions["tipkb_assessments"]
    aid = start(ngo_client, "KG", 2025)
    store.save_answers(aid, ANSWERS)
    urls = (f"/assessments/{aid}/results", f"/api/assessments/{aid}/recommendations")
    for url in urls:
        statements(app, ngo_client, url)  # the first view computes the results (it reads no more than later ones)
    alone = [statements(app, ngo_client, url) for url in urls]
    for year in range(2025 - MANY + 1, 2025):  # the organisation's other assessments, submitted
        earlier = store.create("NGO A", "KG", year, existing=True)
        if year == 2024:  # the one compared with
            store.save_answers(earlier.id, {**ANSWERS, "PR11": "yes"})
        store.submit(earlier.id)
    assert len(store.list_for_organisation("NGO A")) == MANY
    many = [statements(app, ngo_client, url) for url in urls]
    assert many == alone
    page = ngo_client.get(urls[0]).get_data(as_text=True)
    assert "2024" in page  # compared with the latest earlier one
    comparison = ngo_client.get(urls[1]).json["comparison"]
    assert comparison["previous_year"] == 2024
    assert [c["question"] for c in comparison["answers"]] == ["PR11"]

"""Results: pillar scores and chart, completeness, filtered recommendations with traces, changes since last time."""

import json
from pathlib import Path

import pytest

from .webhelpers import start

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "kb" / "examples" / "kg-2025.json").read_text())


def answer_all(client, aid: int, answers: dict) -> None:
    fields = [f for code, value in answers.items()
              for f in ([["shown", code]] + ([[f"q-{code}", v] for v in value] if isinstance(value, list)
                                             else [[f"q-{code}", str(value)]]))]
    response = client.post(f"/assessments/{aid}/autosave", json={"fields": fields})
    assert response.status_code == 200, response.json


@pytest.fixture
def submitted(ngo_client):
    aid = start(ngo_client, "KG", 2025)
    answer_all(ngo_client, aid, EXAMPLE["answers"])
    assert ngo_client.post(f"/assessments/{aid}/submit").status_code == 302
    return aid


def test_results_show_scores_chart_completeness_and_recommendations(ngo_client, submitted):
    pytest.importorskip("tipkb.recommend.engine")
    page = ngo_client.get(f"/assessments/{submitted}/results").get_data(as_text=True)
    assert "Results for Kyrgyzstan, 2025" in page
    assert 'class="pchart"' in page and "Score by pillar" in page and page.count('class="pchart-bar"') == 4
    assert "Completeness" in page and "100 %" in page
    assert page.count('class="rec"') >= 5
    assert page.count('<details class="trace">') == page.count('class="rec"')
    assert "Your answer" in page  # the trace names the answers behind a recommendation


def test_recommendation_filters(ngo_client, submitted):
    pytest.importorskip("tipkb.recommend.engine")
    every = ngo_client.get(f"/assessments/{submitted}/results").get_data(as_text=True).count('class="rec"')
    for query in ("stakeholder=ngos", "pillar=prosecution", "horizon=short"):
        found = ngo_client.get(f"/assessments/{submitted}/results?{query}").get_data(as_text=True).count('class="rec"')
        assert 0 < found < every, query


def test_results_in_russian(ngo_client, submitted):
    pytest.importorskip("tipkb.recommend.engine")
    page = ngo_client.get(f"/assessments/{submitted}/results?lang=ru").get_data(as_text=True)
    assert "Результаты: Кыргызстан, 2025" in page and "Почему эта рекомендация?" in page
    assert "Оценка по направлениям" in page and "Why this recommendation?" not in page


def test_comparison_with_the_previous_assessment(ngo_client, submitted):
    pytest.importorskip("tipkb.recommend.engine")
    response = ngo_client.post(f"/assessments/{submitted}/copy", data={"year": "2026"})
    new = int(response.location.split("/assessments/")[1].split("/")[0])
    answer_all(ngo_client, new, {"PT02": "yes"})
    page = ngo_client.get(f"/assessments/{new}/results").get_data(as_text=True)
    assert "Changes since 2025" in page
    assert "1 answer changed" in page and '<span class="qcode">PT02</span>' in page
    assert "against your assessment of 2025 (orange mark)" in page and page.count('class="ref"') == 4
    first = ngo_client.get(f"/assessments/{submitted}/results").get_data(as_text=True)
    assert "Changes since" not in first and "No earlier assessment of Kyrgyzstan" in first


def test_draft_results_say_they_are_provisional(ngo_client):
    aid = start(ngo_client)
    page = ngo_client.get(f"/assessments/{aid}/results").get_data(as_text=True)
    assert "This is a draft" in page and "0 %" in page

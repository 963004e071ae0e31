"""Country profiles and baseline recommendations, in English and Russian."""

import pytest


def test_profile_in_english(client):
    page = client.get("/countries/KG").get_data(as_text=True)
    assert "<h1>Kyrgyzstan" in page
    assert "TIP report tier" in page and "<svg" in page
    assert "Tier 2 Watch List" in page
    assert 'href="/instruments/palermo-protocol"' in page


def test_profile_in_russian_formats_dates_per_locale(client):
    page = client.get("/countries/KG?lang=ru").get_data(as_text=True)
    assert "<h1>Кыргызстан" in page and "Категория доклада TIP" in page and "Статистика" in page
    assert "TIP report tier" not in page and "Statistics" not in page
    assert "2 октября 2003\u202fг." in page  # the Palermo Protocol ratification date, written the Russian way
    english = client.get("/countries/KG?lang=en").get_data(as_text=True)
    assert "2 October 2003" in english and "Oct 2, 2003" not in english  # day, month, year as in the PDF


def test_unknown_country_is_404(client):
    assert client.get("/countries/XX").status_code == 404
    assert client.get("/countries/XX/recommendations").status_code == 404


def test_baseline_recommendations_with_filters_and_traces(client):
    pytest.importorskip("tipkb.recommend.engine")
    page = client.get("/countries/KG/recommendations").get_data(as_text=True)
    assert "Baseline recommendations for Kyrgyzstan" in page
    assert page.count('class="rec"') >= 5
    assert "<details class=\"trace\">" in page and "Why this recommendation?" in page
    protection = client.get("/countries/KG/recommendations?pillar=protection").get_data(as_text=True)
    assert 0 < protection.count('class="rec"') < page.count('class="rec"')
    assert '<option value="protection" selected>' in protection


def test_unknown_filter_values_are_ignored(client):
    pytest.importorskip("tipkb.recommend.engine")
    response = client.get("/countries/KG/recommendations?pillar=nonsense&horizon=%3Cscript%3E")
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True)

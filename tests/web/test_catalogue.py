"""Catalogues of gaps, practices and instruments: search in both languages, filters, one page per entry."""

import re


def count(page: str, endpoint: str) -> int:
    return len(re.findall(rf'<li><a href="/{endpoint}/[^"]+"><strong>', page))


def test_gap_catalogue_search_and_filters(client):
    everything = client.get("/gaps").get_data(as_text=True)
    assert count(everything, "gaps") > 50
    referral = client.get("/gaps?q=referral").get_data(as_text=True)
    assert 0 < count(referral, "gaps") < count(everything, "gaps")
    russian = client.get("/gaps?q=перенаправления&lang=ru").get_data(as_text=True)
    assert count(russian, "gaps") == count(referral, "gaps")
    data = client.get("/gaps?category=data").get_data(as_text=True)
    assert 0 < count(data, "gaps") < count(everything, "gaps")
    assert '<option value="data" selected>' in data
    nothing = client.get("/gaps?q=zzzzqqq&lang=en").get_data(as_text=True)
    assert count(nothing, "gaps") == 0 and "0 gaps" in nothing


def test_practice_catalogue_filters_by_stakeholder_pillar_and_horizon(client):
    everything = count(client.get("/practices").get_data(as_text=True), "practices")
    for query in ("stakeholder=labour-inspectors", "pillar=prosecution", "horizon=short"):
        found = count(client.get(f"/practices?{query}").get_data(as_text=True), "practices")
        assert 0 < found < everything, query


def test_gap_page_links_practices_and_countries(client):
    page = client.get("/gaps/victims-penalised").get_data(as_text=True)
    assert "Victims detained, fined, deported or prosecuted" in page
    assert 'href="/practices/bp11"' in page and 'href="/countries/KG"' in page
    assert "severity 5/5" in page


def test_practice_page_in_russian_with_central_asian_examples(client):
    page = client.get("/practices/bp01?lang=ru").get_data(as_text=True)
    assert "Официальный национальный механизм перенаправления" in page
    assert "В Центральной Азии" in page and "Кыргызстан" in page
    assert 'href="/gaps/no-formal-nrm"' in page


def test_instrument_page_lists_the_countries_status(client):
    page = client.get("/instruments/palermo-protocol").get_data(as_text=True)
    assert "Trafficking in Persons" in page and "Status by country" in page
    assert page.count('href="/countries/') >= 5


def test_unknown_entries_are_404(client):
    for url in ("/gaps/nope", "/practices/bp99", "/instruments/nope"):
        assert client.get(url).status_code == 404, url

"""Catalogue search on the pages and the API: word forms, spellings, ranking, filters alongside."""

import re

import pytest

pytestmark = pytest.mark.slow  # the module's app (its database migrated) takes 1–4 s to start, 0.2–0.6 s a test


@pytest.fixture(scope="module")
def client(shipped_kb, tmp_path_factory):
    """One app for this module's read-only searches (no test here writes to its database)."""
    from webapp import create_app

    database = tmp_path_factory.mktemp("catalogue-search") / "tipkb.sqlite"
    return create_app({"TESTING": True, "SECRET_KEY": "test", "TIPKB_KB": shipped_kb,
                       "TIPKB_DATABASE_URL": f"sqlite:///{database}", "WTF_CSRF_ENABLED": False}).test_client()


def listed(client, url: str, kind: str) -> list[str]:
    page = client.get(url).get_data(as_text=True)
    return re.findall(rf'<li><a href="/{kind}/([^"]+)"><strong>', page)


def test_torgovlya_finds_gaps_whose_labels_say_torgovli_and_keeps_the_query(client):
    page = client.get("/gaps?q=торговля&lang=ru").get_data(as_text=True)
    found = re.findall(r'<li><a href="/gaps/([^"]+)"><strong>', page)
    assert len(found) >= 20 and "definition-not-aligned" in found
    assert 'value="торговля"' in page
    assert "сначала лучшие совпадения" in page


def test_priyuty_finds_the_five_shelter_gaps(client):
    assert listed(client, "/gaps?q=приюты", "gaps") == listed(client, "/gaps?q=приют", "gaps")
    assert len(listed(client, "/gaps?q=приюты", "gaps")) == 5


def test_forced_labor_finds_what_forced_labour_finds_in_the_same_order(client):
    american = listed(client, "/gaps?q=forced+labor", "gaps")
    assert len(american) == 12
    assert american == listed(client, "/gaps?q=forced+labour", "gaps")
    assert listed(client, "/instruments?q=organised+crime", "instruments") == ["palermo-protocol", "untoc"]


def test_gaps_with_the_word_in_their_label_come_first(client):
    found = listed(client, "/gaps?q=shelter", "gaps")
    assert set(found[:2]) == {"no-shelter-for-men", "no-specialised-care-for-child-victims"}
    assert len(found) == 5
    assert "best matches first" in client.get("/gaps?q=shelter&lang=en").get_data(as_text=True)
    assert "best matches first" not in client.get("/gaps?lang=en").get_data(as_text=True)


def test_search_and_filters_narrow_together(client):
    searched = set(listed(client, "/practices?q=training", "practices"))
    filtered = set(listed(client, "/practices?pillar=prosecution", "practices"))
    both = set(listed(client, "/practices?q=training&pillar=prosecution", "practices"))
    assert both and both == searched & filtered and both != searched


def test_the_api_ranks_as_the_page_does(client):
    for q in ("приюты", "forced labor", "victims of trafficking"):
        api = [g["code"] for g in client.get("/api/gaps", query_string={"q": q}).get_json()]
        assert api == listed(client, f"/gaps?q={q}", "gaps"), q


def test_a_query_without_words_finds_nothing_and_no_page_fails(client):
    for q in ("((", "«»", "x" * 2000, "%00"):
        response = client.get("/gaps", query_string={"q": q})
        assert response.status_code == 200, q
        assert listed(client, "/gaps?" + f"q={q}", "gaps") == [], q


def test_the_words_found_are_marked_in_labels_and_definitions(client):
    page = client.get("/gaps?q=приюты&lang=ru").get_data(as_text=True)
    assert "Отсутствие мест в <mark>приютах</mark> для мужчин" in page
    assert "<mark>Приют</mark> и иная поддержка" in page  # a definition
    page = client.get("/instruments?q=organised+crime&lang=en").get_data(as_text=True)
    assert "Transnational <mark>Organized</mark> <mark>Crime</mark>" in page
    assert "<mark>" not in client.get("/gaps?lang=en").get_data(as_text=True)


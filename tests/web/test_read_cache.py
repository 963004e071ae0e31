"""Read pages come from values kept per KB version: an expert's edit shows on the next request, here or in
another process, and a kept value is never shared between languages or filters."""

import time
from pathlib import Path

import pytest

from tipkb.edit.changesets import ChangeLog
from tipkb.edit.entity_types import entity_type
from tipkb.edit.forms import build_edit, form_values
from tipkb.facts.catalogue import list_gaps
from tipkb.facts.countries import list_countries
from tipkb.facts.profile import country_profile
from tipkb.recommend.engine import recommend
from tipkb.store.kb import load_kb

from .webhelpers import register

ROOT = Path(__file__).resolve().parents[2]
GAP = "https://w3id.org/tipkb/kb/gap-victims-penalised"  # documented for Kyrgyzstan
OLD = {"en": "Victims detained, fined, deported or prosecuted",
       "ru": "Задержание, штрафы, депортация или преследование пострадавших"}
NEW = {"en": "Victims punished for offences they were forced into",
       "ru": "Наказание пострадавших за вынужденные деяния"}
PAGES = ("/countries/KG", "/gaps", "/gaps/victims-penalised", "/practices/bp03", "/api/countries/KG", "/api/gaps")


def rename_gap(log: ChangeLog) -> None:
    """Give the gap new English and Russian labels through a changeset."""
    kind = entity_type("gap")
    desc = log.describe(GAP)
    values = {**form_values(desc, kind), "label": NEW}
    log.submit([build_edit(log.kb, kind, values, iri=GAP, base_version=desc.version)],
               author="ana@experts.org", reason="wording agreed with the working group")


@pytest.fixture
def own_app(make_app):
    """An app over its own copy of the KB (edits must not reach the shared one)."""
    return make_app(TIPKB_KB=None, TIPKB_STORE_PATH=":memory:")


def read(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_an_edit_shows_on_the_next_request_of_every_cached_page(own_app):
    client = own_app.test_client()
    practice = read(client, "/practices/bp03")
    assert OLD["en"] in practice  # the practice addresses the gap: its page names it
    for url in PAGES:
        assert OLD["en"] in read(client, url), url
        assert OLD["en"] in read(client, url), url  # the second time from the cache
    rename_gap(own_app.extensions["tipkb_changes"])
    for url in PAGES:
        page = read(client, url)
        assert NEW["en"] in page and OLD["en"] not in page, url
    ru = read(client, "/countries/KG?lang=ru")
    assert NEW["ru"] in ru and OLD["ru"] not in ru


def test_an_edit_made_by_another_process_shows_after_catching_up(own_app):
    client = own_app.test_client()
    for url in PAGES:
        assert OLD["en"] in read(client, url), url
    other = ChangeLog(load_kb(ROOT), own_app.config["TIPKB_DATABASE_URL"])
    try:
        rename_gap(other)
    finally:
        other.close()
    for url in PAGES:  # each request first catches up with the database
        page = read(client, url)
        assert NEW["en"] in page and OLD["en"] not in page, url


def test_a_cached_page_is_not_shared_between_languages(client):
    en, ru = read(client, "/countries/KG?lang=en"), read(client, "/countries/KG?lang=ru")
    assert OLD["en"] in en and OLD["ru"] not in en
    assert OLD["ru"] in ru and OLD["en"] not in ru
    assert OLD["en"] in read(client, "/countries/KG?lang=en")  # and back: English from its own entry
    assert read(client, "/gaps?lang=ru") != read(client, "/gaps?lang=en")


def test_a_cached_list_is_not_shared_between_filters(client):
    every = read(client, "/gaps?lang=en").count("<li>")
    some = read(client, "/gaps?pillar=prosecution").count("<li>")
    assert 0 < some < every
    assert read(client, "/gaps").count("<li>") == every
    searched = read(client, "/gaps?q=penalised")
    assert OLD["en"] in searched and searched.count("<li>") < every
    baseline = read(client, "/countries/KG/recommendations").count('class="rec"')
    assert 0 < read(client, "/countries/KG/recommendations?pillar=prosecution").count('class="rec"') < baseline


def test_cached_read_models_are_kept_apart_by_language_and_filters(shipped_kb):
    en, ru = list_countries(shipped_kb, "en"), list_countries(shipped_kb, "ru")
    assert {c.code: c.label for c in en}["KG"] != {c.code: c.label for c in ru}["KG"]
    assert len(list_gaps(shipped_kb, pillar="prosecution")) < len(list_gaps(shipped_kb))
    every = recommend(shipped_kb, country="KG")
    assert recommend(shipped_kb, country="kg ") is every  # the same baseline, built once
    assert len(recommend(shipped_kb, country="KG", pillar="prosecution").items) < len(every.items)
    assert len(recommend(shipped_kb, country="KG", top=2).items) == 2 < len(every.items)
    assert recommend(shipped_kb, country="KZ").country == "KZ"
    assert country_profile(shipped_kb, "kz")["code"] == "KZ"
    assert country_profile(shipped_kb, "KG")["code"] == "KG"


def test_visitors_catch_up_once_per_interval_and_signed_in_users_at_once(make_app):
    app = make_app(TIPKB_KB=None, TIPKB_STORE_PATH=":memory:", TIPKB_SYNC_INTERVAL=60.0)
    visitor, member = app.test_client(), app.test_client()
    assert register(member).status_code == 302
    other = ChangeLog(load_kb(ROOT), app.config["TIPKB_DATABASE_URL"])
    try:
        assert OLD["en"] in read(visitor, "/gaps")
        rename_gap(other)
    finally:
        other.close()
    assert OLD["en"] in read(visitor, "/gaps")  # within the interval: the replica as last synced, no query
    assert NEW["en"] in read(member, "/gaps")  # a signed-in user's request always catches up
    app.config["TIPKB_SYNC_INTERVAL"] = 0.1  # the interval passes
    time.sleep(0.2)
    assert NEW["en"] in read(visitor, "/gaps")

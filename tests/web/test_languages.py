"""The seven page languages: how one is chosen, the switch in each language's own name, and fallback marking."""

import re
from datetime import date

from flask import render_template_string
from flask_babel import get_translations, gettext

from tipkb.i18n import LANGUAGES, NATIVE_NAMES

KZ = {"en": "Kazakhstan", "ru": "Казахстан"}


def html_lang(page: str) -> str:
    return re.search(r'<html lang="([a-z]+)"', page).group(1)


def test_the_language_comes_from_the_address_then_the_session_then_the_browser(client):
    assert html_lang(client.get("/", headers={"Accept-Language": "kk,ru;q=0.8"}).get_data(as_text=True)) == "kk"
    assert html_lang(client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)) == "en"
    assert html_lang(client.get("/?lang=uz", headers={"Accept-Language": "kk"}).get_data(as_text=True)) == "uz"
    # the choice is remembered over the browser's wish
    assert html_lang(client.get("/", headers={"Accept-Language": "kk"}).get_data(as_text=True)) == "uz"
    assert html_lang(client.get("/?lang=xx").get_data(as_text=True)) == "uz"  # an unknown language is ignored


def test_the_switch_names_each_language_in_its_own_name(client):
    page = client.get("/countries/KZ?lang=tg").get_data(as_text=True)
    switch = page[page.index('<nav class="lang"'):]
    switch = switch[:switch.index("</nav>")]
    for code in LANGUAGES:
        link = re.search(rf'<a href="([^"]+)" hreflang="{code}" lang="{code}"[^>]*>([^<]+)</a>', switch)
        assert link, code
        assert link.group(2) == NATIVE_NAMES[code]
        assert link.group(1) == f"/countries/KZ?lang={code}"  # the same page in that language
    assert 'lang="tg" aria-current="true"' in switch


def test_a_text_shown_in_a_fallback_language_is_marked_with_its_language(app):
    with app.test_request_context("/?lang=kk"):
        marked = render_template_string("{{ t|t }}", t=KZ)
        assert marked.startswith('<span class="fallback" lang="ru">Казахстан</span><abbr class="fallback-mark"')
        assert ">ru</abbr>" in marked
        own = render_template_string("{{ t|t }}", t={**KZ, "kk": "Қазақстан"})
        assert own == "Қазақстан"  # a text in the page's language is not marked
        assert render_template_string("{{ t|t }}", t={"en": "Only English"}).count('lang="en"') == 1
    with app.test_request_context("/?lang=ru"):
        assert render_template_string("{{ t|t }}", t=KZ) == "Казахстан"
    with app.test_request_context("/?lang=en"):
        assert render_template_string("{{ t|t }}", t={"en": "a < b", "ru": "x"}) == "a &lt; b"  # still escaped
    with app.test_request_context("/?lang=uz"):
        assert "&lt;b&gt;" in render_template_string("{{ t|t }}", t={"en": "<b>", "ru": "<b>"})


def test_a_page_with_fallback_text_says_what_the_marks_mean_and_keeps_them_out_of_its_title(client):
    page = client.get("/countries/KZ?lang=kk").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "fallback" not in title and "<" not in title
    if 'class="fallback"' in page:
        assert 'class="draft-language' in page
    english = client.get("/countries/KZ?lang=en").get_data(as_text=True)
    assert 'class="fallback"' not in english and 'class="draft-language' not in english


def test_interface_text_missing_in_a_regional_catalogue_comes_from_russian(app):
    with app.test_request_context("/?lang=ky"):
        translations = get_translations()
        russian = translations._fallback  # the Kyrgyz catalogue falls back on the Russian one
        assert russian is not None and russian.gettext("Language") == "Язык"
        assert gettext("Language") != "Language"
    with app.test_request_context("/?lang=ru"):
        assert get_translations()._fallback is None  # Russian falls back on the English msgids only


def test_dates_and_numbers_follow_the_page_language(app):
    with app.test_request_context("/?lang=kk"):
        assert "желтоқсан" in render_template_string("{{ d|fdate }}", d=date(2026, 12, 3))
        assert render_template_string("{{ n|fnum(1) }}", n=12345.6) == "12\xa0345,6"
    with app.test_request_context("/?lang=tk"):
        assert "dekabr" in render_template_string("{{ d|fdate }}", d=date(2026, 12, 3))


def test_the_api_gives_each_text_in_one_language_along_the_chain_when_asked(client):
    every = client.get("/api/gaps/victims-penalised").get_json()
    assert {"en", "ru"} <= set(every["label"])
    for lang in LANGUAGES:
        one = client.get(f"/api/gaps/victims-penalised?lang={lang}").get_json()
        shown_in = next(iter(one["label"]))
        assert len(one["label"]) == 1 and shown_in in (lang, "ru", "en")
        assert one["label"][shown_in] == every["label"].get(lang) or shown_in != lang
        if lang not in every["label"]:  # not translated: the next language of the chain, which says so
            assert shown_in == ("en" if lang == "ru" else "ru")
        assert one["severity"] == every["severity"] and one["sources"] == every["sources"]  # only texts change


def test_the_catalogue_search_finds_words_of_the_regional_languages(client):
    kazakh = {g["code"] for g in client.get("/api/gaps?q=баспаналар").get_json()}  # "shelters"
    uzbek = {g["code"] for g in client.get("/api/gaps?q=boshpanalar").get_json()}
    assert "no-shelter-for-men" in kazakh and "no-shelter-for-men" in uzbek
    assert kazakh <= {g["code"] for g in client.get("/api/gaps").get_json()}

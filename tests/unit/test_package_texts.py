"""The package's own texts (report wording, problem messages, CSV headers, CLI words) in every language."""

import string

import pytest

from tipkb.cli.texts import catalogue_path, package_texts
from tipkb.i18n import (
    CONTEXT_SEPARATOR,
    REGIONAL_LANGUAGES,
    localised,
    localised_with_language,
    package_catalogue,
    script_mismatch,
)


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_localised_takes_the_table_then_the_catalogue_then_the_fallback_chain():
    translated = {"en": "Executive summary", "ru": "Краткое резюме"}
    assert localised(translated, "kk") == "Қысқаша түйін"  # the catalogue's translation of the English text
    assert localised({**translated, "kk": "Өз мәтіні"}, "kk") == "Өз мәтіні"  # the table's own text comes first
    assert localised(translated, "ru") == "Краткое резюме" and localised(translated, "en") == "Executive summary"
    unknown = {"en": "A text no catalogue has", "ru": "Текст, которого нет в каталогах"}
    assert localised_with_language(unknown, "uz") == ("Текст, которого нет в каталогах", "ru")  # uz → ru → en
    assert localised_with_language({"en": "English only"}, "tg") == ("English only", "en")
    assert localised(None, "kk") == ""
    # one English text, two meanings: each translated by its own entry, told apart by the Russian text
    assert localised({"en": "Evidence", "ru": "Доказательность"}, "uz") == "Dalillanganlik"
    assert localised({"en": "Evidence", "ru": "Подтверждающие материалы"}, "uz") == "Tasdiqlovchi materiallar"


@pytest.mark.parametrize("lang", REGIONAL_LANGUAGES)
def test_every_package_text_has_a_draft_translation_keeping_its_placeholders_in_the_language_s_script(lang):
    texts = package_texts()
    assert len(texts) > 200 and "Executive summary" in texts
    with catalogue_path(lang).open("rb") as f:
        from babel.messages.pofile import read_po

        catalogue = read_po(f, locale=lang)
    kept = {(f"{m.context}{CONTEXT_SEPARATOR}{m.id}" if m.context else m.id): m for m in catalogue if m.id}
    # the catalogue is up to date (python -m tipkb.cli.texts adds a new text, and drops one the code no longer has)
    assert sorted(set(texts) ^ set(kept)) == []
    translations = package_catalogue(lang)
    assert sorted(en for en in texts if not translations.get(en)) == []
    assert [en for en, m in kept.items() if "fuzzy" not in m.flags] == []  # written here, so drafts until reviewed
    assert [key for key in texts if _fields(translations[key]) != _fields(key.rpartition(CONTEXT_SEPARATOR)[2])] == []
    assert [(en, translations[en]) for en in texts if script_mismatch(translations[en], lang)] == []
    if lang == "uz":  # oʻ and gʻ with the modifier letter turned comma (U+02BB), never an apostrophe or a quote
        assert not [t for t in translations.values() if "o'" in t or "g'" in t or "o‘" in t or "g‘" in t]


def test_the_cli_the_csv_headers_and_the_run_notes_speak_the_regional_languages(shipped_kb):
    from tipkb.assess.followup import followup_csv
    from tipkb.cli.profile_text import format_profile
    from tipkb.facts.profile import country_profile
    from tipkb.recommend.explain import NO_ANSWERS_NOTE, unknown_country_note

    brief = format_profile(shipped_kb, country_profile(shipped_kb, "KG"), "ky")
    assert "TIP баяндамасынын категориялары:" in brief and "Документтештирилген боштуктар:" in brief
    # "Evidence" is the files kept here, not the strength of a practice's evidence ("Асоснокӣ") as in the report
    headers = followup_csv([], {}, "tg").splitlines()[0]
    assert headers == "№,Тавсия,Вазъият,Сана,Эзоҳ,Кӣ тағйир дод,Кай тағйир дода шуд,Маводи тасдиқкунанда"
    assert NO_ANSWERS_NOTE["tk"] == "Baha bermede entek jogap ýok."
    assert unknown_country_note("XX")["uz"].startswith("Bilimlar bazasida XX mamlakati haqida maʼlumot yoʻq")


def test_a_kb_text_put_into_a_regional_sentence_in_russian_is_marked(questionnaire):
    from tipkb.recommend.explain import answer_text

    # the test questionnaire has English and Russian only: a Kazakh reason quotes the Russian, marked
    text = answer_text(questionnaire, "PR03", "rarely")
    question = questionnaire.question("PR03").text["ru"]
    assert text["kk"] == f"PR03 «{question}\u00a0(RU)» — жауап: Редко\u00a0(RU)"
    assert text["ru"] == f"PR03 «{question}» — ответ: Редко"

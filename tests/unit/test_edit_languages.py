"""Regional texts in forms and the changeset API: kept when a request leaves them out, refused in the wrong script."""

import pytest

from tipkb.edit.entity_types import entity_type
from tipkb.edit.forms import FormError, check_fields, field_terms, values_from_form
from tipkb.edit.languages import DRAFTS, merge_texts

GAP = entity_type("gap")


def test_a_request_that_leaves_out_a_language_keeps_its_text():
    current = {"label": {"en": "Gap", "ru": "Пробел", "kk": "Олқылық"}, "severity": "3"}
    merged = merge_texts(GAP, current, {"label": {"en": "A gap"}})
    assert merged["label"] == {"en": "A gap", "ru": "Пробел", "kk": "Олқылық"} and merged["severity"] == "3"
    assert merge_texts(GAP, current, {"label": {"kk": ""}})["label"]["kk"] == ""  # an empty text removes it


@pytest.mark.parametrize(("lang", "text", "refused"), [
    ("uz", "Boʻshliq", False), ("uz", "Бўшлиқ", True), ("kk", "Олқылық", False), ("kk", "Olqylyq", True)])
def test_a_regional_text_in_the_wrong_script_is_refused(lang, text, refused):
    value = {"en": "Gap", "ru": "Пробел", lang: text}
    if refused:
        with pytest.raises(ValueError, match=f"@{lang}"):
            field_terms(GAP.field("label"), value)
    else:
        assert len(field_terms(GAP.field("label"), value)) == 3


def test_english_and_russian_stay_required_whatever_else_is_given():
    with pytest.raises(ValueError, match="English and in Russian"):
        field_terms(GAP.field("label"), {"en": "Gap", "kk": "Олқылық"})


def test_draft_marks_come_from_a_form_that_shows_them_and_name_regional_languages():
    assert DRAFTS not in values_from_form(GAP, {"label.en": ["Gap"]})
    assert values_from_form(GAP, {"drafts-shown": ["1"], "draft": ["uz", "xx"]})[DRAFTS] == ["uz"]
    assert values_from_form(GAP, {"drafts-shown": ["1"]})[DRAFTS] == []
    with pytest.raises(FormError) as refused:
        check_fields(GAP, {DRAFTS: ["ru"]})
    assert DRAFTS in refused.value.errors

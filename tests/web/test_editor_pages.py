"""Issue #16, item 6: the editor's pages name entities by their labels, and several-choice lists are checkbox lists."""

import re
from html import unescape

import pytest

NRM = "/editor/best-practice/practice-national-referral-mechanism/edit"
UNTOC = "/editor/ratification/ratification-kz-untoc/edit"
LEGEND = "Addresses gap"
UNTOC_EN = "Kazakhstan · United Nations Convention against Transnational Organized Crime"
UNTOC_RU = "Казахстан · Конвенция Организации Объединенных Наций против транснациональной организованной преступности"



def title_and_heading(page: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    heading = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    return unescape(" ".join(title.split())), unescape(" ".join(heading.split()))


@pytest.mark.slow
def test_edit_pages_are_titled_with_the_label_in_the_page_language_not_the_iri(expert):
    page = expert.get(NRM + "?lang=en").get_data(as_text=True)
    assert title_and_heading(page) == ("Edit: Formal national referral mechanism — tipkb",
                                       "Edit: Formal national referral mechanism")
    page = expert.get(NRM + "?lang=ru").get_data(as_text=True)
    assert title_and_heading(page)[1] == "Правка: Официальный национальный механизм перенаправления"
    # a ratification has no label of its own: its name is made from its country and instrument
    assert title_and_heading(expert.get(UNTOC + "?lang=en").get_data(as_text=True))[1] == f"Edit: {UNTOC_EN}"
    assert title_and_heading(expert.get(UNTOC + "?lang=ru").get_data(as_text=True))[1] == f"Правка: {UNTOC_RU}"
    history = expert.get("/editor/ratification/ratification-kz-untoc/history?lang=en").get_data(as_text=True)
    assert title_and_heading(history) == (f"History of {UNTOC_EN} — tipkb", f"History of {UNTOC_EN}")


@pytest.mark.slow
def test_a_several_choice_list_is_a_fieldset_of_checkboxes_with_the_chosen_ones_first(expert):
    page = expert.get(NRM + "?lang=en").get_data(as_text=True)
    assert "<select" not in page.split('id="field-gaps"')[1].split("</fieldset>")[0]
    block = re.search(r'<fieldset class="field checklist[^"]*" id="field-gaps".*?</fieldset>', page, re.S).group(0)
    assert re.search(r"<legend>(.*?) <span", block).group(1) == LEGEND
    boxes = re.findall(r'<input type="checkbox" name="gaps" value="([^"]+)"( checked)?>', block)
    assert len(boxes) == 72  # every gap of the catalogue, each once
    ticked = [iri for iri, checked in boxes if checked]
    assert len(ticked) == 5 and [iri for iri, _ in boxes[:5]] == ticked  # the chosen ones first
    assert "https://w3id.org/tipkb/kb/gap-no-formal-nrm" in ticked
    assert re.search(r"Chosen: <strong>5</strong>", block)
    assert 'hidden>Find <input type="search"' in block  # the filter box appears only with the script
    assert re.search(r'<script src="/static/editor[.\w]*\.js" defer>', page)


@pytest.mark.slow
def test_a_stale_save_keeps_the_ticked_choices_in_the_conflict_form(expert):
    from .test_editor import form_data

    form = form_data(expert.get(NRM + "?lang=en").get_data(as_text=True), "/practice-national-referral-mechanism/edit")
    assert len(form["gaps"]) == 5  # what a browser sends: the ticked boxes only
    form.update({"version": ["a-version-someone-else-replaced"], "reason": ["more gaps"],
                 "gaps": [*form["gaps"], "https://w3id.org/tipkb/kb/gap-no-shelter-for-men"]})
    response = expert.post(NRM + "?lang=en", data=form)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Edit conflict: Formal national referral mechanism — tipkb" in unescape(page)
    kept = form_data(page, "/practice-national-referral-mechanism/edit")["gaps"]
    assert sorted(kept) == sorted(form["gaps"]) and len(kept) == 6

"""The editor shows every language side by side; an expert reviews a draft translation or refuses a wrong script."""

import pytest
from rdflib import Literal, URIRef

from tipkb.namespaces import TIP
from webapp.kb import get_kb

from .test_editor import app, expert, form_data, login  # noqa: F401 (fixtures)

KB = "https://w3id.org/tipkb/kb/"
GAP = "gap-action-plan-not-costed"
EDIT = f"/editor/gap/{GAP}/edit"
LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")


@pytest.mark.slow
def test_an_expert_reviews_a_kazakh_label_and_a_cyrillic_uzbek_label_is_refused(app, expert):  # noqa: F811
    page = expert.get(EDIT).get_data(as_text=True)
    for code, name in (("kk", "Қазақша"), ("uz", "Oʻzbekcha"), ("tg", "Тоҷикӣ")):
        assert f'name="label.{code}" lang="{code}"' in page and name in page
    form = form_data(page, f"/{GAP}/edit")
    assert "kk" in form["draft"], "the shipped Kazakh text is a draft"
    form.update({"label.kk": ["Қаржыландырылмаған ұлттық іс-қимыл жоспары"], "reason": ["reviewed the Kazakh"],
                 "draft": [c for c in form["draft"] if c != "kk"]})
    saved = expert.post(EDIT, data=form)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    with app.app_context():
        kb, gap = get_kb(), URIRef(KB + GAP)
        assert {str(o) for o in kb.dataset.objects(gap, LABEL) if o.language == "kk"} == {
            "Қаржыландырылмаған ұлттық іс-қимыл жоспары"}
        marks = {str(o) for o in kb.dataset.objects(gap, TIP.draftTranslation)}
        assert "kk" not in marks and "uz" in marks
    history = expert.get(f"/editor/gap/{GAP}/history").get_data(as_text=True)
    assert "reviewed the Kazakh" in history
    diff = expert.get("/editor/changesets/1").get_data(as_text=True)
    assert "Қаржыландырылмаған ұлттық іс-қимыл жоспары" in diff

    form = form_data(expert.get(EDIT).get_data(as_text=True), f"/{GAP}/edit")
    assert "kk" not in form.get("draft", [])
    form.update({"label.uz": ["Молиялаштирилмаган миллий ҳаракатлар режаси"], "reason": ["Uzbek in Cyrillic"]})
    refused = expert.post(EDIT, data=form)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="field-label"' in body and "Cyrillic letters in the Oʻzbekcha text" in body
    with app.app_context():
        assert Literal("Молиялаштирилмаган миллий ҳаракатлар режаси", lang="uz") not in set(
            get_kb().dataset.objects(URIRef(KB + GAP), LABEL))


@pytest.mark.slow
def test_the_translations_page_shows_coverage_and_what_to_review_in_a_language(app, expert):  # noqa: F811
    page = expert.get("/editor/").get_data(as_text=True)
    assert 'href="/editor/translations"' in page
    page = expert.get("/editor/translations").get_data(as_text=True)
    assert all(name in page for name in ("Қазақша", "Кыргызча", "Тоҷикӣ", "Türkmençe", "Oʻzbekcha"))
    english = [cell for cell in page.split('data-lang="en">')[1:]]
    assert len(english) == 5 and all(cell.startswith("100%") for cell in english)
    assert 'href="/editor/translations?language=kk"' in page
    listed = expert.get("/editor/translations?language=kk").get_data(as_text=True)
    assert f'href="/editor/gap/{GAP}/edit"' in listed, "a draft Kazakh gap label links to its form"
    assert expert.get("/editor/translations?language=fr").status_code == 404
    assert app.test_client().get("/editor/translations").status_code in (302, 401)

"""Everything that reads KB text reads it in all seven languages, so pick() can follow a language's chain."""

import pytest

from tipkb import load_kb
from tipkb.assess.questionnaire import load_questionnaire
from tipkb.edit.entity_types import TYPES
from tipkb.edit.forms import list_entities, options
from tipkb.facts.countries import list_countries
from tipkb.facts.profile import country_profile
from tipkb.namespaces import KB_IRI as KB
from tipkb.namespaces import TIP

REGIONAL = """@prefix tip: <https://w3id.org/tipkb/ontology#> .
@prefix kb: <https://w3id.org/tipkb/kb/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kb:country-kz rdfs:label "Қазақстан"@kk , "Qozogʻiston"@uz .
kb:gap-test rdfs:label "Сынақ олқылығы"@kk ; tip:draftTranslation "kk" .
kb:section-test rdfs:label "Бөлім"@kk .
kb:q-te01 rdfs:label "Сұрақ?"@kk ; tip:help "Көмек"@kk .
kb:q-te01-yes rdfs:label "Иә"@kk , "Ha"@uz .
"""


@pytest.mark.slow
def test_regional_texts_reach_profiles_questionnaire_and_editor(small_root):
    (small_root / "kb" / "translations.ttl").write_text(REGIONAL, encoding="utf-8")
    kb = load_kb(small_root)
    label = country_profile(kb, "kz")["label"]
    assert (label["kk"], label["uz"], set(label) >= {"en", "ru"}) == ("Қазақстан", "Qozogʻiston", True)
    q = load_questionnaire(kb)
    question = q.questions[0]
    assert (question.text["kk"], question.help["kk"]) == ("Сұрақ?", "Көмек")
    assert {o.label.get("uz") for o in question.options} == {"Ha"}
    assert {s.label.get("kk") for s in q.sections} == {"Бөлім"}
    gaps = {e.iri.rsplit("/", 1)[-1]: e.labels for e in list_entities(kb, TYPES["gap"])}
    assert gaps["gap-test"]["kk"] == "Сынақ олқылығы"
    assert dict(options(kb, TIP.Gap, "kk"))[KB + "gap-test"] == "Сынақ олқылығы"
    assert dict(options(kb, TIP.BestPractice, "kk"))[KB + "practice-test"] == "Тестовая практика"  # Russian next
    labels = {c.code: c.label for c in list_countries(kb, "uz")}
    assert labels["KZ"] == "Qozogʻiston" and labels["KG"] == "Кыргызстан"  # no Uzbek label: Russian, not English

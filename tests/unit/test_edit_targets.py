"""The edit wing's one check of what an edit may target and of the shape of its values (editor and API share it)."""

import pytest
from rdflib import URIRef

from tipkb.edit.entity_types import entity_type
from tipkb.edit.forms import (
    FormError,
    build_edit,
    check_fields,
    editable_entity,
    is_iri,
    values_from_form,
    values_from_json,
)

KB = "https://w3id.org/tipkb/kb/"
UNTOC = KB + "ratification-kz-untoc"


def test_an_entity_of_the_kb_is_editable_as_its_own_type(shipped_kb):
    assert editable_entity(shipped_kb, entity_type("ratification"), UNTOC) == URIRef(UNTOC)


@pytest.mark.parametrize(("kind", "iri", "says"), [
    ("gap", "https://w3id.org/tipkb/ontology#Country", "not an entity of the KB"),
    ("gap", "urn:x:thing", "not an entity of the KB"),
    ("gap", "https://evil.example/thing", "not an entity of the KB"),
    ("gap", KB + "gap x", "not an entity of the KB"),
    ("gap", KB, "not an entity of the KB"),
    ("gap", UNTOC, "kb:ratification-kz-untoc is not a gap of the KB"),
    ("ratification", KB + "ratification-kz-nothing", "is not a ratification of the KB"),
    ("ratification", 42, "expected a string"),
])
def test_anything_else_is_refused_naming_iri(shipped_kb, kind, iri, says):
    with pytest.raises(FormError) as refused:
        editable_entity(shipped_kb, entity_type(kind), iri)
    assert list(refused.value.errors) == ["iri"] and says in refused.value.errors["iri"]


def test_build_edit_refuses_a_target_the_editor_would_refuse(shipped_kb):
    with pytest.raises(FormError) as refused:
        build_edit(shipped_kb, entity_type("gap"), {}, iri="https://w3id.org/tipkb/ontology#Country",
                   base_version="")
    assert "iri" in refused.value.errors


def test_a_type_the_editor_does_not_create_is_not_created(shipped_kb):
    with pytest.raises(FormError) as refused:
        build_edit(shipped_kb, entity_type("answer-option"), {"value": "x", "order": "1"}, iri=None,
                   base_version="", local_name="option-x")
    assert "type" in refused.value.errors


def test_values_of_the_wrong_shape_are_named():
    with pytest.raises(FormError) as refused:
        check_fields(entity_type("ratification"), {"year": 2009, "note": "plain", "sources": [1], "colour": "red",
                                                   "confidence": "high\x00"})
    assert set(refused.value.errors) == {"year", "note", "sources", "colour", "confidence"}


def test_values_sent_as_json_are_read_as_the_editor_reads_its_form():
    ratification = entity_type("ratification")
    sent = {"year": " 2009 ", "sources": [" https://example.org/a ", "", "https://example.org/b"],
            "status": KB + "status-ratified ", "note": {"en": " checked "}, "date": None}
    form = {"year": ["2009"], "sources": ["https://example.org/a\n\nhttps://example.org/b"],
            "status": [KB + "status-ratified"], "note.en": ["checked"]}
    assert values_from_json(ratification, sent) == values_from_form(ratification, form)
    assert values_from_json(ratification, sent)["note"] == {"en": "checked", "ru": "", "kk": "", "ky": "", "tg": "",
                                                            "tk": "", "uz": ""}
    with pytest.raises(FormError) as refused:
        values_from_json(ratification, {"note": {"fr": "text"}})
    assert "not a language of the KB" in refused.value.errors["note"]


@pytest.mark.parametrize(("value", "ok"), [(UNTOC, True), ("urn:x:y", True), ("a b", False), (KB + "x y", False),
                                           (KB + "x>", False), (KB + "x\x01", False), ("no-scheme", False),
                                           (None, False), ("http://x/" + "a" * 3000, False)])
def test_iri_syntax(value, ok):
    assert is_iri(value) is ok

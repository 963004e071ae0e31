"""namespaces.py and ontology/tip.ttl stay in sync; every term the code and queries use is declared."""

import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, Graph

from tipkb.namespaces import CLASSES, TIP, TIP_IRI

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "tip.ttl", format="turtle")


def declared(ontology: Graph) -> set[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {str(s).removeprefix(TIP_IRI) for k in kinds for s in ontology.subjects(RDF.type, k)
            if str(s).startswith(TIP_IRI)}


def test_every_class_named_in_code_is_declared(ontology):
    assert set(CLASSES) <= declared(ontology)


def test_every_declared_class_is_named_in_code(ontology):
    classes = {str(s).removeprefix(TIP_IRI) for s in ontology.subjects(RDF.type, OWL.Class)
               if str(s).startswith(TIP_IRI)}
    assert classes == set(CLASSES)


def test_terms_used_in_code_and_queries_are_declared(ontology):
    names = declared(ontology)
    used = set()
    for path in [*ROOT.glob("src/tipkb/**/*.py"), *ROOT.glob("src/tipkb/**/*.rq"), *ROOT.glob("kb/rules/*.rq"),
                 *ROOT.glob("ontology/qc/*.rq"), *ROOT.glob("webapp/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        used |= {m for m in re.findall(r"\btip:([A-Za-z][A-Za-z0-9]*)", text)}
        used |= {m for m in re.findall(r"\bTIP\.([A-Za-z][A-Za-z0-9]*)", text)}
    assert used, "found no tip: terms at all"
    assert sorted(used - names) == []


def test_namespace_object_resolves():
    assert str(TIP.Country) == "https://w3id.org/tipkb/ontology#Country"

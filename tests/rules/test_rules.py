"""Every recommendation rule has a case folder (input graph, expected output), and each case holds."""

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic, to_isomorphic

from tipkb import load_kb
from tipkb.recommend.rules import load_rules

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
RUN = URIRef("https://w3id.org/tipkb/run/test")
RULES = {r.id: r for r in load_rules(ROOT)}


def test_every_rule_has_a_case_folder():
    missing = [rid for rid in RULES
               if not ((HERE / rid / "input.ttl").exists() and (HERE / rid / "expected.ttl").exists())]
    assert missing == [], f"rules without tests/rules/<id>/input.ttl and expected.ttl: {missing}"


def test_every_case_folder_names_a_rule():
    folders = {p.name for p in HERE.iterdir() if p.is_dir() and (p / "input.ttl").exists()}
    assert folders <= set(RULES)


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def backend(request):
    return request.param


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_case(rule_id, backend, tmp_path):
    shutil.copytree(ROOT / "ontology", tmp_path / "ontology")
    shutil.copytree(ROOT / "kb" / "vocab", tmp_path / "kb" / "vocab")
    shutil.copy(ROOT / "kb" / "countries.ttl", tmp_path / "kb" / "countries.ttl")
    shutil.copy(HERE / rule_id / "input.ttl", tmp_path / "kb" / "input.ttl")
    kb = load_kb(tmp_path, backend=backend)
    got = Graph()
    for triple in kb.query(RULES[rule_id].text, {"assessment": RUN}):
        got.add(triple)
    expected = Graph().parse(HERE / rule_id / "expected.ttl", format="turtle")
    if not isomorphic(_normal(got), _normal(expected)):
        pytest.fail(f"{rule_id} produced:\n{got.serialize(format='turtle')}")


def _normal(g: Graph) -> Graph:
    """Compare numbers by value (1.0 and 1.00 are the same weight)."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    out = Graph()
    for s, p, o in g:
        if isinstance(o, Literal) and o.datatype in (XSD.decimal, XSD.double, XSD.integer):
            o = Literal(round(float(o), 6))
        out.add((s, p, o))
    return to_isomorphic(out)

"""The edit validator checks a change's resources over their neighbourhood and finds what the whole graph gives."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from tipkb.checks.shacl import reads_only_neighbourhood, shacl_findings
from tipkb.checks.validation import shapes_graph
from tipkb.edit.precheck import EditValidator, neighbourhood, skolem
from tipkb.store.kb import load_kb
from tipkb.store.terms import to_ox

ROOT = Path(__file__).resolve().parents[2]
SHAPE_CASES = ROOT / "tests" / "shapes"
TSH = "https://w3id.org/tipkb/shapes#"
PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix tip: <https://w3id.org/tipkb/ontology#> .
@prefix ex: <https://example.org/> .
"""


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return shapes_graph(ROOT)


def test_the_shipped_shapes_read_only_a_focus_nodes_neighbourhood(shapes):
    assert reads_only_neighbourhood(shapes)


@pytest.mark.parametrize("shape", [
    "ex:S sh:targetClass tip:Gap ; sh:node ex:T .",
    "ex:S sh:targetClass tip:Gap ; sh:property [ sh:path [ sh:inversePath tip:gap ] ; sh:maxCount 1 ] .",
    "ex:S sh:targetClass tip:Gap ; sh:property [ sh:path tip:practice ;"
    " sh:or ( [ sh:property [ sh:path tip:source ; sh:minCount 1 ] ] ) ] .",
], ids=["node", "inverse-path", "property-of-a-value"])
def test_shapes_that_read_further_are_checked_over_the_whole_graph(shape):
    local = Graph().parse(data=PREFIXES + "ex:S sh:targetClass tip:Gap ; sh:property [ sh:path tip:practice ;"
                          " sh:class tip:BestPractice ; sh:or ( [ sh:nodeKind sh:IRI ] ) ] .", format="turtle")
    assert reads_only_neighbourhood(local)
    assert not reads_only_neighbourhood(Graph().parse(data=PREFIXES + shape, format="turtle"))


def findings_about(data: Graph, shapes: Graph, focus: set) -> list:
    return [f for f in shacl_findings(data, shapes) if f.focus in focus]


@pytest.mark.parametrize("kind", ["fail", "pass"])
def test_the_neighbourhood_finds_what_the_whole_graph_finds(shapes, kind):
    """Every shape's failing (or passing) case at once, over the ontology, the vocabularies and the countries."""
    data, cases = Graph(), Graph()
    for path in [*sorted((ROOT / "ontology").glob("*.ttl")), *sorted((ROOT / "kb" / "vocab").glob("*.ttl")),
                 ROOT / "kb" / "countries.ttl", SHAPE_CASES / "base.ttl"]:
        data.parse(path, format="turtle")
    for path in sorted(SHAPE_CASES.glob(f"*/{kind}.ttl")):  # the resources each case describes, named apart
        case = Graph().parse(path, format="turtle")
        own = {s: URIRef(f"{s}-{path.parent.name}") for s in case.subjects()
               if isinstance(s, URIRef) and (s, None, None) not in data}
        cases += {tuple(own.get(t, t) for t in triple) for triple in case}
    store = ox.Store()
    store.extend(ox.Quad(*(to_ox(t) for t in triple), ox.DefaultGraph()) for triple in data + cases)
    focus = {skolem(s) for s in cases.subjects()}
    expected = findings_about(neighbourhood(store, None), shapes, focus)  # the whole graph
    if kind == "fail":  # every shape's case fails among the others, the value of an sh:or too (StatisticShape)
        assert {str(f.shape).removeprefix(TSH) for f in expected} >= {p.name for p in SHAPE_CASES.iterdir()
                                                                       if (p / "fail.ttl").exists()}
    else:
        assert expected == []
    assert findings_about(neighbourhood(store, focus), shapes, focus) == expected


def case_quads(path: Path) -> list:
    graph = URIRef("https://w3id.org/tipkb/graph/kb/sample.ttl")
    return [(graph, *triple) for triple in Graph().parse(path, format="turtle")]


def test_an_edit_whose_value_breaks_an_sh_or_is_refused(small_root):
    """Regression: pySHACL's focus-node option left a value's sh:or unchecked, so an edit could make a statistic's
    value a word."""
    validator = EditValidator(load_kb(small_root), shapes_graph(small_root), small_root / "ontology" / "qc")
    stat = URIRef("https://w3id.org/tipkb/kb/stat-x")
    [problem] = validator.check([], case_quads(SHAPE_CASES / "StatisticShape" / "fail.ttl"), {stat})
    assert (problem.rule, problem.path) == ("tsh:StatisticShape", "https://w3id.org/tipkb/ontology#value")
    assert validator.check([], case_quads(SHAPE_CASES / "StatisticShape" / "pass.ttl"), {stat}) == []

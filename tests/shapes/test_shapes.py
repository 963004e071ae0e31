"""Every SHACL shape has a case that passes and a case that must fail.

A case is checked against its own shape and the shapes that one refers to: whether a shape holds does
not depend on the others, and pySHACL takes a fraction of the time over one shape.
"""

from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH

from tipkb.checks.shacl import shacl_findings
from tipkb.checks.validation import shapes_graph

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
TSH = "https://w3id.org/tipkb/shapes#"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return shapes_graph(ROOT)


@pytest.fixture(scope="module")
def base() -> Graph:
    g = Graph()
    for path in [*sorted((ROOT / "ontology").glob("*.ttl")), *sorted((ROOT / "kb" / "vocab").glob("*.ttl")),
                 ROOT / "kb" / "countries.ttl", HERE / "base.ttl"]:
        g.parse(path, format="turtle")
    return g


def named_shapes(shapes: Graph) -> list[str]:
    return sorted(str(s).removeprefix(TSH) for s in shapes.subjects(None, SH.NodeShape) if str(s).startswith(TSH))


def shape_alone(shapes: Graph, name: str) -> Graph:
    """Return one named shape with everything it refers to: its property shapes, lists and named shapes."""
    alone = Graph(namespace_manager=shapes.namespace_manager)
    todo, seen = [URIRef(TSH + name)], set()
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            for s, p, o in shapes.triples((node, None, None)):
                alone.add((s, p, o))
                if isinstance(o, BNode) or (o, None, None) in shapes:
                    todo.append(o)
    return alone


def violated_shapes(data: Graph, shapes: Graph) -> set[str]:
    return {str(f.shape).removeprefix(TSH) for f in shacl_findings(data, shapes)}


CASES = sorted(p.name for p in HERE.iterdir() if p.is_dir() and (p / "pass.ttl").exists())


def test_every_shape_has_a_case_folder(shapes):
    assert named_shapes(shapes), "no shapes found"
    missing = [s for s in named_shapes(shapes) if s not in CASES]
    assert not missing, f"shapes without tests/shapes/<name>/pass.ttl and fail.ttl: {missing}"


def test_base_world_conforms(base, shapes):
    assert violated_shapes(base, shapes) == set()


@pytest.mark.parametrize("name", CASES)
def test_pass_case_conforms(name, base, shapes):
    data = Graph() + base
    data.parse(HERE / name / "pass.ttl", format="turtle")
    assert name not in violated_shapes(data, shape_alone(shapes, name))


@pytest.mark.parametrize("name", CASES)
def test_fail_case_is_caught_by_its_shape(name, base, shapes):
    data = Graph() + base
    data.parse(HERE / name / "fail.ttl", format="turtle")
    assert name in violated_shapes(data, shape_alone(shapes, name))


def test_shape_names_are_iris(shapes):
    assert all(isinstance(s, URIRef) for s in shapes.subjects(None, SH.NodeShape))

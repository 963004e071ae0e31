"""Shared fixtures: the shipped KB, parsed once per session."""

from pathlib import Path

import pytest
from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def kb_graph() -> Graph:
    """The ontology and every KB file, merged into one read-only graph."""
    g = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")) + sorted((ROOT / "kb").rglob("*.ttl")):
        g.parse(path, format="turtle")
    return g

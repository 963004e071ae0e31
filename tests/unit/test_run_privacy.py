"""A recommendation run's answers never leave the store through a download or an endpoint snapshot."""

import pytest
from rdflib import Graph, Literal, URIRef

from tipkb.edit.kbio import DOWNLOAD_FORMATS, serialize_kb
from tipkb.namespaces import RUN_IRI
from tipkb.recommend.rules import run_scope
from tipkb.store.backends import BACKENDS
from tipkb.store.kb import load_kb

SECRET = "private note of an NGO, mid-run"


@pytest.mark.parametrize("backend", BACKENDS)
def test_exports_taken_during_a_run_leave_the_run_out(small_root, tmp_path, backend):
    """Regression: a download or SPARQL snapshot made while another request ran the rules published its answers."""
    kb = load_kb(small_root, backend=backend)
    run = URIRef(RUN_IRI + "test")
    graph = Graph()
    graph.add((URIRef(RUN_IRI + "test/answer"), URIRef("https://w3id.org/tipkb/ontology#note"), Literal(SECRET)))
    with run_scope(kb, run, graph):
        seen = kb.rows("SELECT ?n WHERE { ?a <https://w3id.org/tipkb/ontology#note> ?n }")
        assert {"n": SECRET} in seen  # the run is really in the store while it lasts
        kb.dump_nquads(tmp_path / "snapshot.nq")
        assert SECRET not in (tmp_path / "snapshot.nq").read_text()
        assert all(q.graph_name.value != str(run) for q in kb.ox_quads())
        for fmt in DOWNLOAD_FORMATS:
            assert SECRET.encode() not in serialize_kb(kb, fmt), fmt
    assert len(kb) > 0

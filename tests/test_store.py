"""Loading the KB: one named graph per file, an on-disk store that is reused or rebuilt, and both backends
behaving the same behind KnowledgeBase."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from tipkb import KBLoadError, load_kb
from tipkb.errors import ConfigError, QueryError
from tipkb.namespaces import graph_iri_for
from tipkb.store.backends import BACKENDS
from tipkb.store.kb import discover
from tipkb.store.terms import ox_value

KZ = URIRef("https://w3id.org/tipkb/kb/country-kz")
COUNT_COUNTRIES = "SELECT (COUNT(?c) AS ?n) WHERE { ?c a tip:Country }"
ISO_CODE = "<https://w3id.org/tipkb/ontology#isoCode>"


@pytest.fixture(params=BACKENDS)
def any_kb(request, small_root):
    """The small KB on each backend in turn."""
    return load_kb(small_root, backend=request.param)


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_backends_load_the_same_triples(small_root, backend):
    kb = load_kb(small_root, backend=backend)
    reference = load_kb(small_root, backend="rdflib")
    assert len(kb) == len(reference) > 1000
    assert int(kb.select(COUNT_COUNTRIES)[0]["n"]) >= 30


def test_one_named_graph_per_file(small_root, any_kb):
    kb = any_kb
    files = discover(small_root)
    assert {f.relpath for f in files} >= {"ontology/tip.ttl", "kb/countries.ttl", "kb/sample.ttl"}
    assert (KZ, None, None) in kb.graph_for("kb/countries.ttl")
    assert (KZ, None, None) not in kb.graph_for("kb/sample.ttl")
    assert kb.files_of(KZ) == ["kb/countries.ttl"]
    assert files[0].graph == graph_iri_for("ontology/tip.ttl")


def test_query_binds_values_instead_of_splicing_text(any_kb):
    kb = any_kb
    q = "SELECT ?c ?code WHERE { ?c tip:isoCode ?code }"
    assert [r["c"] for r in kb.select(q, {"code": "KZ"})] == [KZ]
    # A hostile value is just a string that matches nothing.
    assert kb.select(q, {"code": '"KZ" } ?x ?y ?z { '}) == []
    q = q.replace("tip:isoCode", ISO_CODE)
    assert [r["c"] for r in kb.rows(q, {"code": "KZ"})] == [str(KZ)]
    assert kb.rows(q, {"code": Literal('KZ" } ?x ?y ?z { "')}) == []


def test_bad_query_raises_query_error(any_kb):
    with pytest.raises(QueryError):
        any_kb.select("SELECT ?x WHERE {")
    with pytest.raises(QueryError):
        any_kb.rows("SELECT ?x WHERE { ?x ?y }")


def test_persistent_store_is_reused_then_rebuilt_when_a_file_changes(small_root, tmp_path):
    store = tmp_path / "store"
    first = load_kb(small_root, store_path=store)
    size = len(first)
    first.close()
    fingerprint = Path(str(store) + ".fingerprint").read_text()
    again = load_kb(small_root, store_path=store)
    assert len(again) == size
    again.close()
    extra = small_root / "kb" / "extra.ttl"
    extra.write_text('<https://w3id.org/tipkb/kb/x> <http://www.w3.org/2000/01/rdf-schema#label> "x"@en .\n')
    rebuilt = load_kb(small_root, store_path=store)
    assert len(rebuilt) == size + 1
    assert Path(str(store) + ".fingerprint").read_text() != fingerprint


def test_syntax_error_stops_loading(small_root):
    (small_root / "kb" / "bad.ttl").write_text("this is not turtle\n")
    with pytest.raises(KBLoadError, match=r"kb/bad.ttl:1"):
        load_kb(small_root)


def test_unknown_backend_is_a_config_error(small_root):
    with pytest.raises(ConfigError, match="unknown store backend"):
        load_kb(small_root, backend="nosuch")


def test_fast_path_bindings_are_escaped_not_spliced(small_root):
    from tipkb.store.terms import with_values

    kb = load_kb(small_root)
    q = "SELECT ?c ?code WHERE { ?c tip:isoCode ?code }".replace("tip:", "<https://w3id.org/tipkb/ontology#")
    q = q.replace("#isoCode", "#isoCode>")
    assert [r["c"] for r in kb.rows(q, {"code": "KZ"})] == [str(KZ)]
    assert kb.rows(q, {"code": Literal('KZ" } ?x ?y ?z { "')}) == []
    with pytest.raises(QueryError, match="invalid IRI"):
        kb.rows(q, {"c": URIRef("https://example.org/x> } DROP ALL { <y")})
    # a comment mentioning WHERE does not move the binding; '#' inside an IRI is not a comment
    text = ("# WHERE { is only a comment\n"
            "PREFIX t: <https://w3id.org/tipkb/ontology#> SELECT ?c WHERE { ?c t:isoCode ?code }")
    assert with_values(text, {"code": "KZ"}).index("VALUES") > text.index("SELECT")


def test_added_triples_come_back_as_plain_values_and_go_with_their_graph(any_kb):
    run, s = URIRef("urn:x:run"), URIRef("urn:x:s")
    size = len(any_kb)
    any_kb.add_triples(run, [(s, URIRef("urn:x:n"), Literal(3)), (s, URIRef("urn:x:t"), Literal("text", lang="en")),
                             (s, URIRef("urn:x:d"), Literal("2.5", datatype=XSD.decimal)),
                             (s, URIRef("urn:x:i"), KZ)])
    query = "SELECT ?n ?t ?d ?i WHERE { <urn:x:s> <urn:x:n> ?n ; <urn:x:t> ?t ; <urn:x:d> ?d ; <urn:x:i> ?i }"
    assert any_kb.rows(query) == [{"n": 3, "t": "text", "d": 2.5, "i": str(KZ)}]
    assert len(any_kb) == size + 4
    any_kb.drop_graph(run)
    assert any_kb.rows(query) == []
    assert len(any_kb) == size


def test_construct_into_adds_the_constructed_triples_and_stamps_the_tagged_types(any_kb):
    run = URIRef("urn:x:run")
    query = (f"CONSTRUCT {{ ?f a <urn:x:Finding> ; <urn:x:about> ?c }} WHERE {{ ?c {ISO_CODE} ?code "
             "BIND(IRI(CONCAT('urn:x:finding-', ?code)) AS ?f) }")
    added = any_kb.construct_into(run, query, {"code": "KZ"}, tag=({"urn:x:Finding"}, "urn:x:rule", "R1"))
    assert added == 2
    stamped = "SELECT ?f ?about ?rule WHERE { GRAPH <urn:x:run> { ?f <urn:x:about> ?about ; <urn:x:rule> ?rule } }"
    assert any_kb.rows(stamped) == [{"f": "urn:x:finding-KZ", "about": str(KZ), "rule": "R1"}]
    assert any_kb.construct_into(run, query, {"code": "nowhere"}) == 0


def test_both_backends_hand_out_and_dump_the_same_quads(small_root, tmp_path):
    def ground(quads):  # without blank nodes; literals by value (the parsers write 1.0 as "1.0" or "1")
        def value(o):
            return (ox_value(o), o.language, o.datatype) if isinstance(o, ox.Literal) else o

        return {(q.subject, q.predicate, value(q.object), q.graph_name) for q in quads
                if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))}

    kbs = {name: load_kb(small_root, backend=name) for name in BACKENDS}
    quads = {name: list(kb.ox_quads()) for name, kb in kbs.items()}
    assert len(quads["oxigraph"]) == len(quads["rdflib"]) == len(kbs["rdflib"])
    assert ground(quads["oxigraph"]) == ground(quads["rdflib"])
    assert ox.NamedNode(str(graph_iri_for("kb/countries.ttl"))) in {q.graph_name for q in quads["rdflib"]}
    for name, kb in kbs.items():
        kb.dump_nquads(tmp_path / f"{name}.nq")
        dumped = list(ox.parse(path=str(tmp_path / f"{name}.nq"), format=ox.RdfFormat.N_QUADS))
        assert ground(dumped) == ground(quads["oxigraph"]), name
        assert len(kb.union_graph()) == len({(q.subject, q.predicate, q.object) for q in quads[name]})

"""Loading the KB: both backends, one named graph per file, an on-disk store that is reused or rebuilt."""

from pathlib import Path

import pytest
from rdflib import URIRef

from tipkb import KBLoadError, load_kb
from tipkb.errors import ConfigError, QueryError
from tipkb.namespaces import graph_iri_for
from tipkb.store.kb import discover

KZ = URIRef("https://w3id.org/tipkb/kb/country-kz")
COUNT_COUNTRIES = "SELECT (COUNT(?c) AS ?n) WHERE { ?c a tip:Country }"


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_backends_load_the_same_triples(small_root, backend):
    kb = load_kb(small_root, backend=backend)
    reference = load_kb(small_root, backend="rdflib")
    assert len(kb) == len(reference) > 1000
    assert int(kb.select(COUNT_COUNTRIES)[0]["n"]) >= 30


def test_one_named_graph_per_file(small_root):
    kb = load_kb(small_root)
    files = discover(small_root)
    assert {f.relpath for f in files} >= {"ontology/tip.ttl", "kb/countries.ttl", "kb/sample.ttl"}
    assert (KZ, None, None) in kb.graph_for("kb/countries.ttl")
    assert (KZ, None, None) not in kb.graph_for("kb/sample.ttl")
    assert kb.files_of(KZ) == ["kb/countries.ttl"]
    assert files[0].graph == graph_iri_for("ontology/tip.ttl")


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_query_binds_values_instead_of_splicing_text(small_root, backend):
    kb = load_kb(small_root, backend=backend)
    q = "SELECT ?c ?code WHERE { ?c tip:isoCode ?code }"
    assert [r["c"] for r in kb.select(q, {"code": "KZ"})] == [KZ]
    # A hostile value is just a string that matches nothing.
    assert kb.select(q, {"code": '"KZ" } ?x ?y ?z { '}) == []


def test_bad_query_raises_query_error(small_root):
    with pytest.raises(QueryError):
        load_kb(small_root).select("SELECT ?x WHERE {")


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
    from rdflib import Literal

    from tipkb.store.kb import with_values

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

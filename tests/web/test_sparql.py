"""Open data out: the read-only SPARQL 1.1 protocol endpoint and the KB downloads."""

import csv
import io
import json

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
TIERS = """PREFIX tip: <https://w3id.org/tipkb/ontology#>
SELECT ?year ?tier WHERE { ?r tip:country <https://w3id.org/tipkb/kb/country-kz> ; tip:reportYear ?year ;
  tip:tier ?tier } ORDER BY ?year"""


@pytest.fixture
def app(make_app):
    app = make_app(TIPKB_SPARQL_TIMEOUT=1.0, TIPKB_SPARQL_MAX_ROWS=100, WTF_CSRF_ENABLED=True)
    yield app
    app.extensions["tipkb_sparql"].close()


def test_select_by_get_as_json_then_csv_and_tsv_by_accept_header(client):
    response = client.get("/sparql", query_string={"query": TIERS},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200 and response.mimetype == "application/sparql-results+json"
    rows = json.loads(response.data)["results"]["bindings"]
    assert rows[0]["year"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    assert rows[0]["tier"]["type"] == "uri" and len(rows) >= 5
    response = client.get("/sparql", query_string={"query": TIERS}, headers={"Accept": "text/csv"})
    assert response.mimetype == "text/csv"
    assert next(csv.reader(io.StringIO(response.get_data(as_text=True)))) == ["year", "tier"]
    response = client.get("/sparql", query_string={"query": TIERS, "format": "tsv"})
    assert response.mimetype == "text/tab-separated-values"
    assert response.get_data(as_text=True).startswith("?year\t?tier\n")


def test_post_form_and_direct_post_work_without_a_csrf_token(client):
    response = client.post("/sparql", data={"query": "ASK { ?s a <https://w3id.org/tipkb/ontology#Country> }"})
    assert response.status_code == 200 and json.loads(response.data) == {"head": {}, "boolean": True}
    response = client.post("/sparql", data="CONSTRUCT { ?c a ?t } WHERE { ?c a ?t } LIMIT 5",
                           content_type="application/sparql-query", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle"
    assert len(Graph().parse(data=response.get_data(as_text=True), format="turtle")) == 5


@pytest.mark.parametrize("send", [
    {"method": "POST", "data": "DELETE WHERE { ?s ?p ?o }", "content_type": "application/sparql-update"},
    {"method": "POST", "data": {"update": "DROP ALL"}},
    {"method": "POST", "data": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
    {"method": "GET", "query_string": {"query": "CLEAR ALL"}},
])
def test_a_sparql_update_is_refused_and_changes_nothing(client, send):
    count = 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    before = client.get("/sparql", query_string={"query": count}).data
    response = client.open("/sparql", **send)
    assert response.status_code == 400
    assert b"read-only" in response.data
    assert client.get("/sparql", query_string={"query": count}).data == before


def test_a_runaway_query_is_cut_off_by_the_time_limit(client):
    response = client.get("/sparql", query_string={"query": RUNAWAY})  # bench/timings.py measures how soon
    assert response.status_code == 503 and b"time limit of 1 s" in response.data
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 200


def test_results_are_capped_and_say_so(client):
    response = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p ?o }"})
    assert response.headers["X-Result-Truncated"] == "true" and response.headers["X-Result-Count"] == "100"
    assert len(json.loads(response.data)["results"]["bindings"]) == 100


def test_the_endpoint_page_and_a_bad_query(client):
    page = client.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "SPARQL endpoint" in page and "read-only" in page
    response = client.get("/sparql", query_string={"query": "SELECT WHERE"})
    assert response.status_code == 400 and b"not SPARQL 1.1" in response.data


@pytest.mark.parametrize(("ext", "media", "parse"), [
    ("ttl", "text/turtle", ox.RdfFormat.TURTLE), ("nt", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
])
def test_the_kb_downloads_in_each_format(client, shipped_kb, ext, media, parse):
    response = client.get(f"/data/tipkb.{ext}")
    assert response.status_code == 200 and response.mimetype == media
    assert "attachment" in response.headers["Content-Disposition"]
    triples = set(ox.parse(response.data, format=parse))
    assert len(triples) == len(shipped_kb.union_graph())


def test_the_nquads_download_keeps_one_graph_per_file(client):
    ds = Dataset()
    ds.parse(data=client.get("/data/tipkb.nq").get_data(as_text=True), format="nquads")
    names = {str(g.identifier) for g in ds.graphs()}
    assert "https://w3id.org/tipkb/graph/kb/ratifications/kz.ttl" in names
    assert client.get("/data/tipkb.xml").status_code == 404

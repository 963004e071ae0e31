"""Open data out: the read-only SPARQL 1.1 protocol endpoint and the KB downloads."""

import csv
import http.client
import io
import json
import re
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from .webhelpers import serve

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
    assert "SPARQL endpoint" in page and "read-only" in page and "at most 16,384 bytes long" in page
    page = client.get("/sparql?lang=ru", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "не глубже 20 уровней" in page and "больше 10\xa0000\xa0000 байт" in page
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


# Issue #14, weakness 5: the SPARQL parser ran in the serving process, outside the time limit and across threads.
BOMB = "SELECT * WHERE { ?s ?p ?o FILTER(1=1 || " + " || ".join(["1=1"] * 9000) + ") }"  # 63 KB
# just under 16 KB, false for every pair of triples: past the time limit however fast the machine parses it
SMALL_BOMB = "SELECT * WHERE { ?s ?p ?o . ?a ?b ?c FILTER(1=0 || " + " || ".join(["1=0"] * 2290) + ") }"
SPARQL_BODY = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}
PAGES = ("/", "/countries/KZ")


def forty_terms(first: int) -> str:
    """An ordinary query: the countries whose code is one of 40, in a FILTER of 40 terms."""
    codes = [chr(97 + (first + n) % 26) + chr(97 + (first * 7 + n) % 26) for n in range(39)]
    codes.append(("kz", "kg", "tj", "tm", "uz", "ae")[first % 6])
    terms = " || ".join(f"?c = kb:country-{code}" for code in codes)
    return ("PREFIX tip: <https://w3id.org/tipkb/ontology#> PREFIX kb: <https://w3id.org/tipkb/kb/>\n"
            f"SELECT ?c WHERE {{ ?c a tip:Country FILTER({terms}) }} ORDER BY ?c")


def fetch(port: int, path: str, body: str | None = None) -> tuple[int, bytes, float]:
    """GET a path, or POST a query to it; return the status, the body and the seconds it took."""
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET" if body is None else "POST", path, None if body is None else body.encode(),
                     {} if body is None else SPARQL_BODY)
        response = conn.getresponse()
        return response.status, response.read(), time.monotonic() - started
    finally:
        conn.close()


def test_a_63_kb_filter_bomb_is_refused_at_once_and_a_smaller_one_is_stopped_at_the_time_limit(client):
    for send in ({"data": BOMB, "content_type": "application/sparql-query"}, {"data": {"query": BOMB}},
                 {"query_string": {"query": BOMB}, "method": "GET"}):
        started = time.monotonic()
        response = client.open("/sparql", method=send.pop("method", "POST"), **send)
        assert response.status_code == 413 and b"longer than the limit of 16,384 bytes" in response.data
        assert time.monotonic() - started < 1.0
    started = time.monotonic()
    response = client.post("/sparql", data=SMALL_BOMB, content_type="application/sparql-query")
    assert response.status_code == 503 and b"time limit of 1 s" in response.data
    assert time.monotonic() - started < 1.0 + 5  # the limit, and at most a worker's start and load before it


def test_thirty_levels_of_nesting_get_400_not_500(client):
    parentheses = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 30 + "1=1" + ")" * 30 + ") }"
    braces = "SELECT * WHERE " + "{ " * 30 + "?s ?p ?o" + " }" * 30
    for query in (parentheses, braces):
        response = client.get("/sparql", query_string={"query": query})
        assert response.status_code == 400 and b"the limit is 20" in response.data


def test_twenty_filter_bombs_at_once_leave_other_pages_answering_within_a_second(make_app):
    app = make_app(TIPKB_SPARQL_TIMEOUT=0.5)
    try:
        with serve(app) as url:
            port = int(url.rsplit(":", 1)[1])
            for path in PAGES:  # their first rendering is not what this measures
                assert fetch(port, path)[0] == 200
            answers = []
            bombs = [threading.Thread(target=lambda q=q: answers.append(fetch(port, "/sparql", q)), daemon=True)
                     for q in [BOMB, SMALL_BOMB] * 10]
            for bomb in bombs:
                bomb.start()
            pages, deadline = [], time.monotonic() + 30
            while (any(bomb.is_alive() for bomb in bombs) or len(pages) < 6) and time.monotonic() < deadline:
                pages += [(path, *fetch(port, path)) for path in PAGES]
            for bomb in bombs:
                bomb.join(timeout=max(0.0, deadline - time.monotonic()))
    finally:
        app.extensions["tipkb_sparql"].close()
    assert all(status == 200 for _, status, _, _ in pages)
    assert max(took for _, _, _, took in pages) < 1.0, sorted(took for _, _, _, took in pages)[-3:]
    assert sorted(status for status, _, _ in answers) == [413] * 10 + [503] * 10  # time limit, or all busy
    assert max(took for _, _, took in answers) < 5.0  # waiting for a worker, starting it, the time limit


def test_eight_clients_with_six_ordinary_queries_each_all_get_their_answer(make_app):
    app = make_app()
    queries = [forty_terms(k) for k in range(6)]
    try:
        with serve(app) as url:
            port = int(url.rsplit(":", 1)[1])
            alone = [fetch(port, "/sparql", q)[:2] for q in queries]
            assert all(status == 200 for status, _ in alone)
            together = {}

            def client(n):
                together[n] = [fetch(port, "/sparql", q)[:2] for q in queries]

            clients = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(8)]
            for c in clients:
                c.start()
            for c in clients:
                c.join()
    finally:
        app.extensions["tipkb_sparql"].close()
    assert [together[n] for n in range(8)] == [alone] * 8  # 48 × 200 with the same rows as one by one


def _peak_kb() -> int:
    return int(re.search(r"VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text()).group(1))


def test_a_result_past_the_byte_limit_is_refused_and_never_reaches_the_serving_process(make_app):
    limit = 1_000_000
    app = make_app(TIPKB_SPARQL_MAX_RESULT_BYTES=limit, TIPKB_SPARQL_MAX_ROWS=1_000_000, TIPKB_SPARQL_TIMEOUT=60)
    client = app.test_client()
    try:
        assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 200  # snapshot
        for query in ("SELECT * WHERE { ?s ?p ?o VALUES ?k { 1 2 3 4 5 6 7 8 } }",  # about 40 MB as JSON
                      "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"):
            Path("/proc/self/clear_refs").write_text("5")  # start the peak afresh
            before = _peak_kb()
            response = client.get("/sparql", query_string={"query": query})
            grew = (_peak_kb() - before) * 1024
            assert grew < limit + 4_000_000, grew
            assert response.status_code == 422 and b"larger than the limit of 1,000,000 bytes" in response.data
    finally:
        app.extensions["tipkb_sparql"].close()

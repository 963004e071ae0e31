"""The guarded SPARQL runner: read-only, cut off at the time limit (the worker really stops), capped in rows."""

import csv
import io
import json
import os
import threading
import time

import pytest

from tipkb.store.endpoint import EndpointError, QueryRunner
from tipkb.store.worker import Refused, check_query

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . ?p ?q ?r }"
COUNTRIES = "SELECT ?c WHERE { ?c a <https://w3id.org/tipkb/ontology#Country> } ORDER BY ?c"


@pytest.fixture
def runner(tmp_path):
    r = QueryRunner(tmp_path / "dumps", timeout=1.0, max_rows=5, workers=1)
    yield r
    r.close()


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://a> <http://b> <http://c> }", "DELETE WHERE { ?s ?p ?o }", "DROP ALL",
    "LOAD <http://example.org/data.ttl>", "CLEAR DEFAULT",
])
def test_updates_are_refused_before_anything_runs(update):
    with pytest.raises(Refused, match="read-only") as err:
        check_query(f"PREFIX ex: <http://example.org/> BASE <http://example.org/>\n{update}", 20)
    assert err.value.status == 400


def test_service_clauses_and_garbage_are_refused(runner, shipped_kb):
    with pytest.raises(Refused, match="SERVICE"):
        check_query("SELECT * WHERE { SERVICE <http://169.254.169.254/> { ?s ?p ?o } }", 20)
    with pytest.raises(EndpointError, match="not SPARQL") as err:
        runner.run(shipped_kb, "t1", "SHOW TABLES")
    assert err.value.status == 400


def test_select_results_are_capped_and_marked_truncated(runner, shipped_kb):
    answer = runner.run(shipped_kb, "t1", COUNTRIES, "json")
    data = json.loads(answer.body)
    assert answer.truncated and answer.count == 5 and len(data["results"]["bindings"]) == 5
    rows = list(csv.reader(io.StringIO(runner.run(shipped_kb, "t1", COUNTRIES, "csv").text)))
    assert rows[0] == ["c"] and rows[1] == ["https://w3id.org/tipkb/kb/country-ae"]
    tsv = runner.run(shipped_kb, "t1", COUNTRIES, "tsv").text.splitlines()
    assert tsv[:2] == ["?c", "<https://w3id.org/tipkb/kb/country-ae>"]


def test_ask_and_construct(runner, shipped_kb):
    assert json.loads(runner.run(shipped_kb, "t1", "ASK { ?s a ?c }").body) == {"head": {}, "boolean": True}
    answer = runner.run(shipped_kb, "t1", "CONSTRUCT { ?c a ?t } WHERE { ?c a ?t } LIMIT 3", "ntriples")
    assert answer.kind == "graph" and len(answer.text.strip().splitlines()) == 3


def test_a_runaway_query_is_stopped_at_the_time_limit_and_its_worker_is_gone(runner, shipped_kb):
    runner.run(shipped_kb, "t1", "ASK { ?s ?p ?o }")
    [worker] = runner._workers
    started = time.monotonic()
    with pytest.raises(EndpointError, match="time limit") as err:
        runner.run(shipped_kb, "t1", RUNAWAY)
    assert err.value.status == 503
    assert time.monotonic() - started >= 1.0  # it had its full second (how soon it stops: bench/timings.py)
    assert worker.proc.returncode is not None  # killed and reaped: it no longer burns a CPU
    with pytest.raises(ProcessLookupError):
        os.kill(worker.proc.pid, 0)
    assert json.loads(runner.run(shipped_kb, "t1", "ASK { ?s ?p ?o }").body)["boolean"] is True  # a new worker


def test_a_new_snapshot_is_used_when_the_kb_changes(runner, small_root):
    from rdflib import Literal, URIRef

    from tipkb.store.kb import load_kb

    kb = load_kb(small_root)
    query = 'ASK { ?s <urn:x:p> "new" }'
    assert json.loads(runner.run(kb, "v1", query).body)["boolean"] is False
    kb.dataset.graph(URIRef("urn:x:g")).add((URIRef("urn:x:s"), URIRef("urn:x:p"), Literal("new")))
    assert json.loads(runner.run(kb, "v1", query).body)["boolean"] is False  # same token: same snapshot
    assert json.loads(runner.run(kb, "v2", query).body)["boolean"] is True


# Ways to spell a SERVICE clause, each with the endpoint's address where {url} stands; Oxigraph reads a
# keyword glued to the token before it (1SERVICE, ?o.SERVICE, "x"SERVICE) and fetches the URL.
SERVICE_SPELLINGS = [
    "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "select * where { service silent <{url}> { ?s ?p ?o } }",
    "PREFIX : <{url}> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p 1.SERVICE <{url}> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p 1SERVICE <{url}> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p trueSERVICE <{url}> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p ?o.SERVICE <{url}> { ?a ?b ?c } }",
    'SELECT * WHERE { ?s ?p "x"SERVICE <{url}> { ?a ?b ?c } }',
    'SELECT * WHERE { ?s ?p "x"^^<http://t>SERVICE <{url}> { ?a ?b ?c } }',
    "PREFIX ex: <http://e/> SELECT * WHERE { ?s ?p ex:a\\#x . SERVICE <{url}> { ?a ?b ?c } }",
    "PREFIX ex: <http://e/> SELECT * WHERE { ?s ?p ex:a\\'x . SERVICE <{url}> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p '''a\\''' . SERVICE <{url}> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o<3) SERVICE<{url}>{ ?a ?b ?c } }",
    "SELECT * # a comment\nWHERE { SERVICE <{url}> { ?s ?p ?o } }",
]
NOT_SERVICE = [
    "SELECT ?service WHERE { ?service a <http://x/Service> }",
    "PREFIX tip: <http://t#> SELECT * WHERE { ?s a tip:ProtectionService ; tip:service-x ?o }",
    'SELECT * WHERE { ?s ?p ?o FILTER(CONTAINS(?o, "victim service")) } # SERVICE <http://x> {}',
    "SELECT * WHERE { <http://x/service> ?p ?o . ?s ?p '''SERVICE <http://x> { }''' }",
]


def test_no_spelling_of_service_makes_the_server_fetch_a_url(runner, shipped_kb):
    import socket

    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    try:
        for spelling in SERVICE_SPELLINGS:
            with pytest.raises(EndpointError) as err:
                runner.run(shipped_kb, "t1", spelling.replace("{url}", url))
            assert err.value.status == 400, spelling
            with pytest.raises(TimeoutError):  # nobody called
                listener.accept()
    finally:
        listener.close()


def test_queries_that_only_mention_service_are_not_refused():
    for text in NOT_SERVICE:
        check_query(text, 20)


@pytest.mark.parametrize(("opens", "closes"), [("(", ")"), ("{ ", " }"), ("[ ?p ", " ]")])
def test_brackets_nest_up_to_the_limit_and_no_deeper(opens, closes):
    def nested(depth):  # a query whose brackets nest `depth` deep, counting its own { and FILTER(
        if opens == "(":
            return "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * (depth - 2) + "1" + ")" * (depth - 2) + ") }"
        return "SELECT * WHERE { ?s ?p " + opens * (depth - 1) + "?o" + closes * (depth - 1) + " }"

    check_query(nested(20), 20)
    with pytest.raises(Refused, match="nested 21 deep; the limit is 20") as err:
        check_query(nested(21), 20)
    assert err.value.status == 400
    check_query('SELECT * WHERE { ?s ?p "' + opens * 40 + '" } # ' + opens * 40, 20)  # text, not nesting


@pytest.mark.parametrize(("query", "fmt"), [
    ("SELECT * WHERE { ?s ?p ?o }", "json"), ("SELECT * WHERE { ?s ?p ?o }", "csv"),
    ("SELECT * WHERE { ?s ?p ?o }", "tsv"), ("CONSTRUCT WHERE { ?s ?p ?o }", "turtle"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "ntriples"), ("CONSTRUCT WHERE { ?s ?p ?o }", "jsonld"),
])
def test_a_result_stops_at_the_byte_limit_in_every_format(query, fmt):
    import pyoxigraph as ox

    from tipkb.store.worker import ResultTooLarge, answer

    store = ox.Store()
    for n in range(200):
        store.add(ox.Quad(ox.NamedNode(f"urn:x:s{n}"), ox.NamedNode("urn:x:p"), ox.Literal("x" * 100)))
    header, body = answer(store, query, fmt, 10_000, 100_000)
    assert header["count"] == 200 and header["format"] == fmt and 20_000 < len(body) <= 100_000
    with pytest.raises(ResultTooLarge):
        answer(store, query, fmt, 10_000, 15_000)


def test_a_query_over_the_length_limit_in_utf8_or_not_text_is_refused_before_any_worker_starts(tmp_path):
    runner = QueryRunner(tmp_path / "dumps", max_query_bytes=16_384)
    cyrillic = 'SELECT * WHERE { ?s ?p "' + "ж" * 8200 + '" }'  # 8,225 characters, 16,425 bytes
    with pytest.raises(EndpointError, match="longer than the limit of 16,384 bytes") as err:
        runner.run(None, "t1", cyrillic)
    assert err.value.status == 413
    with pytest.raises(EndpointError, match="not text") as err:
        runner.run(None, "t1", "ASK { ?s ?p '\udc80' }")
    assert err.value.status == 400 and not runner._workers
    runner.close()


def test_queries_past_the_pending_bound_are_refused_at_once_and_served_again_after(tmp_path, shipped_kb):
    runner = QueryRunner(tmp_path / "dumps", timeout=1.0, workers=1, max_pending=1)
    try:
        runner.run(shipped_kb, "t1", "ASK { ?s ?p ?o }")  # the process is up and has the snapshot
        running = threading.Thread(target=lambda: pytest.raises(EndpointError, runner.run, shipped_kb, "t1", RUNAWAY))
        running.start()
        time.sleep(0.2)
        started = time.monotonic()
        with pytest.raises(EndpointError, match="too many queries") as err:
            runner.run(shipped_kb, "t1", "ASK { ?s ?p ?o }")
        assert err.value.status == 503 and time.monotonic() - started < 0.5  # not queued behind the runaway
        running.join()
        assert json.loads(runner.run(shipped_kb, "t1", "ASK { ?s ?p ?o }").body)["boolean"] is True
    finally:
        runner.close()

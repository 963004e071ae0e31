"""The guarded SPARQL runner: read-only, cut off at the time limit (the worker really stops), capped in rows."""

import csv
import io
import json
import os
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

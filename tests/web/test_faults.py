"""Faults on the production server: a worker killed mid-write loses no acknowledged write; racing experts get a 409."""

import http.client
import json
import os
import re
import signal
import threading
import time
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from tipkb import accounts, load_kb
from tipkb.assess.rows import AnswerRow
from tipkb.db import make_engine
from tipkb.edit.changesets import ChangeLog
from tipkb.edit.tables import ChangeRow, ChangesetRow, HeadRow

from .test_serving import UNTOC, Connection, one_connection_per_worker, server  # noqa: F401 — the fixture

pytestmark = pytest.mark.slow  # each test starts gunicorn with two workers that load the shipped KB
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
KZ = "/api/countries/KZ"


def post_json(conn: Connection, path: str, payload: dict):
    token = conn.csrf("/")
    status, body = conn.request("POST", path, json.dumps(payload).encode(),
                                {"Content-Type": "application/json", "X-CSRFToken": token})
    return status, json.loads(body) if body.startswith(b"{") else body


def log_in(conn: Connection, email: str) -> None:
    token = conn.csrf("/account/login")
    status, _ = conn.request("POST", "/account/login", urlencode(
        {"email": email, "password": "password-1", "csrf_token": token}).encode(), FORM)
    assert status == 302


def register_and_start(conn: Connection, n: int) -> int:
    """Register an NGO user on `conn`, start a KZ assessment and return its id."""
    token = conn.csrf("/account/register")
    status, _ = conn.request("POST", "/account/register", urlencode(
        {"email": f"user{n}@ngo{n}.org", "organisation": f"NGO {n}", "password": "password-1",
         "confirm": "password-1", "csrf_token": token}).encode(), FORM)
    assert status == 302
    token = conn.csrf("/assessments/")
    conn.http.request("POST", "/assessments/", urlencode({"country": "KZ", "year": "2025", "csrf_token": token}),
                      {**FORM, "Cookie": "; ".join(f"{k}={v}" for k, v in conn.cookies.items())})
    response = conn.http.getresponse()
    response.read()
    assert response.status == 302
    return int(re.search(r"/assessments/(\d+)/", response.headers["Location"]).group(1))


def edit_date(conn: Connection, day: str, version: str | None = None):
    if version is None:
        _, entity = conn.request("GET", "/api/changesets/entity?" + urlencode({"iri": UNTOC}))
        version = json.loads(entity)["version"]
    return post_json(conn, "/api/changesets/", {"type": "ratification", "iri": UNTOC, "version": version,
                                                "values": {"date": day}, "reason": f"set to {day}"})


def experts(instance, n: int) -> None:
    engine = make_engine(f"sqlite:///{instance / 'tipkb.sqlite'}")
    for k in range(n):
        accounts.create(engine, f"expert{k}@experts.org", "password-1", role="expert")
    engine.dispose()


class Writer(threading.Thread):
    """Writes in a loop until stopped, reconnecting when its worker dies; keeps what was acknowledged."""

    def __init__(self, conn: Connection, port: int, write):
        super().__init__(daemon=True)
        self.conn, self.port, self.write = conn, port, write
        self.sent, self.acked, self.dropped = [], [], 0
        self.stop = threading.Event()

    def run(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            self.sent.append(n)
            try:
                acked = self.write(self.conn, n)
            except (OSError, http.client.HTTPException):
                self.dropped += 1
                cookies = self.conn.cookies
                self.conn.close()
                self.conn = Connection(self.port)
                self.conn.cookies = cookies
                continue
            if acked is not None:
                self.acked.append((n, acked))


def autosave(aid: int):
    def write(conn: Connection, n: int):
        status, body = post_json(conn, f"/assessments/{aid}/autosave",
                                 {"fields": [["shown", "PT04"], ["q-PT04", str(n)]]})
        assert status == 200, body
        return n
    return write


def expert_edit(k: int):
    def write(conn: Connection, n: int):
        status, body = edit_date(conn, str(date(2009, 1, 1) + timedelta(days=2 * n + k)))  # never the same twice
        assert status in (201, 409), body
        return body if status == 201 else None
    return write


def wait_for(writers, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    marks = [len(w.acked) for w in writers]
    while any(len(w.acked) < m + count for w, m in zip(writers, marks, strict=True)) and time.monotonic() < deadline:
        assert all(w.is_alive() for w in writers), "a writer stopped on an unexpected answer"
        time.sleep(0.05)
    assert all(len(w.acked) >= m + count for w, m in zip(writers, marks, strict=True)), "writes stalled"


def test_a_worker_killed_mid_write_loses_no_acknowledged_save_and_leaves_no_half_changeset(server):  # noqa: F811
    proc, port, instance = server
    experts(instance, 2)
    savers, editors = [], []
    for k, conn in enumerate(one_connection_per_worker(port).values()):
        savers.append(Writer(conn, port, autosave(aid := register_and_start(conn, k))))
        savers[-1].aid = aid
    workers = one_connection_per_worker(port)
    for k, conn in enumerate(workers.values()):
        log_in(conn, f"expert{k}@experts.org")
        editors.append(Writer(conn, port, expert_edit(k)))
    victim = next(iter(workers))
    writers = savers + editors
    for w in writers:
        w.start()
    wait_for(writers, 1)
    os.kill(victim, signal.SIGKILL)  # the writers on this worker are mid-request or about to send
    wait_for(writers, 1)  # gunicorn replaced the worker; every writer goes on (one acknowledged write each), on a
    # new connection if its worker died
    for w in writers:
        w.stop.set()
    for w in writers:
        w.join(60)
        w.conn.close()
    assert sum(w.dropped for w in writers) >= 1  # the kill did cut writes in flight

    engine = make_engine(f"sqlite:///{instance / 'tipkb.sqlite'}")
    with engine.connect() as db:
        answers = select(AnswerRow.assessment_id, AnswerRow.value).where(AnswerRow.question == "PT04")
        stored = dict(db.execute(answers).all())
        rows = {r.id: r for r in db.execute(select(ChangesetRow.id, ChangesetRow.status, ChangesetRow.seq))}
        counts = dict(db.execute(select(ChangeRow.changeset_id, func.count()).group_by(ChangeRow.changeset_id)).all())
        head = db.execute(select(HeadRow.seq)).scalar_one()
    engine.dispose()
    for saver in savers:  # the last acknowledged value, or one sent after it whose answer the kill cut off
        last = saver.acked[-1][0]
        assert stored[saver.aid] in saver.sent[saver.sent.index(last):]
    acked = {body["id"]: body for w in editors for _, body in w.acked}
    for cs_id, body in acked.items():  # acknowledged: stored whole and applied
        assert rows[cs_id].status == "applied" and counts[cs_id] == len(body["changes"])
    assert all(counts.get(cs_id) and row.seq for cs_id, row in rows.items())  # none half-stored or unapplied
    assert sorted(row.seq for row in rows.values()) == list(range(1, head + 1))

    replayed = ChangeLog(load_kb(), f"sqlite:///{instance / 'tipkb.sqlite'}")
    try:
        replayed.sync()
        desc = replayed.describe(UNTOC)
        last = replayed.get(max(rows, key=lambda i: rows[i].seq))
        assert all((c.quad in desc.quads) == (c.op == "add") for c in last.changes)
    finally:
        replayed.close()
    for conn in one_connection_per_worker(port).values():  # the surviving and the new worker agree with the replay
        log_in(conn, "expert0@experts.org")
        _, entity = conn.request("GET", "/api/changesets/entity?" + urlencode({"iri": UNTOC}))
        conn.close()
        assert json.loads(entity)["version"] == desc.version


def test_two_experts_saving_one_entity_on_two_workers_one_wins_the_other_sees_the_winning_change(server):  # noqa: F811
    proc, port, instance = server
    experts(instance, 2)
    conns = list(one_connection_per_worker(port).values())
    for k, conn in enumerate(conns):
        log_in(conn, f"expert{k}@experts.org")
    versions = {json.loads(c.request("GET", "/api/changesets/entity?" + urlencode({"iri": UNTOC}))[1])["version"]
                for c in conns}
    assert len(versions) == 1
    base = versions.pop()
    dates = ["2008-06-05", "2008-06-06"]
    answers: dict[int, tuple] = {}
    barrier = threading.Barrier(2)

    def save(k: int):
        token = conns[k].csrf("/")
        barrier.wait()
        status, body = conns[k].request("POST", "/api/changesets/", json.dumps(
            {"type": "ratification", "iri": UNTOC, "version": base, "values": {"date": dates[k]},
             "reason": f"set to {dates[k]}"}).encode(), {"Content-Type": "application/json", "X-CSRFToken": token})
        answers[k] = status, json.loads(body)

    threads = [threading.Thread(target=save, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(status for status, _ in answers.values()) == [201, 409]
    winner = next(k for k, (status, _) in answers.items() if status == 201)
    won, lost = answers[winner][1], answers[1 - winner][1]
    assert lost["error"] == "stale" and [cs["id"] for cs in lost["changesets"]] == [won["id"]]
    shown = json.dumps(lost["changesets"][0]["diff"])
    assert dates[winner] in shown and dates[1 - winner] not in shown
    for conn in conns:  # both workers serve the winner's date only
        _, page = conn.request("GET", KZ)
        conn.close()
        assert dates[winner].encode() in page and dates[1 - winner].encode() not in page

"""The production server: gunicorn with two workers that share only the database and see each other's edits."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import request

from tipkb import accounts
from tipkb.db import make_engine
from tipkb.errors import ConfigError
from webapp import create_app

pytestmark = pytest.mark.slow  # each test builds an app or two over a fresh database; one starts a server

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "webapp" / "gunicorn_conf.py"
UNTOC = "https://w3id.org/tipkb/kb/ratification-kz-untoc"
START_TIMEOUT = 120  # seconds for both workers to load the KB on a busy two-core machine


class Connection:
    """One kept-alive HTTP connection (so one gunicorn worker) with its own cookies."""

    def __init__(self, port: int):
        self.http = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.http.request(method, path, body=body, headers=headers)
        response = self.http.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
        return response.status, data

    def pid(self) -> int:
        status, data = self.request("GET", "/healthz")
        assert status == 200
        return json.loads(data)["pid"]

    def csrf(self, path: str) -> str:
        _, page = self.request("GET", path)
        return re.search(rb'name="csrf[-_]token"[^>]*? (?:content|value)="([^"]+)"', page).group(1).decode()

    def close(self) -> None:
        self.http.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def _children(pid: int) -> set[int]:
    """Every process started, directly or not, by `pid`."""
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            children = (task / "children").read_text().split() if (task / "children").exists() else []
            found |= {int(c) for c in children}
            todo += [int(c) for c in children]
    return found


def _query_processes(pid: int) -> set[int]:
    """The SPARQL query processes among the processes `pid` started."""
    return {c for c in _children(pid) if b"tipkb/store/worker.py" in Path(f"/proc/{c}/cmdline").read_bytes()}


@pytest.fixture
def server(tmp_path):
    """gunicorn serving the shipped KB with two workers on a free port, over a fresh instance folder."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("TIPKB_SECRET_KEY", "TIPKB_DATABASE_URL", "TIPKB_ROOT")}
    env.update(TIPKB_INSTANCE=str(tmp_path / "instance"), HOST="127.0.0.1", PORT=str(port), TIPKB_WORKERS="2",
               TIPKB_SPARQL_TIMEOUT="3")
    with (tmp_path / "gunicorn.log").open("wb") as log, (tmp_path / "access.log").open("wb") as access:
        # kept-alive connections stay with their worker for the whole test, however busy the machine
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(CONFIG), "--keep-alive", "120"],
                                cwd=ROOT, env=env, stdout=access, stderr=log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert proc.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                conn = Connection(port)
                conn.pid()
                conn.close()
                break
            except (ConnectionError, http.client.HTTPException, OSError):
                assert time.monotonic() < deadline, "the server did not answer /healthz in time"
                time.sleep(0.5)
        yield proc, port, tmp_path / "instance"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def one_connection_per_worker(port: int) -> dict[int, Connection]:
    """Open kept-alive connections until two of them are served by two different workers (both have loaded)."""
    found: dict[int, Connection] = {}
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while len(found) < 2:
            assert time.monotonic() < deadline, f"only workers {sorted(found)} answered"
            conn = Connection(port)
            pid = conn.pid()
            if pid in found:
                conn.close()
                time.sleep(0.1)
            else:
                found[pid] = conn
    except BaseException:
        for conn in found.values():
            conn.close()
        raise
    return found


def test_two_workers_serve_and_see_each_others_edits_then_stop_cleanly(server):
    proc, port, instance = server
    (writer_pid, writer), (reader_pid, reader) = one_connection_per_worker(port).items()
    engine = make_engine(f"sqlite:///{instance / 'tipkb.sqlite'}")
    accounts.create(engine, "ana@experts.org", "password-1", role="expert")
    engine.dispose()

    token = writer.csrf("/account/login")
    status, _ = writer.request("POST", "/account/login", urlencode(
        {"email": "ana@experts.org", "password": "password-1", "csrf_token": token}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 302
    _, page = reader.request("GET", "/api/countries/KZ")
    assert b"2008-06-05" not in page
    token = writer.csrf("/")
    _, entity = writer.request("GET", "/api/changesets/entity?" + urlencode({"iri": UNTOC}))
    edit = {"type": "ratification", "iri": UNTOC, "version": json.loads(entity)["version"],
            "values": {"date": "2008-06-05"}, "reason": "checked against the official gazette"}
    status, saved = writer.request("POST", "/api/changesets/", json.dumps(edit).encode(),
                                   {"Content-Type": "application/json", "X-CSRFToken": token})
    assert status == 201, saved
    assert writer.pid() == writer_pid

    deadline = time.monotonic() + 1.0
    while True:
        _, page = reader.request("GET", "/api/countries/KZ")
        if b"2008-06-05" in page or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert b"2008-06-05" in page
    assert reader.pid() == reader_pid != writer_pid  # the same kept-alive connection: the other worker answered
    for conn in (writer, reader):  # each worker starts its SPARQL query process, one by default
        status, answer = conn.request("GET", "/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"}))
        assert status == 200 and json.loads(answer)["boolean"] is True
    assert len(_query_processes(writer_pid)) == len(_query_processes(reader_pid)) == 1
    writer.close()
    reader.close()

    helpers = _children(proc.pid)
    assert {writer_pid, reader_pid} <= helpers
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in helpers if _alive(pid)]  # the workers and every process they started are gone
    # The access log has each page asked for without its query string: no query, search or one-time link in it.
    log = (instance.parent / "access.log").read_text()
    assert '"GET /sparql HTTP/1.1" 200' in log and '"GET /api/changesets/entity HTTP/1.1" 200' in log
    assert "ASK" not in log and "iri=" not in log and "?" not in log


PAGES = ("/", "/countries/KZ")
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def test_runaway_queries_at_once_leave_every_worker_a_thread_for_pages(server):
    _, port, _ = server
    workers = one_connection_per_worker(port)  # kept alive: each connection stays with its worker
    for conn in workers.values():  # the pages' read models are built before the queries take the CPUs
        for path in PAGES:
            assert conn.request("GET", path)[0] == 200
    answers: list[int] = []

    def runaway() -> None:
        conn = Connection(port)
        try:
            answers.append(conn.request("POST", "/sparql", RUNAWAY.encode(),
                                        {"Content-Type": "application/sparql-query"})[0])
        finally:
            conn.close()

    threads = [threading.Thread(target=runaway) for _ in range(20)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # the queries have reached the workers and hold what they may
    times = {}
    for pid, conn in workers.items():
        for path in PAGES:
            started = time.monotonic()
            assert conn.request("GET", path)[0] == 200, path
            times[pid, path] = round(time.monotonic() - started, 2)
    running = len(threads) - len(answers)
    for thread in threads:
        thread.join()
    for conn in workers.values():
        conn.close()
    assert running > 0, "the queries were over before the pages were asked for"
    assert max(times.values()) < 1.0, f"pages took {times} s while runaway queries ran"
    assert sorted(set(answers)) == [503]  # stopped at the time limit, or refused at once as one too many


@pytest.fixture
def production(shipped_kb, tmp_path, monkeypatch):
    """Build an app with a deployment's secret key settings (no test key unless given) and a fresh instance folder."""
    monkeypatch.setenv("TIPKB_INSTANCE", str(tmp_path / "instance"))
    for name in ("TIPKB_SECRET_KEY", "TIPKB_HTTPS", "TIPKB_PROXIES"):
        monkeypatch.delenv(name, raising=False)

    def build(**config):
        # TESTING only keeps the report typesetter from warming up in the test process
        return create_app({"TESTING": True, "TIPKB_KB": shipped_kb,
                           "TIPKB_DATABASE_URL": f"sqlite:///{tmp_path / 'tipkb.sqlite'}", **config})
    return build


def test_the_first_start_generates_a_secret_key_that_later_starts_reuse(production, tmp_path, caplog):
    first = production()
    kept = tmp_path / "instance" / "secret_key"
    assert kept.stat().st_mode & 0o777 == 0o600
    assert first.config["SECRET_KEY"] == kept.read_text().strip() and len(kept.read_text().strip()) >= 64
    assert "generated a secret key" in caplog.text
    caplog.clear()
    assert production().config["SECRET_KEY"] == first.config["SECRET_KEY"]
    assert "generated" not in caplog.text


def test_the_old_development_key_is_refused(production, monkeypatch):
    with pytest.raises(ConfigError, match="dev-only-change-me"):
        production(SECRET_KEY="dev-only-change-me")
    monkeypatch.setenv("TIPKB_SECRET_KEY", "dev-only-change-me")
    with pytest.raises(ConfigError, match="TIPKB_SECRET_KEY"):
        production()


def test_behind_https_the_cookies_travel_only_encrypted(production, monkeypatch):
    plain = production(SECRET_KEY="k" * 32).test_client().get("/account/login")
    assert "Secure" not in plain.headers["Set-Cookie"]
    monkeypatch.setenv("TIPKB_HTTPS", "1")
    app = production(SECRET_KEY="k" * 32)
    cookie = app.test_client().get("/account/login").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert app.config["REMEMBER_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize(("proxies", "seen"), [("0", "127.0.0.1"), ("1", "203.0.113.7")])
def test_the_client_address_comes_from_the_proxy_only_when_one_is_configured(production, monkeypatch, proxies, seen):
    monkeypatch.setenv("TIPKB_PROXIES", proxies)
    app = production(SECRET_KEY="k" * 32)
    app.add_url_rule("/test-client-address", "client_address", lambda: request.remote_addr)
    response = app.test_client().get("/test-client-address", headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7"})
    assert response.get_data(as_text=True) == seen

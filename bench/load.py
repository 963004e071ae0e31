"""Load the production server (gunicorn, two workers) over HTTP and report throughput, latency and lost writes.

Run with `make load`. Starts `gunicorn -c webapp/gunicorn_conf.py` with 2 workers on a free 127.0.0.1 port over a
temporary instance folder, waits for /healthz, then makes two runs of LOAD_SECONDS (default 30) each:
1. reads: LOAD_CONNECTIONS (default 32) kept-alive connections, most on the country pages, some on a static file;
2. mixed: public pages, autosaves from 20 registered NGO users and expert edits through the changeset API;
   afterwards every acknowledged autosave and changeset is read back from the database.
Targets on the country page at 32 connections: ≥ 300 requests/s, p99 ≤ 250 ms, 0 errors; 0 lost writes.
The read run uses wrk when it is installed (`make load` installs it as root), else Python threads (LOAD_GENERATOR=python
forces them); the mixed run always uses Python threads. The generator shares the machine, so the numbers are a floor.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import date, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import select  # noqa: E402

from tipkb import accounts  # noqa: E402
from tipkb.assess.rows import AnswerRow  # noqa: E402
from tipkb.db import make_engine  # noqa: E402
from tipkb.edit.tables import ChangeRow, ChangesetRow  # noqa: E402

SECONDS = float(os.environ.get("LOAD_SECONDS") or 30)
CONNECTIONS = int(os.environ.get("LOAD_CONNECTIONS") or 32)
COUNTRIES = ("KZ", "KG", "TJ", "TM", "UZ")
STATIC = "/static/style.css"
NGO_USERS = 20
EXPERTS = 2
UNTOC = "https://w3id.org/tipkb/kb/ratification-kz-untoc"
TARGET_RPS, TARGET_P99_MS = 300, 250


class Client:
    """One kept-alive HTTP connection to 127.0.0.1 with its own cookies; reconnects after a dropped connection."""

    def __init__(self, port: int):
        self.port, self.cookies, self.http, self.location = port, {}, None, ""

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.http is None:
            self.http = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            self.http.request(method, path, body=body, headers=headers)
            response = self.http.getresponse()
            data = response.read()
            self.location = response.headers.get("Location", "")
        except (OSError, http.client.HTTPException):
            self.http.close()
            self.http = None
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
        return response.status, data

    def csrf(self, path: str = "/") -> str:
        _, page = self.request("GET", path)
        return re.search(rb'name="csrf[-_]token"[^>]*? (?:content|value)="([^"]+)"', page).group(1).decode()

    def form(self, path: str, fields: dict) -> int:
        fields = {**fields, "csrf_token": self.csrf(path)}
        status, _ = self.request("POST", path, urlencode(fields).encode(),
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        return status

    def json(self, path: str, payload: dict):
        status, data = self.request("POST", path, json.dumps(payload).encode(),
                                    {"Content-Type": "application/json", "X-CSRFToken": self.csrf()})
        return status, data


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(instance: Path, port: int, workers: int = 2) -> subprocess.Popen:
    """Start gunicorn with the shipped config over `instance` and return once /healthz answers 200."""
    env = {k: v for k, v in os.environ.items() if k not in ("TIPKB_SECRET_KEY", "TIPKB_DATABASE_URL", "TIPKB_ROOT")}
    env.update(TIPKB_INSTANCE=str(instance), HOST="127.0.0.1", PORT=str(port), TIPKB_WORKERS=str(workers))
    config = instance / "config.py"  # every user registers from this one address: lift that abuse limit
    if not config.exists():
        instance.mkdir(parents=True, exist_ok=True)
        config.write_text('TIPKB_LIMITS = {"register-address": "10000 per hour"}\n', encoding="utf-8")
    log = (instance.parent / "gunicorn.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "webapp" / "gunicorn_conf.py"),
                             "--access-logfile", "/dev/null", "--keep-alive", "60"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit((instance.parent / "gunicorn.log").read_text())
        try:
            if Client(port).request("GET", "/healthz")[0] == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit("the server did not answer /healthz within 180 s")


class Recorder:
    """Latencies and errors per route, shared by the load threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.notes: dict[str, int] = defaultdict(int)

    def timed(self, route: str, call, *args, ok=(200,)):
        t0 = time.perf_counter()
        try:
            status, data = call(*args)
        except (OSError, http.client.HTTPException):
            status, data = None, b""
        ms = (time.perf_counter() - t0) * 1000
        with self.lock:
            self.times[route].append(ms)
            if status not in ok:
                self.errors[route] += 1
        return status, data

    def report(self, seconds: float) -> dict:
        print(f"  {'route':<28}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
        rows = {}
        for route in sorted(self.times):
            times = sorted(self.times[route])
            p50, p99 = times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]
            rows[route] = (len(times) / seconds, p50, p99, self.errors[route])
            print(f"  {route:<28}{len(times):>9}{len(times) / seconds:>9.1f}{p50:>9.1f}{p99:>9.1f}"
                  f"{self.errors[route]:>8}")
        for note, count in sorted(self.notes.items()):
            print(f"  {note}: {count}")
        return rows


def run_threads(loops, seconds: float) -> float:
    """Run each loop(stop_time) in its own thread until `seconds` pass; return the time taken."""
    t0 = time.monotonic()
    threads = [threading.Thread(target=loop, args=(t0 + seconds,), daemon=True) for loop in loops]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 120)
    return time.monotonic() - t0


def reader(port: int, rec: Recorder, paths: list[str], route: str):
    """Return a loop that GETs `paths` in turn on one kept-alive connection."""
    def loop(stop: float):
        client, i = Client(port), 0
        while time.monotonic() < stop:
            path = paths[i % len(paths)]
            rec.timed(route, client.request, "GET", path)
            i += 1
    return loop


def read_run(port: int) -> dict:
    rec = Recorder()
    statics = max(1, CONNECTIONS // 8)
    pages = [f"/countries/{c}" for c in COUNTRIES]
    for _ in range(4):  # warm up: each worker builds the pages' read models once before the clock runs
        client = Client(port)
        for path in pages:
            client.request("GET", path)
    tool = "wrk" if shutil.which("wrk") and os.environ.get("LOAD_GENERATOR") != "python" else "python"
    print(f"\nRead run ({tool}): {CONNECTIONS} connections ({statics} on {STATIC}) for {SECONDS:.0f} s")
    if tool == "wrk":
        return wrk_run(port, {"/countries/<code>": (pages, CONNECTIONS - statics), STATIC: ([STATIC], statics)})
    loops = [reader(port, rec, pages, "/countries/<code>") for _ in range(CONNECTIONS - statics)]
    loops += [reader(port, rec, [STATIC], STATIC) for _ in range(statics)]
    return rec.report(run_threads(loops, SECONDS))


WRK_SCRIPT = """
local paths, i = {%s}, 0
request = function() i = i + 1; return wrk.format("GET", paths[i %% #paths + 1]) end
"""
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk_run(port: int, routes: dict[str, tuple[list[str], int]]) -> dict:
    """Run one wrk per route at the same time (its connections cycling through the paths) and report each."""
    with tempfile.TemporaryDirectory() as tmp:
        procs = {}
        for n, (route, (paths, conns)) in enumerate(routes.items()):
            script = Path(tmp) / f"route{n}.lua"
            script.write_text(WRK_SCRIPT % ", ".join(f'"{p}"' for p in paths))
            procs[route] = subprocess.Popen(
                ["wrk", "-t", str(min(2, conns)), "-c", str(conns), "-d", f"{SECONDS:.0f}s", "--timeout", "10s",
                 "--latency", "-s", str(script), f"http://127.0.0.1:{port}"], stdout=subprocess.PIPE, text=True)
        outputs = {route: proc.communicate()[0] for route, proc in procs.items()}
    print(f"  {'route':<28}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    rows = {}
    for route, out in outputs.items():
        latency = {q: float(v) * UNITS[u] for q, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)$", out, re.M)}
        total = int(re.search(r"(\d+) requests in", out).group(1))
        errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
        errors += int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        rows[route] = (rps, latency["50"], latency["99"], errors)
        print(f"  {route:<28}{total:>9}{rps:>9.1f}{latency['50']:>9.1f}{latency['99']:>9.1f}{errors:>8}")
    return rows


def prepare_users(port: int, instance: Path) -> tuple[list, list]:
    """Register the NGO users (each starts an assessment) and log in the experts; return their clients."""
    ngos = []
    for n in range(NGO_USERS):
        client = Client(port)
        assert client.form("/account/register", {"email": f"user{n}@ngo{n}.org", "organisation": f"NGO {n}",
                                                 "password": "load-test-pass", "confirm": "load-test-pass"}) == 302
        status = client.form("/assessments/", {"country": COUNTRIES[n % len(COUNTRIES)], "year": "2025"})
        started = re.search(r"/assessments/(\d+)/", client.location)
        assert status == 302 and started, f"starting an assessment failed: HTTP {status} {client.location}"
        ngos.append((client, int(started.group(1))))
    engine = make_engine(f"sqlite:///{instance / 'tipkb.sqlite'}")
    experts = []
    for n in range(EXPERTS):
        accounts.create(engine, f"expert{n}@experts.org", "load-test-pass", role="expert")
        client = Client(port)
        assert client.form("/account/login", {"email": f"expert{n}@experts.org", "password": "load-test-pass"}) == 302
        experts.append(client)
    engine.dispose()
    return ngos, experts


def autosaver(rec: Recorder, client: Client, aid: int, acked: dict):
    """Return a loop that autosaves a growing number into one question; the last acknowledged value is kept."""
    def loop(stop: float):
        n = 0
        while time.monotonic() < stop:
            n += 1
            fields = {"fields": [["shown", "PT04"], ["q-PT04", str(n)]]}
            status, _ = rec.timed("autosave", client.json, f"/assessments/{aid}/autosave", fields)
            if status == 200:
                acked[aid] = n
            time.sleep(0.2)  # a person typing: a save every fraction of a second at most
    return loop


def editor(rec: Recorder, client: Client, n: int, acked: dict):
    """Return a loop that edits the KZ UNTOC ratification date; 409 (the other expert won) is an expected answer."""
    def loop(stop: float):
        k = 0
        while time.monotonic() < stop:
            k += 1
            _, data = client.request("GET", "/api/changesets/entity?" + urlencode({"iri": UNTOC}))
            day = str(date(2009, 1, 1) + timedelta(days=k * EXPERTS + n))  # never the same twice
            edit = {"type": "ratification", "iri": UNTOC, "version": json.loads(data)["version"],
                    "values": {"date": day}, "reason": f"load run {n}/{k}"}
            status, body = rec.timed("changeset", client.json, "/api/changesets/", edit, ok=(201, 409))
            if status == 201:
                saved = json.loads(body)
                acked[saved["id"]] = len(saved["changes"])
            elif status == 409:
                rec.notes["changeset conflicts (409)"] += 1
            time.sleep(0.5)
    return loop


def mixed_run(port: int, instance: Path) -> tuple[dict, int]:
    ngos, experts = prepare_users(port, instance)
    rec, saves, changesets = Recorder(), {}, {}
    pages = [f"/countries/{c}" for c in COUNTRIES] + ["/gaps", "/practices"]
    readers = max(1, CONNECTIONS - NGO_USERS - EXPERTS)
    loops = [reader(port, rec, pages, "pages") for _ in range(readers)]
    loops += [autosaver(rec, client, aid, saves) for client, aid in ngos]
    loops += [editor(rec, client, n, changesets) for n, client in enumerate(experts)]
    print(f"\nMixed run: {readers} page readers, {NGO_USERS} NGO users autosaving, {EXPERTS} experts editing, "
          f"{SECONDS:.0f} s")
    rows = rec.report(run_threads(loops, SECONDS))
    return rows, lost_writes(instance, saves, changesets)


def lost_writes(instance: Path, saves: dict, changesets: dict) -> int:
    """Count acknowledged autosaves and changesets that the database does not hold as acknowledged."""
    engine = make_engine(f"sqlite:///{instance / 'tipkb.sqlite'}")
    with engine.connect() as conn:
        stored = dict(conn.execute(select(AnswerRow.assessment_id, AnswerRow.value)
                                   .where(AnswerRow.question == "PT04")).all())
        rows = {cs_id: (status, seq) for cs_id, status, seq in
                conn.execute(select(ChangesetRow.id, ChangesetRow.status, ChangesetRow.seq)).all()}
        counts = defaultdict(int)
        for (cs_id,) in conn.execute(select(ChangeRow.changeset_id)).all():
            counts[cs_id] += 1
    engine.dispose()
    lost_saves = sum(1 for aid, n in saves.items() if stored.get(aid) != n)
    lost_changes = sum(1 for cs_id, changes in changesets.items()
                       if cs_id not in rows or rows[cs_id][1] is None or counts[cs_id] != changes)
    print(f"  acknowledged autosaves read back: {len(saves)}, mismatches: {lost_saves}")
    print(f"  acknowledged changesets read back: {len(changesets)}, missing or partial: {lost_changes}")
    return lost_saves + lost_changes


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="tipkb-load-") as tmp:
        instance, port = Path(tmp) / "instance", free_port()
        instance.mkdir()
        t0 = time.monotonic()
        proc = start_server(instance, port)
        print(f"gunicorn, 2 workers, on 127.0.0.1:{port}: healthy after {time.monotonic() - t0:.1f} s")
        try:
            reads = read_run(port)
            mixed, lost = mixed_run(port, instance)
        finally:
            proc.terminate()
            proc.wait(60)
    rps, _, p99, errors = reads["/countries/<code>"]
    failures = sum(row[3] for row in mixed.values()) + errors
    print(f"\nCountry page: {rps:.0f} req/s (target ≥ {TARGET_RPS}), p99 {p99:.0f} ms (target ≤ {TARGET_P99_MS}); "
          f"errors in both runs: {failures}; lost writes: {lost}")
    met = rps >= TARGET_RPS and p99 <= TARGET_P99_MS and failures == 0 and lost == 0
    print("targets met" if met else "TARGETS NOT MET")
    return 0 if failures == 0 and lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

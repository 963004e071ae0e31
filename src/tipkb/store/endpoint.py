"""A guarded SPARQL runner for the public endpoint: read-only, limited in size, nesting, time and result bytes.

Queries run in worker processes (`store/worker.py`) over a copy of the KB written as N-Quads. The
serving process only measures a query's length; the worker checks it (nesting, SPARQL Update,
SERVICE, which would make the server fetch URLs), parses, runs and serializes it, all within the
time limit: a query past it gets its worker killed, so it really stops and frees the CPU, and a
result past the byte limit is dropped in the worker, so the serving process never holds it.
"""

from __future__ import annotations

import os
import queue
import select
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

from tipkb.errors import TipkbError
from tipkb.store.kb import KnowledgeBase
from tipkb.store.worker import read_frame, read_message, write_message

WORKER = Path(__file__).with_name("worker.py")
LOAD_TIMEOUT = 120.0  # seconds for a new worker to start and load a snapshot
MAX_QUERY_BYTES = 16_384  # a query's length in UTF-8
MAX_DEPTH = 20  # brackets, braces and parentheses inside one another
MAX_RESULT_BYTES = 10_000_000  # a serialized result


class EndpointError(TipkbError):
    """A query is refused or fails; `status` is the HTTP status that says why."""

    def __init__(self, message: str, status: int = 400):
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class QueryAnswer:
    """A serialized result: its kind (select, ask, graph), body, row or triple count, and if it was cut."""

    kind: str
    body: bytes
    count: int
    truncated: bool
    format: str
    seconds: float

    @property
    def text(self) -> str:
        """The body decoded from UTF-8."""
        return self.body.decode("utf-8")


class _Worker:
    def __init__(self, registry: set):
        self.registry = registry
        # run as a script (-P: its folder is not put on sys.path), so it imports pyoxigraph and not all of
        # tipkb: a worker killed at the time limit is back a few seconds sooner
        self.proc = subprocess.Popen([sys.executable, "-P", str(WORKER)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.loaded: str | None = None  # the snapshot the process holds
        registry.add(self)

    def ask(self, request: dict, timeout: float, max_body: int = 0) -> tuple[dict, bytes] | None:
        """Send a request; return the reply and the result after a query's, or None if the time ran out.

        The worker is killed when the time runs out, when it stops, or when it sends more than `max_body` bytes.
        """
        write_message(self.proc.stdin, request)
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            self.kill()
            return None
        reply = read_message(self.proc.stdout)
        body = read_frame(self.proc.stdout, max_body) if reply is not None and "query" in request else b""
        if reply is None or body is None:
            self.kill()
            raise EndpointError("the query worker stopped unexpectedly", 500)
        return reply, body

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            stream.close()
        self.registry.discard(self)


def _kill_all(workers: set) -> None:
    for worker in list(workers):
        worker.kill()


def _clean_up(workers: set, dumps: list) -> None:
    _kill_all(workers)
    while dumps:
        dumps.pop()[1].unlink(missing_ok=True)


class QueryRunner:
    """Runs read-only queries over snapshots of a KB in a small pool of killable worker processes."""

    def __init__(self, dump_dir: Path, *, timeout: float = 10.0, max_rows: int = 10_000, workers: int = 2,
                 max_query_bytes: int = MAX_QUERY_BYTES, max_depth: int = MAX_DEPTH,
                 max_result_bytes: int = MAX_RESULT_BYTES, max_pending: int = 0):
        self.dump_dir = Path(dump_dir)
        # queries running or waiting for a process at once (0: no bound); more get 503 at once, so that queries
        # waiting for the pool never hold every thread of a web worker and its pages keep answering
        self._pending = threading.BoundedSemaphore(max_pending) if max_pending else None
        self.timeout, self.max_rows = timeout, max_rows
        self.max_query_bytes, self.max_depth, self.max_result_bytes = max_query_bytes, max_depth, max_result_bytes
        self._idle: queue.LifoQueue[_Worker | None] = queue.LifoQueue()
        for _ in range(workers):
            self._idle.put(None)  # a slot; the process starts at first use
        self._workers: set[_Worker] = set()
        self._dump_lock = threading.Lock()
        self._dumped: list[tuple[str, Path]] = []  # newest last; the one before stays for queries in flight
        # stop the processes and remove the snapshots when the runner goes away (or at exit)
        self._finalizer = weakref.finalize(self, _clean_up, self._workers, self._dumped)

    def run(self, kb: KnowledgeBase, token: str, query: str, fmt: str | None = None) -> QueryAnswer:
        """Run a query over the KB as of `token` (a name for its current state) and serialize the answer.

        `fmt` names one of the worker's SELECT_FORMATS or GRAPH_FORMATS; another gets the first that fits.
        """
        try:
            self.check_length(len(query) if len(query) > self.max_query_bytes else len(query.encode("utf-8")))
        except UnicodeEncodeError:
            raise EndpointError("query: not text (it holds a lone surrogate)") from None
        if self._pending is not None and not self._pending.acquire(blocking=False):
            raise EndpointError("too many queries at once; try again shortly", 503)
        try:
            return self._run(kb, token, query, fmt)
        finally:
            if self._pending is not None:
                self._pending.release()

    def _run(self, kb: KnowledgeBase, token: str, query: str, fmt: str | None) -> QueryAnswer:
        dump = str(self._snapshot(kb, token))
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise EndpointError("all query workers are busy; try again shortly", 503) from None
        try:
            worker = worker if worker is not None and worker.alive() else _Worker(self._workers)
            if worker.loaded != dump:  # starting a process and loading a snapshot do not count against the query
                if worker.ask({"dump": dump}, LOAD_TIMEOUT) is None:
                    raise EndpointError("the query worker could not load the KB in time", 503)
                worker.loaded = dump
            started = time.monotonic()
            replied = worker.ask({"dump": dump, "query": query, "format": fmt, "limit": self.max_rows,
                                  "max_bytes": self.max_result_bytes, "max_depth": self.max_depth},
                                 self.timeout, self.max_result_bytes)
        except BaseException:
            self._idle.put(None)
            raise
        if replied is None:
            self._idle.put(None)
            raise EndpointError(f"query: stopped after the time limit of {self.timeout:g} s", 503)
        self._idle.put(worker)
        reply, body = replied
        if not reply["ok"]:
            raise EndpointError(f"query: {reply['error']}", reply.get("status", 500))
        return QueryAnswer(reply["kind"], body, reply["count"], reply["truncated"], reply["format"],
                           time.monotonic() - started)

    def check_length(self, size: int) -> None:
        """Refuse (413) a query of `size` bytes when it passes the length limit."""
        if size > self.max_query_bytes:
            raise EndpointError(f"query: longer than the limit of {self.max_query_bytes:,} bytes", 413)

    def _snapshot(self, kb: KnowledgeBase, token: str) -> Path:
        with self._dump_lock:
            if self._dumped and self._dumped[-1][0] == token and self._dumped[-1][1].exists():
                return self._dumped[-1][1]
            self.dump_dir.mkdir(parents=True, exist_ok=True)
            path = self.dump_dir / f"kb-{os.getpid()}-{token}.nq"
            tmp = path.with_suffix(".tmp")
            write_nquads(kb, tmp)
            tmp.replace(path)
            self._dumped[:] = [d for d in self._dumped if d[1] != path] + [(token, path)]
            while len(self._dumped) > 2:
                self._dumped.pop(0)[1].unlink(missing_ok=True)
            return path

    def close(self) -> None:
        """Stop the worker processes and remove the snapshots."""
        self._finalizer()


def write_nquads(kb: KnowledgeBase, path: Path) -> None:
    """Write every quad of the KB as N-Quads."""
    kb.dump_nquads(path)

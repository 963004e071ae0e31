"""A guarded SPARQL runner for the public endpoint: read-only, time-limited, result-limited.

Queries run in worker processes (`tipkb.store.worker`) over a copy of the KB written as N-Quads;
a query that passes the time limit gets its worker killed, so it really stops and frees the CPU.
SPARQL Update and SERVICE (which would make the server fetch URLs) are refused before anything runs.
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
from tipkb.store.worker import read_message, write_message

SELECT_FORMATS = ("json", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld")
LOAD_TIMEOUT = 120.0  # seconds for a new worker to start and load a snapshot


class EndpointError(TipkbError):
    """A query is refused or fails; `status` is the HTTP status that says why."""

    def __init__(self, message: str, status: int = 400):
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class QueryAnswer:
    """A serialized result: its kind (select, ask, graph), body, row or triple count, and if it was cut."""

    kind: str
    body: str
    count: int
    truncated: bool
    format: str
    seconds: float


def query_form(text: str) -> str:
    """Return the form of a query (SelectQuery, AskQuery, ConstructQuery, DescribeQuery).

    Raise EndpointError (400) for an update, a SERVICE clause, or text that is not SPARQL.
    """
    from pyparsing import ParseException, ParseResults
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        tree = parseQuery(text)
    except ParseException as exc:
        try:
            parseUpdate(text)
        except ParseException:
            raise EndpointError(f"query: not SPARQL 1.1 ({exc.msg} at line {exc.lineno}, column {exc.col})") from None
        raise EndpointError("query: this endpoint is read-only; SPARQL Update is refused") from None

    def names(node):
        if isinstance(node, CompValue):
            yield node.name
            for value in node.values():
                yield from names(value)
        elif isinstance(node, list | tuple | ParseResults):
            for value in node:
                yield from names(value)

    if "ServiceGraphPattern" in set(names(tree)):
        raise EndpointError("query: SERVICE (federated query) is not allowed on this endpoint")
    return tree[1].name


class _Worker:
    def __init__(self, registry: set):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        self.registry = registry
        self.proc = subprocess.Popen([sys.executable, "-m", "tipkb.store.worker"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        self.loaded: str | None = None  # the snapshot the process holds
        registry.add(self)

    def ask(self, request: dict, timeout: float) -> dict | None:
        """Send a request; return the reply, or None if the time ran out (the worker is then killed)."""
        write_message(self.proc.stdin, request)
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            self.kill()
            return None
        reply = read_message(self.proc.stdout)
        if reply is None:
            self.kill()
            raise EndpointError("the query worker stopped unexpectedly", 500)
        return reply

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

    def __init__(self, dump_dir: Path, *, timeout: float = 10.0, max_rows: int = 10_000, workers: int = 2):
        self.dump_dir = Path(dump_dir)
        self.timeout, self.max_rows = timeout, max_rows
        self._idle: queue.LifoQueue[_Worker | None] = queue.LifoQueue()
        for _ in range(workers):
            self._idle.put(None)  # a slot; the process starts at first use
        self._workers: set[_Worker] = set()
        self._dump_lock = threading.Lock()
        self._dumped: list[tuple[str, Path]] = []  # newest last; the one before stays for queries in flight
        # stop the processes and remove the snapshots when the runner goes away (or at exit)
        self._finalizer = weakref.finalize(self, _clean_up, self._workers, self._dumped)

    def run(self, kb: KnowledgeBase, token: str, query: str, fmt: str | None = None) -> QueryAnswer:
        """Run a query over the KB as of `token` (a name for its current state) and serialize the answer."""
        if len(query) > 100_000:
            raise EndpointError("query: longer than 100,000 characters")
        form = query_form(query)
        graph = form in ("ConstructQuery", "DescribeQuery")
        allowed = GRAPH_FORMATS if graph else SELECT_FORMATS
        fmt = fmt if fmt in allowed else allowed[0]
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
            reply = worker.ask({"dump": dump, "query": query, "format": fmt, "limit": self.max_rows}, self.timeout)
        except BaseException:
            self._idle.put(None)
            raise
        if reply is None:
            self._idle.put(None)
            raise EndpointError(f"query: stopped after the time limit of {self.timeout:g} s", 503)
        self._idle.put(worker)
        if not reply["ok"]:
            raise EndpointError(f"query: {reply['error']}", reply.get("status", 500))
        return QueryAnswer(reply["kind"], reply["body"], reply["count"], reply["truncated"], fmt,
                           time.monotonic() - started)

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

"""Load the ontology and the KB into a store, one named graph per file, and query them as their union.

The store is one of the backends in `tipkb.store.backends` (Oxigraph by default, or rdflib's memory
store); a KnowledgeBase hands every store operation to it and keeps the values derived from the KB.
"""

from __future__ import annotations

import gc
import hashlib
import shutil
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result

from tipkb import paths
from tipkb.errors import KBLoadError
from tipkb.namespaces import RUN_IRI, bind_prefixes, graph_iri_for
from tipkb.store.backends import BACKENDS, DEFAULT_BACKEND, Backend, Tag, open_backend, solutions

T = TypeVar("T")


@dataclass(frozen=True)
class SourceFile:
    """One Turtle file of the ontology or the KB, and the named graph it is loaded into."""

    relpath: str
    path: Path
    graph: URIRef


def discover(root: Path, kb: Path | None = None) -> list[SourceFile]:
    """List the ontology's and the KB's Turtle files in load order (ontology first, then KB)."""
    onto = paths.ontology_dir(root)
    kb = kb or paths.kb_dir(root)
    files: list[SourceFile] = []
    for base, pattern, prefix in ((onto, "*.ttl", "ontology"), (kb, "**/*.ttl", "kb")):
        if not base.is_dir():
            raise KBLoadError(base, "folder not found")
        for path in sorted(base.glob(pattern)):
            rel = f"{prefix}/{path.relative_to(base).as_posix()}"
            files.append(SourceFile(rel, path, graph_iri_for(rel)))
    return files


def check_syntax(path: Path) -> int:
    """Parse one Turtle file and return its triple count; raise KBLoadError naming file and line."""
    try:
        return sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        msg = str(exc.msg if hasattr(exc, "msg") else exc)
        msg = msg.split(": ", 1)[1] if msg.startswith("Parser error at line") else msg
        raise KBLoadError(path, f"Turtle syntax error: {msg}", line=exc.lineno) from None
    except OSError as exc:
        raise KBLoadError(path, f"cannot read file: {exc.strerror}") from None


# Files this process has parsed without a syntax error, by path and content digest: the tests (and any process
# loading the KB again) then parse each unchanged file once, in the store, instead of twice.
_PARSED: set[tuple[str, bytes]] = set()
_PARSED_LOCK = threading.Lock()


def _check_syntax_once(path: Path) -> None:
    try:
        key = (str(path), hashlib.sha256(path.read_bytes()).digest())
    except OSError:
        key = None
    with _PARSED_LOCK:
        if key in _PARSED:
            return
    check_syntax(path)
    if key is not None:
        with _PARSED_LOCK:
            _PARSED.add(key)


def _fingerprint(files: Iterable[SourceFile]) -> str:
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.relpath.encode())
        digest.update(f.path.read_bytes())
    return digest.hexdigest()


class KnowledgeBase:
    """The loaded KB: one named graph per file in a store backend, queried as their union."""

    def __init__(self, store: Backend, files: list[SourceFile], root: Path):
        self.files = files
        self.root = root
        self._store = store
        bind_prefixes(store.dataset)
        # Derived data (practice and gap tables, parsed rules, the union graph), reached through
        # `cached` and dropped by `changed`.
        self._cache: dict[str, Any] = {}
        self._lock = threading.RLock()
        self._generation = 0

    def __repr__(self) -> str:
        return f"KnowledgeBase(backend={self.backend!r}, root={str(self.root)!r}, files={len(self.files)})"

    def __len__(self) -> int:
        return len(self.dataset)

    @property
    def dataset(self) -> Dataset:
        """Return the store seen as an rdflib Dataset (one named graph per file, the default graph their union)."""
        return self._store.dataset

    @property
    def backend(self) -> str:
        """Return the name of the store backend (one of BACKENDS)."""
        return self._store.name

    # -- Derived values -----------------------------------------------------------------------------

    def cached(self, key: str, build: Callable[[], T]) -> T:
        """Return the derived value kept under `key`, building it once per KB version.

        A value built while the KB changed is handed back but not kept, so a reader never
        caches what a concurrent `changed()` has made stale.
        """
        with self._lock:
            if key in self._cache:
                return self._cache[key]
            generation = self._generation
        value = build()
        with self._lock:
            if generation == self._generation:
                self._cache.setdefault(key, value)
                return self._cache[key]
        return value

    def changed(self) -> None:
        """Drop every derived value: the KB's triples have changed."""
        with self._lock:
            self._generation += 1
            self._cache.clear()

    def close(self) -> None:
        """Release the store (an on-disk Oxigraph store stays locked until its last reference goes)."""
        self.changed()
        self._store.close()
        gc.collect()

    # -- Queries through rdflib ---------------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Result:
        """Run a SPARQL query over the union of all graphs, with variables bound by value.

        Bound variables must also appear in the query's projection (an Oxigraph requirement).
        """
        return self._store.query(sparql, bindings)

    def select(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a SELECT query and return rows as dicts of rdflib terms (unbound variables omitted)."""
        return solutions(self.query(sparql, bindings))

    # -- Fast paths for the recommendation engine: native where the backend has them ----------------

    def add_triples(self, graph: URIRef, triples: Iterable[tuple]) -> None:
        """Add rdflib triples to a named graph."""
        self._store.add_triples(graph, triples)

    def drop_graph(self, graph: URIRef) -> None:
        """Remove a named graph and all its triples."""
        self._store.drop_graph(graph)

    def construct_into(self, graph: URIRef, sparql: str, bindings: Mapping[str, Any], tag: Tag | None = None) -> int:
        """Run a CONSTRUCT over the union and add its triples to a named graph; return how many.

        `tag` = (type IRIs, predicate IRI, literal): every constructed node of one of those types also
        gets that predicate with that literal (used to stamp findings with the rule that made them).
        """
        return self._store.construct_into(graph, sparql, bindings, tag)

    def rows(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a SELECT and return rows of plain values: IRIs as str, numbers as int or float, text as str."""
        return self._store.rows(sparql, bindings or {})

    # -- The whole KB and its files -------------------------------------------------------------------

    def ox_quads(self) -> Iterable[ox.Quad]:
        """Return every published quad of the KB as a pyoxigraph quad, leaving out runs' scratch graphs.

        A recommendation run puts an NGO's answers into the store for a moment (under RUN_IRI); a
        download or an endpoint snapshot taken meanwhile by another thread must not publish them.
        """
        return (q for q in self._store.ox_quads()
                if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(RUN_IRI)))

    def dump_nquads(self, path: Path) -> None:
        """Write every published quad of the KB (as `ox_quads`) to a file as N-Quads."""
        ox.serialize(self.ox_quads(), str(path), ox.RdfFormat.N_QUADS)

    def union_graph(self) -> Graph:
        """Return (built once per KB version) a plain in-memory rdflib Graph holding every triple of the KB."""
        return self.cached("store-union-graph", self._build_union)

    def _build_union(self) -> Graph:
        if self.backend != "oxigraph":
            g = Graph()
            bind_prefixes(g)
            for s, p, o, _ in self.dataset.quads((None, None, None, None)):
                g.add((s, p, o))
            return g
        return _plain_graph(self._store.ox_quads())

    def graph_copy(self, graph: URIRef) -> Graph:
        """Return a plain in-memory rdflib Graph holding the triples of one named graph (a file's)."""
        g = Graph()
        bind_prefixes(g)
        for triple in self.graph_triples(graph):
            g.add(triple)
        return g

    def graph_triples(self, graph: URIRef) -> list[tuple]:
        """Return the triples of one named graph (a file's) as rdflib terms."""
        if self.backend != "oxigraph":
            return list(self.dataset.graph(graph))
        return _rdflib_triples(self._store.ox_quads(graph))

    def files_of(self, subject: URIRef | BNode) -> list[str]:
        """Return the relative paths of the files that state something about a subject."""
        by_graph = {f.graph: f.relpath for f in self.files}
        found = set()
        for _, _, _, ctx in self.dataset.quads((subject, None, None, None)):
            ident = ctx.identifier if isinstance(ctx, Graph) else ctx
            if ident in by_graph:
                found.add(by_graph[ident])
        return sorted(found)

    def graph_for(self, relpath: str) -> Graph:
        """Return the named graph a file was loaded into."""
        for f in self.files:
            if f.relpath == relpath:
                return self.dataset.graph(f.graph)
        raise KBLoadError(relpath, "no such file in the loaded KB")


def parse_triples(path: Path) -> list[tuple]:
    """Parse a Turtle file with Oxigraph's parser (several times faster than rdflib's); return rdflib triples."""
    return _rdflib_triples(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def _plain_graph(quads: Iterable[ox.Quad]) -> Graph:
    """Return the triples of Oxigraph quads in an rdflib Graph."""
    g = Graph()
    bind_prefixes(g)
    for triple in _rdflib_triples(quads):
        g.add(triple)
    return g


def _rdflib_triples(quads: Iterable[ox.Quad]) -> list[tuple]:
    """Return the triples of Oxigraph quads as rdflib terms, each distinct term converted once (as oxrdflib does)."""
    terms: dict = {}

    def term(t):
        got = terms.get(t)
        if got is None:
            got = terms[t] = _rdflib_term(t)
        return got

    return [(term(q.subject), term(q.predicate), term(q.object)) for q in quads]


def _rdflib_term(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def load_kb(
    root: Path | None = None,
    *,
    kb: Path | None = None,
    backend: str = DEFAULT_BACKEND,
    store_path: Path | None = None,
) -> KnowledgeBase:
    """Load the ontology and KB Turtle files into a fresh or cached store; raise KBLoadError on bad input.

    With an on-disk Oxigraph store, the store is reused while the files are unchanged and rebuilt
    from them otherwise.
    """
    root = Path(root) if root else paths.data_root()
    files = discover(root, kb)
    for f in files:
        _check_syntax_once(f.path)
    if backend == "oxigraph" and store_path is not None:
        return _load_persistent(root, files, Path(store_path))
    store = open_backend(backend)
    _fill(store, files)
    return KnowledgeBase(store, files, root)


def _fill(store: Backend, files: list[SourceFile]) -> None:
    for f in files:
        try:
            store.load(f.path, f.graph)
        except RecursionError:  # rdflib's Turtle parser recurses once per nested blank node
            raise KBLoadError(f.path, "nested too deeply for this store backend (Oxigraph reads it)") from None


def _load_persistent(root: Path, files: list[SourceFile], store_path: Path) -> KnowledgeBase:
    stamp = store_path.with_name(store_path.name + ".fingerprint")
    fingerprint = _fingerprint(files)
    fresh = not (stamp.exists() and stamp.read_text() == fingerprint and store_path.exists())
    if fresh and store_path.exists():
        shutil.rmtree(store_path)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    store = open_backend("oxigraph", store_path)
    if fresh:
        stamp.unlink(missing_ok=True)
        _fill(store, files)
        store.flush()
        stamp.write_text(fingerprint)
    return KnowledgeBase(store, files, root)


__all__ = ["BACKENDS", "DATASET_DEFAULT_GRAPH_ID", "DEFAULT_BACKEND", "KnowledgeBase", "SourceFile", "check_syntax",
           "discover", "load_kb", "parse_triples"]

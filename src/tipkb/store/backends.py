"""The stores a KnowledgeBase sits on, behind one interface: Oxigraph (the default) and rdflib's memory store.

Both show the data as an rdflib Dataset (Oxigraph through oxrdflib), so ordinary queries run the same
way on either; the bulk operations of the recommendation engine and of the exports run natively on
Oxigraph. See docs/decisions/20261129-store-backend.md for why Oxigraph is the default.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib.query import Result

from tipkb.errors import ConfigError, QueryError
from tipkb.store.terms import as_term, ox_value, rdf_value, to_ox, with_values

BACKENDS = ("oxigraph", "rdflib")
DEFAULT_BACKEND = "oxigraph"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
Tag = tuple[set[str], str, str]  # (type IRIs, predicate IRI, literal): see Backend.construct_into


def solutions(result: Result) -> list[dict[str, Any]]:
    """Return a SELECT result's rows as dicts of rdflib terms (unbound variables omitted)."""
    names = [str(v) for v in result.vars]
    return [{n: row[i] for i, n in enumerate(names) if row[i] is not None} for row in result]


class Backend(ABC):
    """A store holding one named graph per file, seen as an rdflib Dataset whose default graph is their union."""

    name: str

    def __init__(self, dataset: Dataset):
        self.dataset = dataset

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Result:
        """Run a SPARQL query through rdflib over the union of all graphs, with variables bound by value."""
        init = {k: as_term(v) for k, v in (bindings or {}).items()}
        try:
            return self.dataset.query(sparql, initBindings=init)
        except Exception as exc:  # rdflib and Oxigraph raise many types for a bad query
            raise QueryError(f"query failed: {exc}") from exc

    @abstractmethod
    def load(self, path: Path, graph: URIRef) -> None:
        """Parse a Turtle file into a named graph."""

    @abstractmethod
    def add_triples(self, graph: URIRef, triples: Iterable[tuple]) -> None:
        """Add rdflib triples to a named graph."""

    @abstractmethod
    def drop_graph(self, graph: URIRef) -> None:
        """Remove a named graph and all its triples."""

    @abstractmethod
    def construct_into(self, graph: URIRef, sparql: str, bindings: Mapping[str, Any], tag: Tag | None) -> int:
        """Run a CONSTRUCT over the union, add its triples (and the `tag` stamps) to a named graph; return how many."""

    @abstractmethod
    def rows(self, sparql: str, bindings: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Run a SELECT and return rows of plain values (see `terms.ox_value`)."""

    @abstractmethod
    def ox_quads(self, graph: URIRef | None = None) -> Iterable[ox.Quad]:
        """Return every quad (of one named graph, if given) as a pyoxigraph quad."""

    @abstractmethod
    def flush(self) -> None:
        """Make what was loaded durable (nothing to do for an in-memory store)."""

    def close(self) -> None:
        """Let go of the store."""
        self.dataset = None  # type: ignore[assignment]


class OxigraphBackend(Backend):
    """Oxigraph, in memory or on disk, seen through oxrdflib; the fast paths use its native API."""

    name = "oxigraph"

    def __init__(self, path: Path | None = None):
        from oxrdflib import OxigraphStore

        self._raw: ox.Store | None = ox.Store(str(path)) if path is not None else ox.Store()
        super().__init__(Dataset(store=OxigraphStore(store=self._raw), default_union=True))

    def _query(self, sparql: str, bindings: Mapping[str, Any]):
        try:
            return self._raw.query(with_values(sparql, bindings), use_default_graph_as_union=True)
        except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}") from exc

    def load(self, path: Path, graph: URIRef) -> None:
        self._raw.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(graph)))

    def add_triples(self, graph: URIRef, triples: Iterable[tuple]) -> None:
        g = ox.NamedNode(str(graph))
        self._raw.extend([ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in triples])

    def drop_graph(self, graph: URIRef) -> None:
        self._raw.remove_graph(ox.NamedNode(str(graph)))

    def construct_into(self, graph: URIRef, sparql: str, bindings: Mapping[str, Any], tag: Tag | None) -> int:
        types, pred, value = tag or (set(), "", "")
        g = ox.NamedNode(str(graph))
        triples = list(self._query(sparql, bindings))
        quads = [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples]
        quads += [ox.Quad(t.subject, ox.NamedNode(pred), ox.Literal(value), g) for t in triples
                  if t.predicate.value == RDF_TYPE and getattr(t.object, "value", None) in types]
        self._raw.extend(quads)
        return len(triples)

    def rows(self, sparql: str, bindings: Mapping[str, Any]) -> list[dict[str, Any]]:
        result = self._query(sparql, bindings)
        names = [v.value for v in result.variables]
        return [{n: ox_value(t) for n, t in zip(names, sol, strict=True) if t is not None} for sol in result]

    def ox_quads(self, graph: URIRef | None = None) -> Iterator[ox.Quad]:
        return self._raw.quads_for_pattern(None, None, None, None if graph is None else ox.NamedNode(str(graph)))

    def flush(self) -> None:
        self._raw.flush()

    def close(self) -> None:
        super().close()
        self._raw = None  # an on-disk store stays locked until its last reference goes


class RdflibBackend(Backend):
    """rdflib's pure-Python memory store; every operation goes through the rdflib API."""

    name = "rdflib"

    def __init__(self):
        super().__init__(Dataset(default_union=True))

    def load(self, path: Path, graph: URIRef) -> None:
        self.dataset.graph(graph).parse(path, format="turtle")

    def add_triples(self, graph: URIRef, triples: Iterable[tuple]) -> None:
        target = self.dataset.graph(graph)
        for t in triples:
            target.add(t)

    def drop_graph(self, graph: URIRef) -> None:
        self.dataset.remove_graph(self.dataset.graph(graph))

    def construct_into(self, graph: URIRef, sparql: str, bindings: Mapping[str, Any], tag: Tag | None) -> int:
        types, pred, value = tag or (set(), "", "")
        target = self.dataset.graph(graph)
        added = 0
        for s, p, o in self.query(sparql, bindings):
            added += 1
            target.add((s, p, o))
            if str(p) == RDF_TYPE and str(o) in types:
                target.add((s, URIRef(pred), Literal(value)))
        return added

    def rows(self, sparql: str, bindings: Mapping[str, Any]) -> list[dict[str, Any]]:
        return [{k: rdf_value(v) for k, v in row.items()} for row in solutions(self.query(sparql, bindings))]

    def ox_quads(self, graph: URIRef | None = None) -> Iterator[ox.Quad]:
        quads = self.dataset.quads() if graph is None else ((s, p, o, graph) for s, p, o in self.dataset.graph(graph))
        return (ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(getattr(c, "identifier", c))))
                for s, p, o, c in quads)

    def flush(self) -> None:
        return None


def open_backend(name: str = DEFAULT_BACKEND, path: Path | None = None) -> Backend:
    """Return an empty (or, for an on-disk Oxigraph store, existing) store of the named backend."""
    if name == "rdflib":
        if path is not None:
            raise ConfigError("the rdflib backend is in memory only; unset the store path")
        return RdflibBackend()
    if name == "oxigraph":
        return OxigraphBackend(path)
    raise ConfigError(f"unknown store backend {name!r}; choose one of {', '.join(BACKENDS)}")


__all__ = ["BACKENDS", "DEFAULT_BACKEND", "Backend", "OxigraphBackend", "RdflibBackend", "open_backend", "solutions"]

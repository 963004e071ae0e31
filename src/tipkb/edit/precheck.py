"""Validate a change before it is applied: SHACL on the affected resources, and the QC queries on the whole KB.

The validator keeps a private copy of the live KB in an in-memory Oxigraph store. A check applies the
change to the copy, validates, and undoes it; only problems the change introduces are reported, so a
pre-existing problem elsewhere never blocks an unrelated edit. pySHACL (slow over oxrdflib) validates
the affected resources in a small rdflib graph of their neighbourhood, which finds what the whole KB
would while the shapes read no further (`checks.shacl.reads_only_neighbourhood`; else the whole KB).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from tipkb.checks.shacl import reads_only_neighbourhood, shacl_findings
from tipkb.namespaces import bind_prefixes
from tipkb.store.kb import KnowledgeBase
from tipkb.store.queries import QueryFile, discover_queries
from tipkb.store.terms import to_ox

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_TYPE, _SUBCLASS = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(RDFS.subClassOf))
# pySHACL takes only IRIs as focus nodes, so the SHACL copy names blank nodes by IRIs of their own
SKOLEM = "urn:x-tipkb:bnode:"


def skolem(term):
    """Return an IRI standing for a blank node (other terms unchanged)."""
    return URIRef(SKOLEM + str(term)) if isinstance(term, BNode) else term


def _unskolem(node: URIRef):
    text = str(node)
    return ox.BlankNode(text[len(SKOLEM):]) if text.startswith(SKOLEM) else ox.NamedNode(text)


Quad = tuple  # (graph IRI, subject, predicate, object) as rdflib terms


@dataclass(frozen=True)
class EditProblem:
    """One reason a change is refused: the resource, the property (field) and the rule it breaks."""

    check: str  # "shacl" or "qc"
    focus: str
    path: str | None
    message: str
    rule: str | None

    def text(self) -> str:
        """Return the problem in one line."""
        where = f"{self.focus}" + (f" {self.path}" if self.path else "")
        return f"{where}: {self.message}" + (f" [{self.rule}]" if self.rule else "")


def from_ox(term, cache: dict):
    """Return the rdflib term for a pyoxigraph term (memoised in `cache`)."""
    got = cache.get(term)
    if got is None:
        if isinstance(term, ox.NamedNode):
            got = URIRef(term.value)
        elif isinstance(term, ox.BlankNode):
            got = BNode(term.value)
        elif term.language:
            got = Literal(term.value, lang=term.language)
        else:
            dt = term.datatype.value
            got = Literal(term.value, datatype=None if dt == _XSD_STRING else URIRef(dt))
        cache[term] = got
    return got


def ox_quad(q: Quad) -> ox.Quad:
    g, s, p, o = q
    return ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(g)))


class EditValidator:
    """Checks changes against the shapes and the QC queries over a private copy of the live KB."""

    def __init__(self, kb: KnowledgeBase, shapes: Graph, qc_folder: Path):
        self.kb = kb
        self.shapes = shapes
        self.local = reads_only_neighbourhood(shapes)
        self.qc: list[QueryFile] = discover_queries(qc_folder, "*-violation.rq")
        self._ox: ox.Store | None = None
        self._qc_baseline: set | None = None
        self._last_checked: tuple | None = None  # (the change, the QC result with it) of the last check

    # --- the private copy -------------------------------------------------------------------

    def reset(self) -> None:
        """Forget the copy; it is rebuilt from the live KB at the next check."""
        self._ox, self._qc_baseline, self._last_checked = None, None, None

    def _ensure(self) -> None:
        if self._ox is not None:
            return
        store = ox.Store()
        if self.kb.backend == "oxigraph":
            store.extend(self.kb.ox_quads())
        else:
            quads = self.kb.dataset.quads()
            store.extend(ox_quad((getattr(ctx, "identifier", ctx), s, p, o)) for s, p, o, ctx in quads)
        self._ox = store

    def _apply(self, removes: Iterable[Quad], adds: Iterable[Quad]) -> tuple[list, list]:
        done_removes, done_adds = [], []
        for q in removes:
            oq = ox_quad(q)
            if oq in self._ox:
                self._ox.remove(oq)
                done_removes.append(q)
        for q in adds:
            oq = ox_quad(q)
            if oq not in self._ox:
                self._ox.add(oq)
                done_adds.append(q)
        return done_removes, done_adds

    def applied(self, removes: list[Quad], adds: list[Quad]) -> None:
        """Follow a change that was applied to the live KB."""
        if self._ox is None:
            return
        self._apply(removes, adds)
        checked = self._last_checked
        self._qc_baseline = checked[1] if checked and checked[0] == (tuple(removes), tuple(adds)) else None
        self._last_checked = None

    # --- checking ---------------------------------------------------------------------------

    def check(self, removes: list[Quad], adds: list[Quad], focus: set) -> list[EditProblem]:
        """Return the problems a change would introduce (none: it may be applied); the KB is not touched."""
        self._ensure()
        nodes = sorted({skolem(n) for n in focus if isinstance(n, URIRef | BNode)}
                       | {skolem(q[1]) for q in list(removes) + list(adds) if isinstance(q[1], BNode)})
        done_removes, done_adds = self._apply(removes, adds)
        try:
            shacl_after = self._run_shacl(nodes)
            qc_after = self._run_qc()
        finally:
            self._apply(done_adds, done_removes)  # undo, in reverse roles
        self._last_checked = ((tuple(removes), tuple(adds)), qc_after)
        # What was wrong before the change is looked up only when something is wrong after it (rarely).
        shacl_before = self._run_shacl(nodes) if shacl_after else []
        if qc_after and self._qc_baseline is None:
            self._qc_baseline = self._run_qc()
        before_keys = {(p.focus, p.path, p.message) for p in shacl_before}
        problems = [p for p in shacl_after if (p.focus, p.path, p.message) not in before_keys]
        problems += [EditProblem("qc", f, None, m, r) for (r, f, m) in sorted(qc_after - (self._qc_baseline or set()))]
        return problems

    def _run_shacl(self, nodes: list) -> list[EditProblem]:
        nodes = [n for n in nodes if next(self._ox.quads_for_pattern(_unskolem(n), None, None), None) is not None]
        if not nodes:
            return []
        # The whole of this graph is validated and the findings kept for these nodes: pySHACL's own focus-node
        # option leaves sh:or and sh:not of a value unchecked (it drops the value as a node not asked for).
        data = neighbourhood(self._ox, nodes) if self.local else neighbourhood(self._ox, None)
        wanted, problems = set(nodes), []
        for f in shacl_findings(data, self.shapes):
            if f.focus not in wanted:
                continue
            message = f.message
            if f.value is not None and f.value != f.focus:
                shown = "a blank node" if str(f.value).startswith(SKOLEM) else f.value.n3(data.namespace_manager)
                message += f" (found {shown})"
            focus = "_:" + str(f.focus)[len(SKOLEM):] if str(f.focus).startswith(SKOLEM) else str(f.focus)
            problems.append(EditProblem("shacl", focus, str(f.path) if f.path is not None else None, message, f.rule))
        return sorted(problems, key=lambda p: (p.focus, p.path or "", p.message))

    def _run_qc(self) -> set[tuple[str, str, str]]:
        found = set()
        for q in self.qc:
            for row in self._ox.query(q.text, use_default_graph_as_union=True):
                focus, message = row["focus"], row["message"]
                found.add((q.id, focus.value if focus is not None else "",
                           message.value if isinstance(message, ox.Literal) else q.title))
        return found



def neighbourhood(store: ox.Store, nodes: Iterable[URIRef] | None) -> Graph:
    """Return, blank nodes named by `skolem` IRIs, the triples of some resources (all: None), their values'
    rdf:type and every rdfs:subClassOf: what shapes that read only a focus node's neighbourhood see."""
    graph, cache = Graph(), {}
    bind_prefixes(graph)

    def add(quads) -> set:
        values = set()
        for q in quads:
            graph.add((skolem(from_ox(q.subject, cache)), from_ox(q.predicate, cache),
                       skolem(from_ox(q.object, cache))))
            if not isinstance(q.object, ox.Literal):
                values.add(q.object)
        return values

    if nodes is None:
        add(store.quads_for_pattern(None, None, None))
        return graph
    values = set()
    for node in nodes:
        values |= add(store.quads_for_pattern(_unskolem(node), None, None))
    for value in values:
        add(store.quads_for_pattern(value, _TYPE, None))
    add(store.quads_for_pattern(None, _SUBCLASS, None))
    return graph

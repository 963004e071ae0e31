"""Validate a change before it is applied: SHACL on the affected resources, and the QC queries on the whole KB.

The validator keeps two private copies of the live KB (a plain rdflib graph for pySHACL, which is
slow over oxrdflib, and an in-memory Oxigraph store for the QC queries). A check applies the change
to both copies, validates, and undoes it; only problems the change introduces are reported, so a
pre-existing problem elsewhere never blocks an unrelated edit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from tipkb.checks.shacl import shacl_findings
from tipkb.namespaces import bind_prefixes
from tipkb.store.kb import KnowledgeBase
from tipkb.store.queries import QueryFile, discover_queries
from tipkb.store.terms import to_ox

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# pySHACL takes only IRIs as focus nodes, so the SHACL copy names blank nodes by IRIs of their own
SKOLEM = "urn:x-tipkb:bnode:"


def skolem(term):
    """Return an IRI standing for a blank node (other terms unchanged)."""
    return URIRef(SKOLEM + str(term)) if isinstance(term, BNode) else term


def _sk(triple) -> tuple:
    return tuple(skolem(t) for t in triple)
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
    """Checks changes against the shapes and the QC queries over private copies of the live KB."""

    def __init__(self, kb: KnowledgeBase, shapes: Graph, qc_folder: Path):
        self.kb = kb
        self.shapes = shapes
        self.qc: list[QueryFile] = discover_queries(qc_folder, "*-violation.rq")
        self._graph: Graph | None = None
        self._counts: Counter = Counter()
        self._ox: ox.Store | None = None
        self._qc_baseline: set | None = None
        self._last_checked: tuple | None = None  # (the change, the QC result with it) of the last check

    # --- the private copies -----------------------------------------------------------------

    def reset(self) -> None:
        """Forget the copies; they are rebuilt from the live KB at the next check."""
        self._graph, self._ox, self._qc_baseline, self._last_checked = None, None, None, None
        self._counts = Counter()

    def _ensure(self) -> None:
        if self._graph is not None:
            return
        graph, store, counts = Graph(), ox.Store(), Counter()
        bind_prefixes(graph)
        if self.kb.backend == "oxigraph":  # Oxigraph to Oxigraph, then one conversion per distinct term
            store.extend(self.kb.ox_quads())
            cache: dict = {}
            triples = ((from_ox(q.subject, cache), from_ox(q.predicate, cache), from_ox(q.object, cache))
                       for q in store.quads_for_pattern(None, None, None, None))
        else:
            quads = [(getattr(ctx, "identifier", ctx), s, p, o) for s, p, o, ctx in self.kb.dataset.quads()]
            store.extend(ox_quad(q) for q in quads)
            triples = (q[1:] for q in quads)
        for t in triples:
            t = _sk(t)
            counts[t] += 1
            graph.add(t)
        self._graph, self._ox, self._counts = graph, store, counts

    def _apply(self, removes: Iterable[Quad], adds: Iterable[Quad]) -> tuple[list, list]:
        done_removes, done_adds = [], []
        for q in removes:
            oq = ox_quad(q)
            if oq in self._ox:
                self._ox.remove(oq)
                self._count(q[1:], -1)
                done_removes.append(q)
        for q in adds:
            oq = ox_quad(q)
            if oq not in self._ox:
                self._ox.add(oq)
                self._count(q[1:], +1)
                done_adds.append(q)
        return done_removes, done_adds

    def _count(self, triple, delta: int) -> None:
        triple = _sk(triple)
        self._counts[triple] += delta
        if delta > 0 and self._counts[triple] == 1:
            self._graph.add(triple)
        elif delta < 0 and self._counts[triple] <= 0:
            del self._counts[triple]
            self._graph.remove(triple)

    def applied(self, removes: list[Quad], adds: list[Quad]) -> None:
        """Follow a change that was applied to the live KB."""
        if self._graph is None:
            return
        self._apply(removes, adds)
        checked = self._last_checked
        self._qc_baseline = checked[1] if checked and checked[0] == (tuple(removes), tuple(adds)) else None
        self._last_checked = None

    # --- checking ---------------------------------------------------------------------------

    def check(self, removes: list[Quad], adds: list[Quad], focus: set) -> list[EditProblem]:
        """Return the problems a change would introduce (none: it may be applied); the KB is not touched."""
        self._ensure()
        if self._qc_baseline is None:
            self._qc_baseline = self._run_qc()
        nodes = sorted({skolem(n) for n in focus if isinstance(n, URIRef | BNode)}
                       | {skolem(q[1]) for q in list(removes) + list(adds) if isinstance(q[1], BNode)})
        shacl_before = self._run_shacl(nodes)
        done_removes, done_adds = self._apply(removes, adds)
        try:
            shacl_after = self._run_shacl(nodes)
            qc_after = self._run_qc()
        finally:
            self._apply(done_adds, done_removes)  # undo, in reverse roles
        self._last_checked = ((tuple(removes), tuple(adds)), qc_after)
        before_keys = {(p.focus, p.path, p.message) for p in shacl_before}
        problems = [p for p in shacl_after if (p.focus, p.path, p.message) not in before_keys]
        problems += [EditProblem("qc", f, None, m, r) for (r, f, m) in sorted(qc_after - self._qc_baseline)]
        return problems

    def _run_shacl(self, nodes: list) -> list[EditProblem]:
        nodes = [n for n in nodes if (n, None, None) in self._graph]
        if not nodes:
            return []
        problems = []
        for f in shacl_findings(self._graph, self.shapes, focus_nodes=nodes):
            message = f.message
            if f.value is not None and f.value != f.focus:
                shown = "a blank node" if str(f.value).startswith(SKOLEM) else f.value.n3(self._graph.namespace_manager)
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


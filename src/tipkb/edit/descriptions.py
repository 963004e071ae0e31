"""An entity's description: its triples in every file, with blank nodes named by their content, and its version.

Blank nodes get no stable identity from a Turtle parser, so a change that touches one (a gap signal
written as ``[ a tip:GapSignal ; … ]``) names it by a hash of what it says (``_:c…``). The same
structure gets the same name after every reload, so a stored changeset can be replayed and a
version compared across restarts. Two identical blank-node structures under one subject share a
name and are treated as one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import XSD

from tipkb.errors import TipkbError

# graph, subject, predicate, object — each an N-Triples term; blank nodes as _:c<hash>
LQuad = tuple[str, str, str, str]
# Characters no text of the KB or of a changeset holds (tabs and line breaks are text); a database may refuse NUL.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class TermError(TipkbError):
    """A stored RDF term cannot be read back."""


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_UNESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_LITERAL = re.compile(r'^"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?$', re.S)


def canonical_literal(lit: Literal) -> Literal:
    """Return a literal with numbers and booleans in one lexical form (the form Oxigraph returns)."""
    dt = lit.datatype
    try:
        if dt in (XSD.integer, XSD.int, XSD.long):
            return Literal(str(int(str(lit))), datatype=dt)
        if dt == XSD.decimal:
            value = Decimal(str(lit))
            text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
            return Literal(text.rstrip("0").rstrip(".") if "." in text else text, datatype=dt)
        if dt == XSD.boolean:
            return Literal("true" if str(lit).strip() in ("true", "1") else "false", datatype=dt)
    except (ValueError, InvalidOperation):
        return lit  # an ill-typed value stays as written; SHACL will name it
    return lit


def nt(term) -> str:
    """Return a term as one line of N-Triples (blank nodes by their own id)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = str(term).translate(_ESCAPES)
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype and term.datatype != XSD.string:
            return f'"{text}"^^<{term.datatype}>'
        return f'"{text}"'
    raise TermError(f"{term!r}: not an RDF term")


def parse_nt(text: str):
    """Read back a term written by `nt`; raise TermError naming the text if it is not one."""
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if text.startswith("_:"):
        return BNode(text[2:])
    m = _LITERAL.match(text)
    if not m:
        raise TermError(f"{text!r}: not an N-Triples term")
    value = _UNESCAPE.sub(_unescape, m.group(1))
    if m.group(2):
        return Literal(value, lang=m.group(2))
    return Literal(value, datatype=URIRef(m.group(3)) if m.group(3) else None)


def _unescape(m: re.Match) -> str:
    code = m.group(1)
    if code[0] in "uU" and len(code) > 1:
        return chr(int(code[1:], 16))
    return _SIMPLE.get(code, code)


def term_key(term, labels: dict[BNode, str]) -> str:
    """Return the N-Triples form of a term, blank nodes by content label, literals in canonical form."""
    if isinstance(term, BNode):
        return f"_:{labels[term]}"
    if isinstance(term, Literal):
        return nt(canonical_literal(term))
    return nt(term)


def label_bnodes(graph, roots: Iterable[BNode]) -> dict[BNode, str]:
    """Name each blank node reachable from roots (in one graph) by a hash of its outgoing triples."""
    labels: dict[BNode, str] = {}

    def visit(node: BNode, path: frozenset) -> str:
        if node in labels:
            return labels[node]
        if node in path:  # a cycle: not written by Turtle's [ ] syntax; name it by its id
            return f"cycle{node}"
        lines = []
        for _, p, o in graph.triples((node, None, None)):
            okey = f"_:{visit(o, path | {node})}" if isinstance(o, BNode) else term_key(o, labels)
            lines.append(f"{nt(p)} {okey}")
        labels[node] = "c" + hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()[:20]
        return labels[node]

    for root in roots:
        visit(root, frozenset())
    return labels


def version_of(quads: Iterable[LQuad]) -> str:
    """Return the version of a description: a short hash of its sorted labelled quads."""
    lines = sorted(" ".join(q) for q in quads)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


ABSENT = version_of(())


@dataclass
class Description:
    """What the KB says about one IRI: labelled quads, each mapped to the stored quads it stands for."""

    iri: URIRef
    quads: dict[LQuad, list[tuple]] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return version_of(self.quads)

    @property
    def exists(self) -> bool:
        return bool(self.quads)

    def graphs(self) -> list[str]:
        """Return the graphs (N-Triples IRIs) holding the description, the one with its rdf:type first."""
        typed = {q[0] for q in self.quads if q[1] == nt(self.iri) and q[2].endswith("22-rdf-syntax-ns#type>")}
        return sorted({q[0] for q in self.quads}, key=lambda g: (g not in typed, g))


def describe(ds: Dataset, iri: URIRef) -> Description:
    """Return the description of an IRI: its triples in every graph, with their blank-node closures."""
    desc = Description(iri)
    by_graph: dict[URIRef, list[tuple]] = {}
    for s, p, o, ctx in ds.quads((iri, None, None, None)):
        gid = getattr(ctx, "identifier", ctx)
        by_graph.setdefault(gid, []).append((s, p, o))
    for gid, triples in by_graph.items():
        graph = ds.graph(gid)
        labels = label_bnodes(graph, [o for _, _, o in triples if isinstance(o, BNode)])
        g = nt(gid)
        for s, p, o in triples:
            desc.quads.setdefault((g, nt(s), nt(p), term_key(o, labels)), []).append((gid, s, p, o))
        for node, label in labels.items():
            for _, p, o in graph.triples((node, None, None)):
                desc.quads.setdefault((g, f"_:{label}", nt(p), term_key(o, labels)), []).append((gid, node, p, o))
    return desc


def entity_of(quad: LQuad) -> str | None:
    """Return the subject IRI of a labelled quad (None when the subject is a blank node)."""
    return quad[1][1:-1] if quad[1].startswith("<") else None


class Triples:
    """Triples indexed by subject and by object, for `graph_quads` and `label_bnodes`: built several times faster
    than an rdflib Graph, whose store keeps more indexes."""

    def __init__(self, triples: Iterable[tuple]):
        self._all = list(dict.fromkeys(triples))
        self._by_subject: dict = {}
        self._by_object: dict = {}
        for t in self._all:
            self._by_subject.setdefault(t[0], []).append(t)
            self._by_object.setdefault(t[2], []).append(t)

    def __iter__(self):
        return iter(self._all)

    def subjects(self, predicate=None, obj=None):
        if predicate is None and obj is None:
            return iter(self._by_subject)
        return (s for s, p, o in self._by_object.get(obj, ()) if predicate is None or p == predicate)

    def objects(self):
        return iter(self._by_object)

    def triples(self, pattern: tuple):
        subject, predicate, obj = pattern
        if predicate is not None or obj is not None:
            raise ValueError("Triples answers (subject, None, None) only")
        return iter(self._by_subject.get(subject, ()))


def graph_quads(graph, gkey: str) -> dict[LQuad, str]:
    """Return every triple of one graph as a labelled quad, mapped to the entity IRI it belongs to.

    A blank node's triples belong to the IRI that (through other blank nodes) points at it; a blank
    node nothing points at belongs to no entity ("").
    """
    bnodes = {s for s in graph.subjects() if isinstance(s, BNode)}
    labels = label_bnodes(graph, bnodes | {o for o in graph.objects() if isinstance(o, BNode)})
    owner: dict[BNode, str] = {}

    def root(node: BNode, seen: frozenset = frozenset()) -> str:
        if node not in owner:
            found = ""
            for s in graph.subjects(None, node):
                if isinstance(s, URIRef):
                    found = str(s)
                    break
                if s not in seen:
                    found = root(s, seen | {node}) or found
            owner[node] = found
        return owner[node]

    out: dict[LQuad, str] = {}
    for s, p, o in graph:
        key = (gkey, term_key(s, labels), nt(p), term_key(o, labels))
        out[key] = str(s) if isinstance(s, URIRef) else root(s)
    return out

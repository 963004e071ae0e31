"""What changed between two versions of the KB folder: resources added, changed and removed, by IRI."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from tipkb.errors import KBLoadError
from tipkb.namespaces import KB_IRI

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
CHANGE_KINDS = ("added", "changed", "removed")


@dataclass(frozen=True)
class ResourceChange:
    """One resource of the KB that a release added, changed or removed, with its class, file and changed properties."""

    iri: str
    change: str  # added, changed or removed
    kind: str  # the local name of its class (the first, sorted), or "" when it has none
    file: str  # the kb/ file that holds it (after the change; before it for a removal)
    properties: tuple[str, ...] = ()  # for a change: the properties whose values differ

    @property
    def name(self) -> str:
        """Return the IRI's local name when it is a KB resource, the IRI otherwise."""
        return self.iri.removeprefix(KB_IRI)


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _term(node, triples: dict, seen: frozenset = frozenset()) -> str:
    """Return a stable text for a term: blank nodes are written out as their own (sorted) statements."""
    if isinstance(node, ox.BlankNode):
        if node in seen:
            return "[...]"
        inner = sorted(f"{p.value} {_term(o, triples, seen | {node})}" for p, o in triples.get(node, ()))
        return "[" + "; ".join(inner) + "]"
    return str(node)


def describe_folder(folder: Path) -> tuple[dict[str, frozenset[tuple[str, str]]], dict[str, str]]:
    """Return each IRI subject's statements (property, value) in a kb/ folder and the file that holds it."""
    folder = Path(folder)
    statements: dict[str, set[tuple[str, str]]] = defaultdict(set)
    files: dict[str, str] = {}
    for path in sorted(folder.glob("**/*.ttl")):
        rel = path.relative_to(folder).as_posix()
        try:
            quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        except SyntaxError as exc:
            raise KBLoadError(path, f"Turtle syntax error: {exc}") from None
        triples: dict = defaultdict(list)
        for q in quads:
            triples[q.subject].append((q.predicate, q.object))
        for subject, pos in triples.items():
            if isinstance(subject, ox.NamedNode):
                files.setdefault(subject.value, rel)
                statements[subject.value] |= {(p.value, _term(o, triples)) for p, o in pos}
    return {s: frozenset(v) for s, v in statements.items()}, files


def _kind(statements) -> str:
    types = sorted(_local(o.strip("<>")) for p, o in statements if p == RDF_TYPE)
    return types[0] if types else ""


def kb_changes(before: Path, after: Path) -> list[ResourceChange]:
    """Compare two kb/ folders and return the resources added, changed and removed, sorted by change, kind and IRI."""
    old, old_files = describe_folder(before)
    new, new_files = describe_folder(after)
    out = []
    for iri in old.keys() | new.keys():
        if iri not in old:
            out.append(ResourceChange(iri, "added", _kind(new[iri]), new_files[iri]))
        elif iri not in new:
            out.append(ResourceChange(iri, "removed", _kind(old[iri]), old_files[iri]))
        elif old[iri] != new[iri]:
            props = tuple(sorted({_local(p) for p, _ in old[iri] ^ new[iri]}))
            out.append(ResourceChange(iri, "changed", _kind(new[iri]), new_files[iri], props))
    return sorted(out, key=lambda c: (CHANGE_KINDS.index(c.change), c.kind, c.iri))

"""Operations of a changeset: computed from entity edits, resolved to stored triples, inverted, undone.

An operation is ("add" or "remove", entity IRI, labelled quad); see `descriptions` for the labels.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Dataset, URIRef
from rdflib.namespace import RDF

from tipkb.edit.descriptions import Description, LQuad, describe, nt, parse_nt
from tipkb.edit.tables import ADD, REMOVE

Op = tuple[str, str, LQuad]  # (op, entity IRI, labelled quad)
TYPE = nt(RDF.type)


@dataclass(frozen=True)
class EntityEdit:
    """The description an entity should have after a change, and the version the editor started from.

    `quads` is the whole new description (an empty set retires the entity); `base_version` is
    `descriptions.ABSENT` when the entity is being created.
    """

    iri: URIRef
    base_version: str
    quads: frozenset[LQuad]


def diff(current: Description, wanted: Iterable[LQuad]) -> list[Op]:
    """Return the operations that turn a description into the wanted one (removals first)."""
    wanted = set(wanted)
    entity = str(current.iri)
    removes = sorted(set(current.quads) - wanted)
    adds = sorted(wanted - set(current.quads))
    return [(REMOVE, entity, q) for q in removes] + [(ADD, entity, q) for q in adds]


def invert(ops: Iterable[Op]) -> list[Op]:
    """Return the operations that undo these (removals first)."""
    flipped = [(ADD if op == REMOVE else REMOVE, e, q) for op, e, q in ops]
    return [o for o in flipped if o[0] == REMOVE] + [o for o in flipped if o[0] == ADD]


def undo_on(quads: set[LQuad], ops: Iterable[Op]) -> set[LQuad]:
    """Return a labelled description as it was before these operations."""
    out = set(quads)
    for op, _, q in ops:
        if op == ADD:
            out.discard(q)
        else:
            out.add(q)
    return out


def resolve(ds: Dataset, ops: list[Op]) -> tuple[list[tuple], list[tuple]]:
    """Map operations to stored quads (graph, s, p, o) to remove and to add, against the current state.

    A removal of something absent is dropped; an added blank-node structure that already exists
    is reused, so replaying a changeset twice changes nothing the second time.
    """
    descs = {e: describe(ds, URIRef(e)) for e in sorted({e for _, e, _ in ops})}
    existing: dict[tuple[str, str], BNode] = {}
    for desc in descs.values():
        for lq, actual in desc.quads.items():
            for i in (1, 3):
                if lq[i].startswith("_:"):
                    existing.setdefault((lq[0], lq[i][2:]), actual[0][i])
    fresh: dict[tuple[str, str], BNode] = {}

    def term(graph: str, text: str):
        if text.startswith("_:"):
            key = (graph, text[2:])
            return existing.get(key) or fresh.setdefault(key, BNode())
        return parse_nt(text)

    removes, adds = [], []
    for op, entity, lq in ops:
        if op == REMOVE:
            removes.extend(descs[entity].quads.get(lq, ()))
        else:
            g = parse_nt(lq[0])
            adds.append((g, term(lq[0], lq[1]), parse_nt(lq[2]), term(lq[0], lq[3])))
    return removes, adds


def touches_type(ops: Iterable[Op]) -> bool:
    """Say whether operations add or remove an rdf:type (then resources pointing at the entity need checking)."""
    return any(q[2] == TYPE for _, _, q in ops)


def apply_quads(ds: Dataset, removes: Iterable[tuple], adds: Iterable[tuple]) -> None:
    """Remove, then add, stored quads in a Dataset."""
    for g, s, p, o in removes:
        ds.graph(g).remove((s, p, o))
    for g, s, p, o in adds:
        ds.graph(g).add((s, p, o))

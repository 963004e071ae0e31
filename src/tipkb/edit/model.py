"""What a changeset is, as the rest of the code sees it: dataclasses, errors, and a readable diff."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from tipkb.edit.descriptions import parse_nt
from tipkb.edit.precheck import EditProblem
from tipkb.edit.tables import ADD, ChangesetRow, aware
from tipkb.errors import TipkbError


class ChangesetError(TipkbError):
    """A changeset cannot be made, found or applied as asked."""


class ChangesetNotFound(ChangesetError):
    """No changeset has the given id."""


class InvalidChangeError(ChangesetError):
    """The change breaks a shape or a QC rule; nothing was changed."""

    def __init__(self, problems: Sequence[EditProblem]):
        self.problems = list(problems)
        super().__init__("the change was refused, nothing was saved: "
                         + "; ".join(p.text() for p in self.problems))


class StaleEditError(ChangesetError):
    """The entity changed since the editor loaded it; `changesets` are the changes made meanwhile."""

    def __init__(self, iri: str, expected: str, current: str, changesets: Sequence[Changeset]):
        self.iri, self.expected, self.current, self.changesets = iri, expected, current, list(changesets)
        who = ", ".join(f"#{c.id} by {c.author}" for c in self.changesets) or "another change"
        super().__init__(f"{iri}: changed since you opened it ({who}); your edit was not saved")


class ChangeConflictError(ChangesetError):
    """A revert or an approval no longer fits the current state of the entities it touches."""


@dataclass(frozen=True)
class Change:
    """One added or removed triple of a changeset, as N-Triples terms."""

    op: str
    entity: str
    graph: str
    subject: str
    predicate: str
    object: str

    @property
    def quad(self) -> tuple[str, str, str, str]:
        return (self.graph, self.subject, self.predicate, self.object)


@dataclass(frozen=True)
class Changeset:
    """A stored changeset: who, when, why, its status and its triples."""

    id: int
    author: str
    created: datetime
    reason: str
    status: str
    seq: int | None = None
    applied_at: datetime | None = None
    reviewer: str | None = None
    reviewed_at: datetime | None = None
    reverts_id: int | None = None
    reverted_by_id: int | None = None
    base_versions: dict = field(default_factory=dict)
    changes: tuple[Change, ...] = ()

    @property
    def entities(self) -> list[str]:
        return sorted({c.entity for c in self.changes})

    def ops(self) -> list[tuple[str, str, tuple[str, str, str, str]]]:
        """Return the changeset as operations (op, entity, labelled quad)."""
        return [(c.op, c.entity, c.quad) for c in self.changes]


def to_dataclass(row: ChangesetRow) -> Changeset:
    """Return the dataclass of a stored changeset row."""
    return Changeset(row.id, row.author, aware(row.created), row.reason, row.status, row.seq, aware(row.applied_at),
                     row.reviewer, aware(row.reviewed_at), row.reverts_id, row.reverted_by_id,
                     dict(row.base_versions or {}),
                     tuple(Change(c.op, c.entity, c.graph, c.subject, c.predicate, c.object) for c in row.changes))


@dataclass(frozen=True)
class FieldDiff:
    """The values of one property of one resource that a changeset removed and added."""

    subject: str  # the entity IRI, or "" for a nested (blank-node) part of it
    predicate: str
    removed: tuple[str, ...]
    added: tuple[str, ...]


def readable_diff(cs: Changeset) -> dict[str, list[FieldDiff]]:
    """Group a changeset's triples by entity and property, values as text (literals with their language)."""
    grouped: dict[str, dict[tuple[str, str], tuple[list, list]]] = {}
    for c in cs.changes:
        subject = c.subject[1:-1] if c.subject.startswith("<") else ""
        slot = grouped.setdefault(c.entity, {}).setdefault((subject, c.predicate[1:-1]), ([], []))
        slot[1 if c.op == ADD else 0].append(display(c.object))
    return {entity: [FieldDiff(s, p, tuple(sorted(r)), tuple(sorted(a)))
                     for (s, p), (r, a) in sorted(fields.items(), key=lambda kv: (kv[0][0] == "", kv[0]))]
            for entity, fields in sorted(grouped.items())}


def display(term_text: str) -> str:
    """Return a stored term as text: an IRI as is, a literal's value with its language, a blank node as […]."""
    if term_text.startswith("_:"):
        return "[…]"
    term = parse_nt(term_text)
    if getattr(term, "language", None):
        return f"{term} @{term.language}"
    return str(term)

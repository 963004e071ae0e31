"""Changesets: validated, atomic, versioned edits of the live KB, with history, review and revert.

The live KB is the shipped Turtle files plus the applied changesets, replayed in order. A save is
one database transaction: either the whole changeset is stored, or nothing is. The in-memory store
follows the database; any process catches up by replaying what it has not applied yet.
See docs/decisions/20261129-changesets.md.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from rdflib import URIRef
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from tipkb import paths
from tipkb.db import make_engine, upgrade
from tipkb.edit.descriptions import CONTROL_CHARS, Description, describe, version_of
from tipkb.edit.model import (
    Change,
    ChangeConflictError,
    Changeset,
    ChangesetError,
    ChangesetNotFound,
    InvalidChangeError,
    StaleEditError,
    to_dataclass,
)
from tipkb.edit.ops import EntityEdit, Op, apply_quads, diff, invert, resolve, touches_type, undo_on
from tipkb.edit.precheck import EditValidator
from tipkb.edit.tables import (
    ADD,
    APPLIED,
    PENDING,
    REJECTED,
    REVERTED,
    ChangeRow,
    ChangesetRow,
    HeadRow,
    SettingRow,
    now,
)
from tipkb.store.kb import KnowledgeBase

__all__ = ["Change", "ChangeConflictError", "ChangeLog", "Changeset", "ChangesetError", "ChangesetNotFound",
           "EntityEdit", "InvalidChangeError", "StaleEditError"]


class ChangeLog:
    """The changesets of one live KB, stored in SQL (SQLite by default, PostgreSQL by URL)."""

    def __init__(self, kb: KnowledgeBase, url: str | None = None, *, validator: EditValidator | None = None):
        self.kb = kb
        self.engine = make_engine(url)
        upgrade(self.engine)
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        self._lock = threading.RLock()
        self.seq = 0  # the last changeset applied to this process's store
        self._validator = validator  # built at the first check: parsing the shapes costs a little
        self.listeners: list[Callable[[], None]] = []  # called after the live KB changed
        self._ensure_head()

    @property
    def validator(self) -> EditValidator:
        """Return the validator that checks changes before they are applied."""
        if self._validator is None:
            from tipkb.checks.validation import shapes_graph

            qc = paths.ontology_dir(self.kb.root) / "qc"
            self._validator = EditValidator(self.kb, shapes_graph(self.kb.root), qc)
        return self._validator

    def _ensure_head(self) -> None:
        try:
            with self._session.begin() as session:
                if session.get(HeadRow, 1) is None:
                    session.add(HeadRow(id=1, seq=0))
        except IntegrityError:  # another process created it first
            pass

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # --- keeping the store in step ------------------------------------------------------------

    def head(self) -> int:
        """Return the sequence number of the last changeset applied in the database."""
        with self._session() as session:
            return session.scalar(select(HeadRow.seq).where(HeadRow.id == 1)) or 0

    def sync(self) -> int:
        """Apply to the store the changesets other processes applied; return how many (cheap when none)."""
        if self.head() <= self.seq:
            return 0
        with self._lock, self._session() as session:
            return self._catch_up(session)

    def _catch_up(self, session: Session) -> int:
        rows = session.scalars(select(ChangesetRow).where(ChangesetRow.seq > self.seq)
                               .order_by(ChangesetRow.seq).options(selectinload(ChangesetRow.changes))).all()
        for row in rows:
            self._apply_live(to_dataclass(row).ops())
            self.seq = row.seq
        if rows:
            self._notify()
        return len(rows)

    def _apply_live(self, ops: list[Op], resolved: tuple[list, list] | None = None) -> None:
        removes, adds = resolved or resolve(self.kb.dataset, ops)
        apply_quads(self.kb.dataset, removes, adds)
        self.kb.changed()  # derived values (the union graph, recommendation lookups, rules) are stale now
        if self._validator is not None:
            self._validator.applied(removes, adds)

    def _notify(self) -> None:
        for listener in self.listeners:
            listener()

    # --- reading ------------------------------------------------------------------------------

    def describe(self, iri: URIRef | str) -> Description:
        """Return what the live KB says about an IRI, with its version."""
        return describe(self.kb.dataset, URIRef(str(iri)))

    def get(self, changeset_id: int) -> Changeset:
        """Return one changeset; raise ChangesetNotFound if there is none."""
        with self._session() as session:
            row = session.get(ChangesetRow, changeset_id, options=[selectinload(ChangesetRow.changes)])
            if row is None:
                raise ChangesetNotFound(f"changeset {changeset_id}: no such changeset")
            return to_dataclass(row)

    def history(self, entity: str | None = None, *, status: str | None = None, author: str | None = None,
                limit: int = 50, offset: int = 0) -> list[Changeset]:
        """Return changesets, newest first: all, or those touching an entity, of a status, by an author."""
        query = select(ChangesetRow).options(selectinload(ChangesetRow.changes))
        if entity:
            query = query.where(ChangesetRow.id.in_(select(ChangeRow.changeset_id).where(ChangeRow.entity == entity)))
        if status:
            query = query.where(ChangesetRow.status == status)
        if author:
            query = query.where(ChangesetRow.author == author)
        query = query.order_by(ChangesetRow.id.desc()).limit(limit).offset(offset)
        with self._session() as session:
            return [to_dataclass(r) for r in session.scalars(query)]

    def touched_graphs(self) -> set[str]:
        """Return the graphs (N-Triples IRIs) that applied changesets changed: the files an export must rewrite."""
        with self._session() as session:
            return set(session.scalars(select(ChangeRow.graph).distinct().join(ChangesetRow)
                                       .where(ChangesetRow.seq.is_not(None))))

    def count_applied(self, author: str) -> int:
        """Return how many of an author's changesets were applied (for the review of new experts)."""
        with self._session() as session:
            return session.scalar(select(func.count()).select_from(ChangesetRow).where(
                ChangesetRow.author == author, ChangesetRow.seq.is_not(None))) or 0

    def setting(self, key: str, default: str = "") -> str:
        """Return an editor setting (e.g. review-threshold)."""
        with self._session() as session:
            row = session.get(SettingRow, key)
            return row.value if row else default

    def set_setting(self, key: str, value: str) -> None:
        """Store an editor setting."""
        with self._session.begin() as session:
            session.merge(SettingRow(key=key, value=value))

    # --- changing -----------------------------------------------------------------------------

    def submit(self, edits: Iterable[EntityEdit], *, author: str, reason: str, pending: bool = False) -> Changeset:
        """Validate and apply entity edits as one changeset (or store it for review when `pending`).

        Raise StaleEditError if an entity changed since its base version, InvalidChangeError if the
        change breaks a shape or a QC rule, ChangesetError if it changes nothing; the KB is then unchanged.
        """
        edits = list(edits)
        _check_words(author, reason)

        def work(session: Session):
            ops: list[Op] = []
            bases = {}
            for edit in edits:
                current = self.describe(edit.iri)
                if current.version != edit.base_version:
                    raise StaleEditError(str(edit.iri), edit.base_version, current.version,
                                         self._since(session, current, edit.base_version))
                bases[str(edit.iri)] = edit.base_version
                ops += diff(current, edit.quads)
            if not ops:
                raise ChangesetError(f"{', '.join(bases)}: the edit changes nothing")
            resolved = self._validate(ops)
            return self._store(session, ops, author, reason, bases, None if pending else resolved)

        return self._transaction(work)

    def submit_ops(self, make_ops: Callable[[], list[Op]], *, author: str, reason: str) -> Changeset:
        """Validate and apply operations computed under the write lock (an import of a release) as one changeset."""
        _check_words(author, reason)

        def work(session: Session):
            ops = make_ops()
            if not ops:
                raise ChangesetError("the change is empty: the KB already says exactly this")
            bases = {e: self.describe(e).version for e in sorted({e for _, e, _ in ops})}
            return self._store(session, ops, author, reason, bases, self._validate(ops))

        return self._transaction(work)

    def revert(self, changeset_id: int, *, author: str, reason: str) -> Changeset:
        """Undo an applied changeset with a new, validated changeset; raise ChangeConflictError if later
        changes to the same entities stand in the way."""
        _check_words(author, reason)

        def work(session: Session):
            original = session.get(ChangesetRow, changeset_id, options=[selectinload(ChangesetRow.changes)])
            if original is None:
                raise ChangesetNotFound(f"changeset {changeset_id}: no such changeset")
            if original.seq is None:
                raise ChangesetError(f"changeset {changeset_id}: was never applied ({original.status})")
            if original.reverted_by_id:
                raise ChangeConflictError(f"changeset {changeset_id}: already reverted by #{original.reverted_by_id}")
            ops = invert(to_dataclass(original).ops())
            self._check_clean(session, ops, original.seq, f"changeset {changeset_id}")
            bases = {e: self.describe(e).version for e in sorted({e for _, e, _ in ops})}
            resolved = self._validate(ops)
            return self._store(session, ops, author, reason, bases, resolved, reverts=original)

        return self._transaction(work)

    def approve(self, changeset_id: int, *, reviewer: str) -> Changeset:
        """Apply a pending changeset after review; raise StaleEditError if its entities changed meanwhile."""
        def work(session: Session):
            row = self._pending(session, changeset_id)
            cs = to_dataclass(row)
            for entity, base in cs.base_versions.items():
                current = self.describe(entity)
                if current.version != base:
                    raise StaleEditError(entity, base, current.version, self._since(session, current, base))
            resolved = self._validate(cs.ops())
            row.reviewer, row.reviewed_at = reviewer, now()
            self._sequence(session, row)
            return row, cs.ops(), resolved

        return self._transaction(work)

    def reject(self, changeset_id: int, *, reviewer: str) -> Changeset:
        """Refuse a pending changeset; it stays in the history, never applied."""
        with self._lock, self._session.begin() as session:
            row = self._pending(session, changeset_id)
            row.status, row.reviewer, row.reviewed_at = REJECTED, reviewer, now()
        return self.get(changeset_id)

    # --- helpers ------------------------------------------------------------------------------

    def _lock_head(self, session: Session) -> None:
        # The first write of the transaction: takes SQLite's write lock, or the row lock in PostgreSQL,
        # so two processes never validate against the same head and both commit.
        session.execute(update(HeadRow).where(HeadRow.id == 1).values(seq=HeadRow.seq))

    def _validate(self, ops: list[Op]) -> tuple[list, list]:
        removes, adds = resolve(self.kb.dataset, ops)
        focus = {URIRef(e) for _, e, _ in ops}
        if touches_type(ops):  # pointing at something that is no longer (or not yet) of a type breaks sh:class
            focus |= {s for e in list(focus) for s in self.kb.dataset.subjects(None, e)}
        problems = self.validator.check(removes, adds, focus)
        if problems:
            raise InvalidChangeError(problems)
        return removes, adds

    def _transaction(self, work: Callable[[Session], tuple]) -> Changeset:
        """Run `work` in one transaction holding the head lock; after the commit, apply what it applied."""
        with self._lock:
            with self._session.begin() as session:
                self._lock_head(session)
                self._catch_up(session)
                row, ops, resolved = work(session)
                row_id, seq = row.id, row.seq
            # committed: the changeset is durable; a crash from here on is repaired by replay at start
            if seq is not None:
                self._apply_live(ops, resolved)
                self.seq = seq
                self._notify()
        return self.get(row_id)

    def _store(self, session: Session, ops: list[Op], author: str, reason: str, bases: dict,
               resolved: tuple[list, list] | None, reverts: ChangesetRow | None = None) -> tuple:
        row = ChangesetRow(author=author.strip(), created=now(), reason=reason.strip(), status=PENDING,
                           base_versions=bases, reverts_id=reverts.id if reverts else None)
        row.changes = [ChangeRow(op=op, entity=e, graph=q[0], subject=q[1], predicate=q[2], object=q[3])
                       for op, e, q in ops]
        session.add(row)
        session.flush()
        if reverts is not None:
            reverts.status, reverts.reverted_by_id = REVERTED, row.id
        if resolved is not None:
            self._sequence(session, row)
        return row, ops, resolved

    def _sequence(self, session: Session, row: ChangesetRow) -> None:
        """Give a changeset the next place in the KB's history."""
        head = session.get(HeadRow, 1)
        row.seq, row.status, row.applied_at = head.seq + 1, APPLIED, now()
        session.flush()
        self._advance_head(session, head, row.seq)

    def _advance_head(self, session: Session, head: HeadRow, seq: int) -> None:
        head.seq = seq
        session.flush()

    def _pending(self, session: Session, changeset_id: int) -> ChangesetRow:
        row = session.get(ChangesetRow, changeset_id, options=[selectinload(ChangesetRow.changes)])
        if row is None:
            raise ChangesetNotFound(f"changeset {changeset_id}: no such changeset")
        if row.status != PENDING:
            raise ChangesetError(f"changeset {changeset_id}: is {row.status}, not pending review")
        return row

    def _check_clean(self, session: Session, ops: list[Op], after_seq: int, what: str) -> None:
        """Refuse operations that would not apply cleanly: removing what is absent, adding what is there."""
        blocked = set()
        for entity in sorted({e for _, e, _ in ops}):
            current = set(self.describe(entity).quads)
            for op, e, q in ops:
                if e == entity and ((op == ADD) == (q in current)):
                    blocked.add(entity)
        if blocked:
            later = session.scalars(select(ChangesetRow.id).where(
                ChangesetRow.seq > after_seq,
                ChangesetRow.id.in_(select(ChangeRow.changeset_id).where(ChangeRow.entity.in_(blocked))))
                .order_by(ChangesetRow.seq)).all()
            raise ChangeConflictError(f"{what}: {', '.join(sorted(blocked))} changed since "
                                      f"({', '.join(f'#{i}' for i in later) or 'by an import'}); "
                                      "revert those changes first")

    def _since(self, session: Session, current: Description, base: str) -> list[Changeset]:
        """Return the changesets that took an entity from a base version to its current one (newest first)."""
        entity = str(current.iri)
        rows = session.scalars(select(ChangesetRow).where(
            ChangesetRow.seq.is_not(None),
            ChangesetRow.id.in_(select(ChangeRow.changeset_id).where(ChangeRow.entity == entity)))
            .order_by(ChangesetRow.seq.desc()).limit(50).options(selectinload(ChangesetRow.changes))).all()
        state, found = set(current.quads), []
        for row in rows:
            cs = to_dataclass(row)
            found.append(cs)
            state = undo_on(state, [o for o in cs.ops() if o[1] == entity])
            if version_of(state) == base:
                return found
        return found[:1]


def _check_words(author: str, reason: str) -> None:
    if not (author or "").strip():
        raise ChangesetError("author: every changeset names who made it")
    if not (reason or "").strip():
        raise ChangesetError("reason: every changeset says why it was made")
    if CONTROL_CHARS.search(reason):
        raise ChangesetError("reason: holds a control character")

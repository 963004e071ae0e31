"""An organisation's data rights: export everything it has, and delete it with its accounts for good.

Deleting finds what to remove from the database itself (every table whose foreign key points at
an assessment, an account or the organisation, at any depth), so a table added later goes too;
the rows are deleted, not marked. Knowledge-base changesets stay, their author and reviewer
replaced when they were one of the deleted accounts.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, MetaData, Table, delete, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from tipkb.accounts import OrganisationRow, UserRow
from tipkb.assess.exchange import assessment_document
from tipkb.assess.storage import AssessmentRow, AssessmentStore, OrganisationNotFound
from tipkb.db import aware, now

EXPORT_SCHEMA = "tipkb-organisation-export/1"
USER_FIELDS = ("email", "role", "org_admin", "active", "must_change_password", "created_at", "password_expires_at")
SECRET_WORDS = ("password", "hash", "token", "secret")  # columns never exported, whatever their table
DELETED_AUTHOR = "deleted account"
_OWN_TABLES = {"organisation", "app_user", "assessment", "answer"}
__all__ = ["OrganisationNotFound", "delete_organisation", "export_organisation"]


def export_organisation(store: AssessmentStore, name: str) -> dict[str, Any]:
    """Return all an organisation's data as one JSON-ready document: itself, its accounts, its assessments.

    Accounts come without password hashes or session tokens; each assessment carries its history
    (created, updated, submitted, version, copied from) and its answers and notes as a tipkb-answers/1
    document. Rows of other tables that point at these come under `related`, secret columns left out.
    """
    with Session(store.engine) as session:
        org = _organisation(session, name)
        users = session.scalars(select(UserRow).where(UserRow.organisation == org.name).order_by(UserRow.id)).all()
        user_ids = [u.id for u in users]
        assessment_ids = list(session.scalars(select(AssessmentRow.id).where(AssessmentRow.organisation_id == org.id)))
        related = _related_rows(session.connection(), {"organisation": [org.id], "app_user": user_ids,
                                                       "assessment": assessment_ids})
        body = {"schema": EXPORT_SCHEMA, "exported_at": now().isoformat(),
                "organisation": {"name": org.name, "created_at": _plain(org.created_at)},
                "users": [{f: _plain(getattr(u, f)) for f in USER_FIELDS} for u in users]}
    body["assessments"] = [
        {"id": a.id, "title": a.title, "country": a.country, "year": a.year, "status": a.status,
         "questionnaire_version": a.questionnaire_version, "migrated_from": a.migrated_from,
         "created_at": a.created_at.isoformat(),
         "updated_at": a.updated_at.isoformat(),
         "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None, "version": a.version,
         "copied_from": a.copied_from, "document": assessment_document(a)}
        for a in store.list_for_organisation(org.name)]
    body["related"] = related
    return body


def delete_organisation(store: AssessmentStore, name: str) -> dict[str, int]:
    """Delete an organisation, its accounts (and their sessions), its assessments and every row pointing at them.

    One transaction, holding the write lock (and on PostgreSQL the assessments' row locks, so a save
    under way finishes first and a later one finds nothing). Return the rows deleted per table.
    """
    def work(session: Session) -> dict[str, int]:
        org = _organisation(session, name, lock=True)
        session.scalars(select(AssessmentRow.id).where(AssessmentRow.organisation_id == org.id)
                        .with_for_update()).all()
        emails = list(session.scalars(select(UserRow.email).where(UserRow.organisation == org.name)))
        connection = session.connection()
        schema = MetaData()
        schema.reflect(connection)
        tables = schema.tables
        counts: Counter[str] = Counter()
        _delete(connection, schema, tables["assessment"], tables["assessment"].c.organisation_id == org.id, counts)
        _delete(connection, schema, tables["app_user"], tables["app_user"].c.organisation == org.name, counts)
        _delete(connection, schema, tables["organisation"], tables["organisation"].c.id == org.id, counts)
        changeset = tables.get("changeset")
        if changeset is not None and emails:  # the KB's history stays; who made or reviewed a change does not
            for column in ("author", "reviewer"):
                if column in changeset.c:
                    connection.execute(update(changeset).where(changeset.c[column].in_(emails))
                                       .values({column: DELETED_AUTHOR}))
        session.expunge_all()  # the ORM's copies of deleted rows must not be flushed back
        return dict(counts)
    return store.writing(work)


def _organisation(session: Session, name: str, *, lock: bool = False) -> OrganisationRow:
    query = select(OrganisationRow).where(OrganisationRow.name == (name or "").strip())
    org = session.scalar(query.with_for_update() if lock else query)
    if org is None:
        raise OrganisationNotFound(f"organisation {name!r}: no such organisation")
    return org


def _delete(connection: Connection, schema: MetaData, table: Table, where: ColumnElement[bool],
            counts: Counter[str]) -> None:
    """Delete the rows of `table` matching `where`, after the rows of other tables that point at them."""
    for child in schema.sorted_tables:
        if child is table:
            continue  # a row pointing at another of the same table (a copy's source) goes in the same statement
        for fk in child.foreign_keys:
            if fk.column.table is table:
                _delete(connection, schema, child, fk.parent.in_(select(fk.column).where(where)), counts)
    counts[table.name] += connection.execute(delete(table).where(where)).rowcount


def _related_rows(connection: Connection, ids: dict[str, list[int]]) -> dict[str, list[dict[str, Any]]]:
    """Return the rows of tables other than the organisation's own four that point at its rows, secrets left out."""
    schema = MetaData()
    schema.reflect(connection)
    related: dict[str, list[dict[str, Any]]] = {}
    for child in schema.sorted_tables:
        if child.name in _OWN_TABLES:
            continue
        conditions = [fk.parent.in_(ids[fk.column.table.name]) for fk in child.foreign_keys
                      if fk.column.table.name in ids and fk.column.name == "id"]
        if not conditions:
            continue
        columns = [c for c in child.c if not any(word in c.name.lower() for word in SECRET_WORDS)]
        rows = connection.execute(select(*columns).where(or_(*conditions))).mappings()
        found = [{k: _plain(v) for k, v in row.items()} for row in rows]
        if found:
            related[child.name] = found
    return related


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return aware(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value

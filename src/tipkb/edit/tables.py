"""The tables that hold the KB's changesets (SQLAlchemy): one row per changeset, one per added or removed triple.

The shipped Turtle files are the base; the live KB is the base plus the applied changesets in
`seq` order. `kb_head` holds the last applied `seq`; every writer updates it inside its own
transaction, which serialises writers across processes and tells readers when to catch up.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tipkb.db import Base, aware, now

__all__ = ["ADD", "APPLIED", "PENDING", "REJECTED", "REMOVE", "REVERTED", "ChangeRow", "ChangesetRow", "HeadRow",
           "SettingRow", "aware", "now"]

APPLIED, PENDING, REJECTED, REVERTED = "applied", "pending", "rejected", "reverted"
ADD, REMOVE = "add", "remove"


class ChangesetRow(Base):
    """One changeset: who, when and why, where it stands (pending, applied, ...), and its place in the order."""

    __tablename__ = "changeset"
    id: Mapped[int] = mapped_column(primary_key=True)
    author: Mapped[str] = mapped_column(String(200))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    seq: Mapped[int | None] = mapped_column(Integer, unique=True, nullable=True)  # order of application
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    reviewer: Mapped[str | None] = mapped_column(String(200), nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    reverts_id: Mapped[int | None] = mapped_column(ForeignKey("changeset.id"), nullable=True)
    reverted_by_id: Mapped[int | None] = mapped_column(ForeignKey("changeset.id"), nullable=True)
    base_versions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # entity IRI -> version edited
    changes: Mapped[list[ChangeRow]] = relationship(cascade="all, delete-orphan", order_by="ChangeRow.id")


class ChangeRow(Base):
    """One triple a changeset adds or removes, in N-Triples syntax, with the entity and graph it belongs to."""

    __tablename__ = "change"
    id: Mapped[int] = mapped_column(primary_key=True)
    changeset_id: Mapped[int] = mapped_column(ForeignKey("changeset.id", ondelete="CASCADE"), index=True)
    op: Mapped[str] = mapped_column(String(6))
    entity: Mapped[str] = mapped_column(String(500), index=True)  # the IRI whose description the triple is part of
    graph: Mapped[str] = mapped_column(String(500))  # N-Triples IRI of the named graph (one per KB file)
    subject: Mapped[str] = mapped_column(Text)
    predicate: Mapped[str] = mapped_column(Text)
    object: Mapped[str] = mapped_column(Text)


class HeadRow(Base):
    """The one row (id 1) holding the `seq` of the last changeset applied."""

    __tablename__ = "kb_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)


class SettingRow(Base):
    """An editor setting: a key and its text value."""

    __tablename__ = "editor_setting"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)

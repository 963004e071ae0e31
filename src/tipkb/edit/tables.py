"""The tables that hold the KB's changesets (SQLAlchemy): one row per changeset, one per added or removed triple.

The shipped Turtle files are the base; the live KB is the base plus the applied changesets in
`seq` order. `kb_head` holds the last applied `seq`; every writer updates it inside its own
transaction, which serialises writers across processes and tells readers when to catch up.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.pool import StaticPool

from tipkb import paths

APPLIED, PENDING, REJECTED, REVERTED = "applied", "pending", "rejected", "reverted"
ADD, REMOVE = "add", "remove"


class Base(DeclarativeBase):
    pass


class ChangesetRow(Base):
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
    __tablename__ = "kb_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)


class SettingRow(Base):
    __tablename__ = "editor_setting"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def default_url() -> str:
    """Return the default database URL: the SQLite file of the instance folder (shared with other app data)."""
    return f"sqlite:///{paths.instance_dir() / 'tipkb.sqlite'}"


def make_engine(url: str | None) -> Engine:
    """Create an engine and the tables; an in-memory SQLite database is shared by all sessions."""
    url = url or default_url()
    options: dict[str, Any] = {}
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if path in ("", ":memory:"):
            options = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            options = {"connect_args": {"timeout": 30}}
    engine = create_engine(url, **options)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    Base.metadata.create_all(engine)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")  # a committed changeset survives a power cut
    cursor.close()


def now() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime | None) -> datetime | None:
    # SQLite keeps no time zone; every stored moment is UTC.
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment

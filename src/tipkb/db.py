"""The application database: one SQLAlchemy metadata for every table, one engine factory, Alembic migrations.

Accounts, assessments and changesets are declared on `Base` and live in one database (SQLite by
default, PostgreSQL by URL). `make_engine` gives every SQLite connection the same pragmas;
`upgrade` brings a database to the newest migration in `tipkb/migrations/`, adopting one made by
the `create_all` code of earlier releases. See docs/decisions/20261203-database-migrations.md.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, create_engine, event, make_url, text
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import StaticPool

from tipkb import paths
from tipkb.errors import TipkbError

# Constraint names follow the tables and columns, so a migration can name what it alters on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
BUSY_TIMEOUT_MS = 30_000  # how long a SQLite connection waits for another process's write to finish
MIGRATIONS = "tipkb:migrations"
_MIGRATION_LOCK = 0x7469706B62  # PostgreSQL advisory lock key ("tipkb") that serialises migrations
_ALEMBIC = threading.Lock()  # Alembic keeps the running migration in module globals: one at a time per process


class DatabaseError(TipkbError):
    """The database cannot be brought to the schema this code expects."""


class Base(DeclarativeBase):
    """The declarative base of every tipkb table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def default_url() -> str:
    """Return the default database URL: a SQLite file in the instance folder."""
    return f"sqlite:///{paths.instance_dir() / 'tipkb.sqlite'}"


def now() -> datetime:
    """Return the current moment in UTC."""
    return datetime.now(UTC)


def aware(moment: datetime | None) -> datetime | None:
    """Return a stored moment in UTC: SQLite gives it without a time zone, PostgreSQL in the session's time zone."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def make_engine(url: str | None = None) -> Engine:
    """Create an engine (default: the instance SQLite file) whose SQLite connections all get the same pragmas.

    A `postgresql://` URL uses psycopg 3, and its pool checks a connection before handing it out, so
    the app outlives a restart of the server.

    SQLite connections enforce foreign keys, wait for other writers, sync every commit to disk, and
    use write-ahead logging for a file; an in-memory database is one connection shared by all sessions.
    """
    parsed = make_url(url or default_url())
    if parsed.get_backend_name() != "sqlite":
        if parsed.drivername == "postgresql":  # psycopg 3, the driver tipkb depends on, not SQLAlchemy's default
            parsed = parsed.set(drivername="postgresql+psycopg")
        # A server may restart or drop idle connections: test each one before use, and renew it after an hour.
        return create_engine(parsed, pool_pre_ping=True, pool_recycle=3600)
    database = parsed.database or ""
    in_memory = database in ("", ":memory:")
    options: dict[str, Any] = {}
    if in_memory:  # one shared connection, or every session would see a new empty database
        options = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    else:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, **options)
    event.listen(engine, "connect", _memory_pragmas if in_memory else _file_pragmas)
    return engine


def _memory_pragmas(dbapi_connection, _record) -> None:
    _pragmas(dbapi_connection, wal=False)


def _file_pragmas(dbapi_connection, _record) -> None:
    _pragmas(dbapi_connection, wal=True)


def _pragmas(dbapi_connection, *, wal: bool) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    if wal:  # readers do not block the writer, nor the writer the readers
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # a committed changeset or answer survives a power cut
    cursor.close()


def alembic_config(connection: Connection | None = None, metadata: MetaData | None = None) -> Config:
    """Return the Alembic configuration of the packaged migrations, bound to a connection (and models) if given.

    With `metadata` (e.g. `Base.metadata` once every model module is imported) Alembic can autogenerate
    a revision: `alembic.command.revision(alembic_config(conn, Base.metadata), "message", autogenerate=True)`.
    """
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    config.attributes["connection"] = connection
    config.attributes["target_metadata"] = metadata
    return config


@cache
def head() -> str:
    """Return the newest migration's revision."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(connection: Connection) -> str | None:
    """Return the revision a database is at (None: no migration has run on it)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine_or_url: Engine | str | None = None, revision: str = "head") -> str | None:
    """Bring a database to a revision (default: the newest) and return the revision it is at.

    A database made before migrations (its tables created by `create_all`, no alembic_version table)
    is adopted by the baseline migration, which keeps its tables and rows.
    """
    with _engine(engine_or_url) as engine:
        if revision == "head":
            with engine.connect() as connection:
                at = current(connection)
            if at == head():  # the usual start: nothing to do, and no write lock taken
                return at
        with _migrating(engine) as connection:
            command.upgrade(alembic_config(connection), revision)
            return current(connection)


def downgrade(engine_or_url: Engine | str | None, revision: str) -> str | None:
    """Take a database back to a revision ("base": no tipkb tables at all) and return the revision it is at."""
    with _engine(engine_or_url) as engine, _migrating(engine) as connection:
        command.downgrade(alembic_config(connection), revision)
        return current(connection)


@contextmanager
def _engine(engine_or_url: Engine | str | None) -> Iterator[Engine]:
    if isinstance(engine_or_url, Engine):
        yield engine_or_url
        return
    engine = make_engine(engine_or_url)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """Yield a connection inside a transaction that one migration at a time holds (across processes), and commit it.

    On SQLite, foreign keys are off while migrating: a table that a migration rebuilds is dropped,
    and with them on that would delete (or cascade to) the rows that point at it. They are checked
    before the commit instead.
    """
    with _ALEMBIC, engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # has no effect inside a transaction
            connection.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock, taken before reading the revision
        elif connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        try:
            yield connection
            if sqlite:
                _check_foreign_keys(connection)
            connection.commit()
        finally:
            if connection.in_transaction():
                connection.rollback()
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        where = ", ".join(f"{table} row {rowid} -> {parent}" for table, rowid, parent, _ in broken[:5])
        raise DatabaseError(f"the migration would leave {len(broken)} row(s) pointing at missing rows: {where}")

"""Abuse-limit counters kept in the application database, so every worker and every server counts together.

`DatabaseStorage` is a storage of the `limits` library (the one Flask-Limiter uses), registered for
the scheme `tipkb-db://` and handed an SQLAlchemy engine: one row per limit key and window (the key
as a keyed hash, the count, the moment the window ends), incremented by one atomic upsert on SQLite
and PostgreSQL alike. See docs/decisions/20261203-abuse-limits.md.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import time

from limits.storage import Storage
from sqlalchemy import Double, Engine, Integer, String, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from tipkb.db import Base

SCHEME = "tipkb-db"
PURGE_EVERY = 200  # increments between two sweeps of the windows that have ended


class RateLimitCounter(Base):
    """One limit key's count in its current window (the key is stored as a keyed hash, never as text)."""

    __tablename__ = "rate_limit"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    expires: Mapped[float] = mapped_column(Double, index=True)  # seconds since the epoch when the window ends


class DatabaseStorage(Storage):
    """Count limit hits in the `rate_limit` table of the engine given as the `engine` option."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, *, engine: Engine,
                 secret: str | bytes = b"", **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.engine = engine
        # Keys name e-mail addresses and client addresses: keep only a keyed hash of them in the database.
        self._secret = secret.encode() if isinstance(secret, str) else secret
        self._increments = itertools.count(1)
        self._upsert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def _digest(self, key: str) -> str:
        return hmac.new(self._secret, key.encode(), hashlib.sha256).hexdigest()

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add `amount` to the key's count, opening a window of `expiry` seconds if none is open; return the count."""
        now = time.time()
        table = RateLimitCounter.__table__
        insert = self._upsert(table).values(key=self._digest(key), count=amount, expires=now + expiry)
        ended = table.c.expires <= now
        statement = insert.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={"count": case((ended, insert.excluded.count), else_=table.c.count + insert.excluded.count),
                  "expires": case((ended, insert.excluded.expires), else_=table.c.expires)},
        ).returning(table.c.count)
        with self.engine.begin() as connection:
            count = connection.execute(statement).scalar_one()
            if next(self._increments) % PURGE_EVERY == 0:
                connection.execute(delete(table).where(ended))
        return count

    def _row(self, key: str) -> tuple[int, float] | None:
        table = RateLimitCounter.__table__
        with self.engine.connect() as connection:
            row = connection.execute(select(table.c.count, table.c.expires)
                                     .where(table.c.key == self._digest(key))).first()
        return None if row is None or row.expires <= time.time() else (row.count, row.expires)

    def get(self, key: str) -> int:
        """Return the key's count in its open window (0 when none is open)."""
        row = self._row(key)
        return 0 if row is None else row[0]

    def get_expiry(self, key: str) -> float:
        """Return when the key's open window ends, in seconds since the epoch (now when none is open)."""
        row = self._row(key)
        return time.time() if row is None else row[1]

    def check(self) -> bool:
        """Say whether the database answers."""
        try:
            with self.engine.connect() as connection:
                connection.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int:
        """Forget every count and return how many keys there were."""
        with self.engine.begin() as connection:
            return connection.execute(delete(RateLimitCounter.__table__)).rowcount

    def clear(self, key: str) -> None:
        """Forget one key's count."""
        table = RateLimitCounter.__table__
        with self.engine.begin() as connection:
            connection.execute(delete(table).where(table.c.key == self._digest(key)))

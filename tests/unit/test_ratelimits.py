"""The abuse-limit counters in the database: one atomic increment per hit, windows that end, keys kept only hashed."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import select, update

from tipkb.db import make_engine, upgrade
from tipkb.ratelimits import DatabaseStorage, RateLimitCounter

THREADS, HITS = 8, 25


@pytest.fixture
def storage(any_database_url):
    engine = make_engine(any_database_url)
    upgrade(engine)
    yield storage_from_string("tipkb-db://", engine=engine, secret="s3cret")
    engine.dispose()


def test_the_scheme_gives_the_database_storage_and_it_answers(storage):
    assert isinstance(storage, DatabaseStorage) and storage.check()


def test_hits_from_many_threads_are_all_counted(storage):
    def hit(_):
        return [storage.incr("address:192.0.2.1", 60) for _ in range(HITS)]

    with ThreadPoolExecutor(THREADS) as pool:
        counts = sorted(c for batch in pool.map(hit, range(THREADS)) for c in batch)
    assert counts == list(range(1, THREADS * HITS + 1))  # each increment saw its own count: none was lost
    assert storage.get("address:192.0.2.1") == THREADS * HITS


def test_a_window_that_has_ended_starts_again_from_zero(storage):
    assert [storage.incr("account:ana@ngo-a.org", 900) for _ in range(3)] == [1, 2, 3]
    with storage.engine.begin() as connection:
        connection.execute(update(RateLimitCounter.__table__).values(expires=0))
    assert storage.get("account:ana@ngo-a.org") == 0
    assert storage.incr("account:ana@ngo-a.org", 900) == 1
    storage.clear("account:ana@ngo-a.org")
    assert storage.get("account:ana@ngo-a.org") == 0


def test_a_fixed_window_limit_counts_in_the_database(storage):
    limiter, ten = FixedWindowRateLimiter(storage), parse("10 per 15 minutes")
    assert all(limiter.hit(ten, "account:ana@ngo-a.org") for _ in range(10))
    assert not limiter.hit(ten, "account:ana@ngo-a.org") and not limiter.test(ten, "account:ana@ngo-a.org")
    assert limiter.test(ten, "account:bo@ngo-b.org")
    reset, remaining = limiter.get_window_stats(ten, "account:ana@ngo-a.org")
    assert remaining == 0 and reset > 0


def test_the_database_keeps_no_e_mail_or_address_in_clear(storage):
    storage.incr("LIMITER/tipkb/account:ana@ngo-a.org/account.login/10/15/minute", 900)
    storage.incr("LIMITER/tipkb/address:192.0.2.1/account.login/50/15/minute", 900)
    with storage.engine.connect() as connection:
        keys = connection.execute(select(RateLimitCounter.key)).scalars().all()
    assert len(keys) == 2 and all(len(k) == 64 and "ana" not in k and "192" not in k for k in keys)
    assert storage.reset() == 2 and storage.get("address:192.0.2.1") == 0

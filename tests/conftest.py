"""Shared fixtures (paths, the shipped KB parsed once, a small KB to break, the app and its clients) and slow marks."""

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
DURATIONS = TESTS / "durations.json"
SLOW_SECONDS = 0.3  # a test measured at this or more is marked slow and left out of `make test-fast`


def pytest_addoption(parser):
    parser.addoption("--record-durations", action="store_true",
                     help=f"measure each test and write those taking {SLOW_SECONDS} s or more to "
                          f"tests/{DURATIONS.name} (`make durations`)")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Mark as slow every test whose measured time in tests/durations.json reaches SLOW_SECONDS."""
    measured = json.loads(DURATIONS.read_text(encoding="utf-8")) if DURATIONS.exists() else {}
    for item in items:
        if measured.get(item.nodeid, 0) >= SLOW_SECONDS:
            item.add_marker(pytest.mark.slow)


def pytest_configure(config):
    if not config.getoption("--record-durations"):
        return
    if getattr(config, "workerinput", None) is not None:  # an xdist worker: it measures, the controller writes
        config.pluginmanager.register(DurationRecorder(config.workeroutput), "tipkb-durations")
    elif getattr(config.option, "dist", "no") != "no" and getattr(config.option, "tx", None):  # the xdist controller
        config.pluginmanager.register(DurationMerger(), "tipkb-durations")  # merges what the workers measured
    else:
        config.pluginmanager.register(DurationRecorder(), "tipkb-durations")


def write_durations(seconds: dict[str, float], collected: set[str]) -> None:
    """Replace the entries of the tests that ran and drop those of tests gone from a collected module."""
    old = json.loads(DURATIONS.read_text(encoding="utf-8")) if DURATIONS.exists() else {}
    modules = {k.split("::")[0] for k in collected}
    kept = {k: v for k, v in old.items()
            if k not in seconds and (k in collected or k.split("::")[0] not in modules)}
    new = {k: round(v, 2) for k, v in seconds.items() if v >= SLOW_SECONDS}
    DURATIONS.write_text(json.dumps(dict(sorted({**kept, **new}.items())), indent=0, ensure_ascii=False) + "\n",
                         encoding="utf-8")


class DurationMerger:
    """Merges the times each xdist worker measured (every test runs on one worker) and writes them."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.collected: set[str] = set()

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error):
        measured = getattr(node, "workeroutput", {}).get("tipkb-durations")
        if measured is not None:
            self.seconds.update(measured["seconds"])
            self.collected |= set(measured["collected"])

    def pytest_sessionfinish(self):
        write_durations(self.seconds, self.collected)


class DurationRecorder:
    """Times each test: its setup, call and teardown, with each module-scoped fixture's setup shared out among
    the tests using it (whichever runs first pays it otherwise) and session-scoped fixtures left out."""

    def __init__(self, output: dict | None = None):
        self.output = output  # an xdist worker's output to the controller, where the times go instead of the file
        self.seconds: dict[str, float] = {}
        self.collected: set[str] = set()
        self.shared: dict[tuple, float] = {}  # (fixture, param) -> seconds its setup took, without nested ones
        self.users: dict[tuple, set[str]] = {}  # (fixture, param) -> the tests using it
        self.stack: list[float] = []  # time spent in nested fixture setups, per open shared fixture setup
        self.current: str | None = None

    def pytest_deselected(self, items):
        self.collected |= {item.nodeid for item in items}

    def pytest_collection_finish(self, session):
        self.collected |= {item.nodeid for item in session.items}

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        if fixturedef.scope == "function" or self.current is None:
            return (yield)
        self.stack.append(0.0)
        start = time.perf_counter()
        try:
            return (yield)
        finally:
            elapsed = time.perf_counter() - start
            own = elapsed - self.stack.pop()
            if self.stack:
                self.stack[-1] += elapsed
            self.seconds[self.current] = self.seconds.get(self.current, 0.0) - own
            if fixturedef.scope != "session":
                self.shared[(id(fixturedef), repr(getattr(request, "param", None)))] = own

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item):
        self.current = item.nodeid
        try:
            return (yield)
        finally:
            self.current = None
            info = item._fixtureinfo
            params = getattr(getattr(item, "callspec", None), "params", {})
            for name in info.names_closure:
                for fixturedef in (info.name2fixturedefs.get(name) or ())[-1:]:
                    if fixturedef.scope in ("package", "module", "class"):
                        key = (id(fixturedef), repr(params.get(name)))
                        self.users.setdefault(key, set()).add(item.nodeid)

    def pytest_runtest_logreport(self, report):
        self.seconds[report.nodeid] = self.seconds.get(report.nodeid, 0.0) + report.duration

    def pytest_sessionfinish(self):
        """Share out the module-scoped fixtures' setup, then write the times (or hand them to the xdist controller)."""
        for key, users in self.users.items():
            for nodeid in users:
                self.seconds[nodeid] = self.seconds.get(nodeid, 0.0) + self.shared.get(key, 0.0) / len(users)
        if self.output is None:
            write_durations(self.seconds, self.collected)
        else:
            self.output["tipkb-durations"] = {"seconds": self.seconds, "collected": sorted(self.collected)}


@pytest.fixture(scope="session")
def kb_graph() -> Graph:
    """The ontology and every KB file, merged into one read-only graph."""
    g = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")) + sorted((ROOT / "kb").rglob("*.ttl")):
        g.parse(path, format="turtle")
    return g


@pytest.fixture(scope="session")
def shipped_kb():
    """The shipped KB loaded into the default (Oxigraph, in-memory) store."""
    from tipkb import load_kb

    return load_kb(ROOT)


@pytest.fixture
def small_root(tmp_path) -> Path:
    """A data root with the real ontology and vocabularies plus a small valid sample, ready to break."""
    shutil.copytree(ROOT / "ontology", tmp_path / "ontology")
    shutil.copytree(ROOT / "kb" / "vocab", tmp_path / "kb" / "vocab")
    shutil.copy(ROOT / "kb" / "countries.ttl", tmp_path / "kb" / "countries.ttl")
    shutil.copy(TESTS / "shapes" / "base.ttl", tmp_path / "kb" / "sample.ttl")
    return tmp_path


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """Compile the interface translations (.po → .mo) when missing or stale, as `make install` does."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (ROOT / "webapp" / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as src:
                catalog = read_po(src)
            with mo.open("wb") as out:
                write_mo(out, catalog, use_fuzzy=True)


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server for the session (a throwaway cluster, see tests/pgcluster.py); fails under CI if absent."""
    from pgcluster import Cluster, ClusterUnavailable

    cluster = None
    try:
        cluster = Cluster().start()
        cluster.make_template()
    except ClusterUnavailable as err:
        if cluster is not None:
            cluster.remove()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI: {err}")
        pytest.skip(f"no PostgreSQL server: {err}")
    yield cluster
    cluster.remove()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file migrated to the newest revision once, which each test's database starts as a copy of."""
    from tipkb.db import upgrade

    path = tmp_path_factory.mktemp("sqlite-template") / "tipkb.sqlite"
    upgrade(f"sqlite:///{path}")
    return path


def _database(request, tmp_path, backend: str, *, migrated: bool = True):
    if backend == "sqlite":  # a copy of the migrated template (migrating costs 0.2 s a test), or a new empty file
        path = tmp_path / "tipkb.sqlite"
        if migrated:
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    from sqlalchemy import Engine, event

    cluster = request.getfixturevalue("postgres")
    url = cluster.new_database(migrated=migrated)
    engines = set()  # every engine that connects during the test, kept until it is disposed below

    def track(connection):
        engines.add(connection.engine)

    event.listen(Engine, "engine_connect", track)
    try:
        yield url
    finally:
        event.remove(Engine, "engine_connect", track)
        for engine in engines:  # apps and stores a test leaves open close their connections, not the collector
            engine.dispose()
        cluster.drop_database(url)


@pytest.fixture
def database_url(request, tmp_path):
    """A fresh SQLite database's URL; parametrised indirectly with "postgresql", a PostgreSQL one.

    A module overrides it with `any_database_url` to run its tests on both.
    """
    yield from _database(request, tmp_path, getattr(request, "param", "sqlite"))


@pytest.fixture(params=["sqlite", "postgresql"])
def any_database_url(request, tmp_path):
    """A fresh database's URL, once a SQLite file and once a migrated database on the session's PostgreSQL server."""
    yield from _database(request, tmp_path, request.param)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_empty_database_url(request, tmp_path):
    """An empty database's URL (no tables at all), once a SQLite file and once on the session's PostgreSQL server."""
    yield from _database(request, tmp_path, request.param, migrated=False)


@pytest.fixture
def app(tmp_path):
    """The web app over the shipped KB, with an in-memory store, a private database and CSRF checks off."""
    from webapp import create_app

    return create_app({"TESTING": True, "TIPKB_STORE_PATH": ":memory:", "SECRET_KEY": "test",
                       "TIPKB_DATABASE_URL": f"sqlite:///{tmp_path / 'tipkb.sqlite'}", "WTF_CSRF_ENABLED": False})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()

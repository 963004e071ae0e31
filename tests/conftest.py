"""Shared fixtures: paths, the shipped KB parsed once, a small KB to break, the app and its clients."""

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent


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
                write_mo(out, catalog)


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

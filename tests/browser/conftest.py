"""Browser fixtures: the app served on a free local port by a thread, and Debian's chromium driven by Playwright."""

import os
from pathlib import Path

import pytest
from web.webhelpers import serve

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium, launched by Playwright (never `playwright install`)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: `make sysdeps` installs it")
        pytest.skip(f"{CHROMIUM} is missing: run `make sysdeps` as root")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(shipped_kb, tmp_path):
    """Serve a fresh app (CSRF on, its own database) on 127.0.0.1 at a free port; yield its base URL."""
    from webapp import create_app

    app = create_app({"SECRET_KEY": "browser-test", "TIPKB_KB": shipped_kb,
                      "TIPKB_DATABASE_URL": f"sqlite:///{tmp_path / 'tipkb.sqlite'}"})
    with serve(app) as url:
        yield url


@pytest.fixture
def serve_app():
    """The `serve` context manager, for tests that build their own app."""
    return serve


@pytest.fixture
def page(chromium):
    """A fresh browser context (no cookies, no storage) and page, English first."""
    context = chromium.new_context(locale="en-GB", extra_http_headers={"Accept-Language": "en-GB,en;q=0.9"},
                                   viewport={"width": 1200, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS

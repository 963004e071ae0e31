"""Details every page shares: dates per language, the favicon, fingerprinted and compressed static files."""

import gzip
import re
from datetime import UTC, date, datetime

import pytest


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "day", "moment"), [
    ("en", "3 December 2026", "3 December 2026, 14:05"),
    ("ru", "3 декабря 2026\u202fг.", "3 декабря 2026\u202fг., 14:05"),
])
def test_dates_are_written_the_way_of_the_page_language(app, lang, day, moment):
    from webapp.editing import when

    with app.test_request_context(f"/?lang={lang}"):
        fdate = app.jinja_env.filters["fdate"]
        assert fdate(date(2026, 12, 3)) == day
        assert fdate("2026-12-03") == day
        assert fdate(datetime(2026, 12, 3, 14, 5, tzinfo=UTC)) == day
        assert when(datetime(2026, 12, 3, 14, 5, tzinfo=UTC)) == moment
        assert fdate("2024") == "2024" and fdate(None) == "—"


@pytest.mark.slow
def test_my_assessments_dates_follow_the_language(ngo_client):
    ngo_client.post("/assessments/", data={"country": "KZ", "year": "2026"})
    today = datetime.now(UTC).date()
    english = ngo_client.get("/assessments/?lang=en").get_data(as_text=True)
    russian = ngo_client.get("/assessments/?lang=ru").get_data(as_text=True)
    assert f"{today.day} {today:%B} {today.year}" in english
    months = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
              "ноября", "декабря")
    assert f"{today.day} {months[today.month - 1]} {today.year}\u202fг." in russian


@pytest.mark.slow
def test_favicon_answers_at_the_site_root_and_every_page_links_it(client):
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.mimetype in ("image/x-icon", "image/vnd.microsoft.icon")
        assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<link rel="icon" href="/static/favicon\.[0-9a-f]{12}\.svg" type="image/svg\+xml">', page)


def stylesheet(page: str) -> str:
    found = re.search(r'<link rel="stylesheet" href="(/static/style\.[0-9a-f]{12}\.css)">', page)
    assert found, "the style sheet's address carries its content hash"
    return found.group(1)


def fetch(client, url: str, encoding: str | None):
    """Return a static file's response, read whole and closed."""
    with client.get(url, headers={"Accept-Encoding": encoding} if encoding else {}) as response:
        response.get_data()
        return response


@pytest.mark.slow
def test_a_static_file_is_fingerprinted_cached_for_a_year_and_compressed(client, ngo_client):
    url = stylesheet(client.get("/").get_data(as_text=True))
    assert url == stylesheet(ngo_client.get("/assessments/").get_data(as_text=True))
    plain, zipped, squeezed = (fetch(client, url, encoding) for encoding in (None, "gzip", "gzip, deflate, br"))
    assert plain.status_code == 200 and plain.mimetype == "text/css"
    assert plain.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert plain.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert plain.headers["X-Content-Type-Options"] == "nosniff"
    assert "Accept-Encoding" in plain.headers["Vary"]
    assert zipped.headers["Content-Encoding"] == "gzip" and len(zipped.data) < len(plain.data) / 2
    assert gzip.decompress(zipped.data) == plain.data
    brotli = pytest.importorskip("brotli")
    assert squeezed.headers["Content-Encoding"] == "br" and brotli.decompress(squeezed.data) == plain.data
    with client.get("/static/style.css") as unhashed:  # the plain name still answers, kept briefly
        assert unhashed.status_code == 200 and unhashed.data == plain.data
        assert "immutable" not in unhashed.headers["Cache-Control"]


def test_a_changed_file_gets_a_new_address(tmp_path):
    from webapp.assets import build

    source, target = tmp_path / "static", tmp_path / "built"
    source.mkdir()
    (source / "app.js").write_text("let a = 1;\n" * 50)
    first = build(source, target)["app.js"]
    (source / "app.js").write_text("let a = 2;\n" * 50)
    second = build(source, target)["app.js"]
    assert first != second and first.startswith("app.") and first.endswith(".js")
    assert (target / second).read_text().startswith("let a = 2;")
    assert gzip.decompress((target / f"{second}.gz").read_bytes()) == (target / second).read_bytes()


@pytest.mark.slow
def test_the_debug_server_serves_the_sources_and_the_favicon(make_app):
    client = make_app(DEBUG=True).test_client()
    assert '<link rel="stylesheet" href="/static/style.css">' in client.get("/").get_data(as_text=True)
    for url in ("/static/style.css", "/favicon.ico"):
        with client.get(url) as response:
            assert response.status_code == 200 and response.get_data()
            assert "immutable" not in response.headers.get("Cache-Control", "")

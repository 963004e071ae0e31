"""Security headers on every response, no-store where the data is private, HSTS and secure cookies over HTTPS
(issue #14, weakness 10)."""

import pytest

from .webhelpers import register, start

ANA = {"email": "ana@ngo-a.org", "password": "secret-pass"}
SAME_EVERYWHERE = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"}


def assert_strict(response):
    """Assert the headers every response carries: a CSP without inline script or style, nosniff, no framing."""
    csp = {d.split()[0]: d.split()[1:] for d in response.headers["Content-Security-Policy"].split("; ")}
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    for name, value in SAME_EVERYWHERE.items():
        assert response.headers[name] == value, name


@pytest.fixture(scope="module")
def apps(shipped_kb, tmp_path_factory):
    """Two apps for the module, each with its own database: served over plain HTTP, and over HTTPS (production)."""
    from webapp import create_app

    def build(name, **config):
        url = f"sqlite:///{tmp_path_factory.mktemp(name) / 'tipkb.sqlite'}"
        return create_app({"TESTING": True, "SECRET_KEY": "test", "TIPKB_KB": shipped_kb, "TIPKB_DATABASE_URL": url,
                           "WTF_CSRF_ENABLED": False, **config})
    return {"http": build("http"), "https": build("https", TIPKB_HTTPS=True)}


@pytest.fixture(scope="module")
def ngo(apps):
    """A client of the plain-HTTP app signed in as an NGO user with an assessment; yields it and the assessment."""
    client = apps["http"].test_client()
    assert register(client, ANA["email"]).status_code == 302
    return client, start(client)


@pytest.fixture
def anonymous(apps):
    return apps["http"].test_client()


def test_a_public_page_is_strict_but_may_be_cached(anonymous):
    response = anonymous.get("/countries/KG")
    assert response.status_code == 200
    assert_strict(response)
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP: no HSTS


def test_private_pages_and_every_page_of_a_signed_in_user_are_no_store(anonymous, ngo):
    assert anonymous.get("/account/login").headers["Cache-Control"] == "no-store"  # even before signing in
    client, aid = ngo
    for path in ("/assessments/", f"/assessments/{aid}/review", "/countries/KG", "/account/password"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict(response)
        assert response.headers["Cache-Control"] == "no-store", path


def test_api_replies_are_strict_and_private_ones_no_store(anonymous, ngo):
    public = anonymous.get("/api/countries")
    assert public.status_code == 200 and public.is_json
    assert_strict(public)
    assert "no-store" not in public.headers.get("Cache-Control", "")
    private = ngo[0].get("/api/assessments")
    assert private.status_code == 200 and private.is_json and private.json
    assert_strict(private)
    assert private.headers["Cache-Control"] == "no-store"


def test_a_static_file_is_strict_and_cacheable_even_when_signed_in(ngo):
    with ngo[0].get("/static/questionnaire.js") as response:
        assert response.status_code == 200
        assert_strict(response)
        assert "no-store" not in response.headers.get("Cache-Control", "")


def test_hsts_only_when_served_over_https(apps):
    plain = apps["http"].test_client().get("/")
    assert "Strict-Transport-Security" not in plain.headers
    secure = apps["https"].test_client().get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    assert int(secure.headers["Strict-Transport-Security"].split("=")[1]) >= 180 * 24 * 3600


def cookies(response) -> dict[str, set[str]]:
    """Map each cookie a response sets to its attributes in lower case (values dropped, except SameSite's)."""
    found = {}
    for header in response.headers.getlist("Set-Cookie"):
        name, *attrs = [part.strip().lower() for part in header.split(";")]
        found[name.split("=")[0]] = {a if a.startswith("samesite") else a.split("=")[0] for a in attrs}
    return found


def test_every_cookie_is_secure_httponly_and_samesite_in_production(apps):
    client = apps["https"].test_client()
    assert register(client, ANA["email"]).status_code == 302
    client.post("/account/logout", base_url="https://localhost")
    response = client.post("/account/login", data=ANA, base_url="https://localhost")
    assert response.status_code == 302
    set_cookies = cookies(response)
    assert {"session", "remember_token"} <= set(set_cookies)
    for name, attrs in set_cookies.items():
        assert {"secure", "httponly", "samesite=lax"} <= attrs, (name, attrs)


def test_the_remember_cookie_is_samesite_and_httponly_without_https(anonymous, ngo):
    response = anonymous.post("/account/login", data=ANA)  # ana, registered by the `ngo` fixture
    set_cookies = cookies(response)
    assert {"httponly", "samesite=lax"} <= set_cookies["remember_token"]
    assert "secure" not in set_cookies["remember_token"]  # plain HTTP in development: a Secure cookie never returns


def test_a_visitor_gets_no_session_and_any_response_starting_one_is_not_stored(shipped_kb, tmp_path):
    from flask import session

    from webapp import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "test", "TIPKB_KB": shipped_kb,
                      "TIPKB_DATABASE_URL": f"sqlite:///{tmp_path / 'tipkb.sqlite'}"})  # CSRF on, as in production
    app.add_url_rule("/touch", "touch", lambda: session.update(seen=1) or "ok")  # a page that starts a session
    client = app.test_client()
    for path in ("/", "/countries/KG", "/gaps", "/practices/bp01"):
        response = client.get(path)
        assert response.status_code == 200 and not cookies(response), path  # cacheable: nobody's session in it
        assert "no-store" not in response.headers.get("Cache-Control", ""), path
    response = client.get("/touch")
    assert "session" in cookies(response)
    assert response.headers["Cache-Control"] == "no-store"  # a shared cache would hand that session to others

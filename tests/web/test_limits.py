"""Abuse limits (issue #14, weakness 9): failed sign-ins lock an account and an address for a while, registrations and
SPARQL queries are capped, and every app on one database counts together, as gunicorn's workers do."""

import pytest

from .webhelpers import register

RIGHT = {"email": "ana@ngo-a.org", "password": "secret-pass"}
WRONG = {"email": "ana@ngo-a.org", "password": "not-the-password"}
QUERY = {"query": "ASK { ?s ?p ?o }"}
SCRIPT = {"Accept": "application/sparql-results+json"}


def from_address(app, address):
    """A client whose requests come from another address."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


@pytest.fixture
def ana(app):
    """A registered NGO user, signed out again."""
    client = app.test_client()
    assert register(client, RIGHT["email"]).status_code == 302
    client.post("/account/logout")
    return client


def test_ten_wrong_passwords_lock_the_account_and_the_right_one_is_refused_until_the_window_ends(app, ana):
    guesser = app.test_client()
    for _ in range(10):
        assert guesser.post("/account/login", data=WRONG).status_code == 422
    locked = guesser.post("/account/login", data=RIGHT, headers={"Accept": "text/html"})
    assert locked.status_code == 429
    assert 60 < int(locked.headers["Retry-After"]) <= 15 * 60
    page = locked.get_data(as_text=True)
    assert "Too many failed sign-ins" in page and "even the right password is refused" in page
    assert "Try again in 15 minutes." in page and locked.headers["Cache-Control"] == "no-store"
    assert guesser.get("/assessments/").status_code == 302  # not signed in
    assert ana.post("/account/login", data=RIGHT).status_code == 429  # the owner waits too: the account is paused


def test_the_lockout_speaks_russian_and_json_to_scripts(make_app):
    app = make_app(TIPKB_LIMITS={"login-account": "1 per 15 minutes"})
    client = app.test_client()
    assert client.post("/account/login", data=WRONG).status_code == 422
    russian = client.post("/account/login?lang=ru", data=WRONG)
    assert russian.status_code == 429 and "Слишком много неудачных попыток входа" in russian.get_data(as_text=True)
    script = app.test_client().post("/account/login", data=WRONG, headers={"Accept": "application/json"})
    assert script.status_code == 429 and script.is_json
    assert script.json["error"] == "too-many-requests" and "Too many failed sign-ins" in script.json["message"]
    assert script.json["retry_after"] == int(script.headers["Retry-After"]) > 0


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_two_apps_on_one_database_count_together(make_app):
    first, second = (make_app(TIPKB_LIMITS={"login-account": "3 per 15 minutes"}) for _ in range(2))
    for app in (first, second, first):  # three failures spread over two "workers"
        assert app.test_client().post("/account/login", data=WRONG).status_code == 422
    assert second.test_client().post("/account/login", data=WRONG).status_code == 429
    assert first.test_client().post("/account/login", data=WRONG).status_code == 429


def test_failures_from_one_address_are_capped_across_accounts(make_app):
    app = make_app(TIPKB_LIMITS={"login-address": "3 per 15 minutes"})
    here, elsewhere = app.test_client(), from_address(app, "192.0.2.7")
    for n in range(3):
        assert here.post("/account/login", data={"email": f"user{n}@ngo.org", "password": "x" * 12}).status_code == 422
    assert here.post("/account/login", data={"email": "someone@ngo.org", "password": "x" * 12}).status_code == 429
    assert elsewhere.post("/account/login", data={"email": "someone@ngo.org", "password": "x" * 12}).status_code == 422


def test_signing_in_successfully_uses_up_no_attempts(make_app):
    app = make_app(TIPKB_LIMITS={"login-account": "2 per 15 minutes", "login-address": "2 per 15 minutes"})
    client = app.test_client()
    assert register(client, RIGHT["email"]).status_code == 302
    for _ in range(3):  # one more than either limit
        client.post("/account/logout")
        assert client.post("/account/login", data=RIGHT).status_code == 302


def test_registrations_from_one_address_are_capped(make_app):
    app = make_app(TIPKB_LIMITS={"register-address": "2 per hour"})
    client = app.test_client()
    for n in range(2):
        assert register(client, f"user{n}@ngo-{n}.org", f"NGO {n}").status_code == 302
        client.post("/account/logout")
    refused = register(client, "late@ngo-late.org", "NGO Late")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Too many registrations from your network" in refused.get_data(as_text=True)
    assert app.test_client().get("/account/register").status_code == 200  # the form itself still shows


def test_sparql_queries_are_capped_per_address_with_json_for_scripts(make_app):
    app = make_app(TIPKB_LIMITS={"sparql-address": "3 per minute"})
    client = app.test_client()
    for _ in range(3):
        assert client.get("/sparql", query_string=QUERY, headers=SCRIPT).status_code == 200
    refused = client.get("/sparql", query_string=QUERY, headers=SCRIPT)
    assert refused.status_code == 429 and refused.is_json
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.json["message"].startswith("Too many queries")
    assert refused.headers["Access-Control-Allow-Origin"] == "*"  # readable by a script on another site
    page = client.post("/sparql", data=QUERY, headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.status_code == 429 and page.mimetype == "text/html"
    assert "Too many queries" in page.get_data(as_text=True)
    other = from_address(app, "192.0.2.8")
    assert other.get("/sparql", query_string=QUERY, headers=SCRIPT).status_code == 200


def test_refused_attempts_on_a_paused_account_use_up_nothing_of_the_address(make_app):
    app = make_app(TIPKB_LIMITS={"login-account": "1 per hour", "login-address": "3 per 15 minutes"})
    client = app.test_client()
    assert client.post("/account/login", data=WRONG).status_code == 422
    for _ in range(5):  # someone keeps trying the paused account
        assert client.post("/account/login", data=WRONG).status_code == 429
    colleague = {"email": "bo@ngo-a.org", "password": "not-the-password"}
    assert client.post("/account/login", data=colleague).status_code == 422  # checked, not refused

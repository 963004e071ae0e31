"""Accounts: register, log in and out, roles, CSRF protection, the first admin account."""

import pytest

from tipkb import accounts as users
from webapp.db import get_store

from .webhelpers import csrf_token, register


@pytest.fixture
def database_url(any_database_url):
    """These tests run on SQLite and on PostgreSQL."""
    return any_database_url


def test_register_logs_in_and_logout_ends_the_session(client):
    response = register(client)
    assert response.status_code == 302 and response.location.endswith("/assessments/")
    page = client.get("/assessments/").get_data(as_text=True)
    assert "ana@ngo-a.org" in page and "Assessments of NGO A" in page
    client.post("/account/logout")
    assert client.get("/assessments/").status_code == 302


def test_passwords_are_stored_hashed(app, ngo_client):
    with app.app_context():
        from sqlalchemy import select
        from sqlalchemy.orm import Session

        with Session(get_store().engine) as s:
            stored = s.scalar(select(users.UserRow.password_hash))
    assert "secret-pass" not in stored and stored.startswith(("scrypt:", "pbkdf2:"))


def test_login_with_wrong_password_is_refused(client, app):
    register(client)
    client.post("/account/logout")
    response = client.post("/account/login", data={"email": "ana@ngo-a.org", "password": "wrong-pass"})
    assert response.status_code == 422 and "Wrong email or password." in response.get_data(as_text=True)
    ok = client.post("/account/login", data={"email": "ANA@ngo-a.org ", "password": "secret-pass"})
    assert ok.status_code == 302


def test_login_returns_to_the_page_asked_for_but_never_off_site(client):
    register(client)
    client.post("/account/logout")
    response = client.get("/assessments/")
    assert "/account/login?next=" in response.location
    back = client.post("/account/login?next=/assessments/", data={"email": "ana@ngo-a.org", "password": "secret-pass"})
    assert back.location == "/assessments/"
    client.post("/account/logout")
    away = client.post("/account/login?next=https://evil.example/", data={"email": "ana@ngo-a.org",
                                                                         "password": "secret-pass"})
    assert away.location == "/assessments/"


def test_an_organisation_name_cannot_be_claimed_twice(client, app):
    register(client)
    other = app.test_client()
    response = register(other, "eve@elsewhere.org", " ngo  A ")
    assert response.status_code == 422
    assert "No account can be made with this email and organisation" in response.get_data(as_text=True)


def test_register_validation_messages_in_russian(client):
    response = client.post("/account/register?lang=ru", data={"email": "x@y.org", "organisation": "Org",
                                                               "password": "short", "confirm": "other"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Пароли не совпадают." in page
    assert 'aria-invalid="true"' in page and 'aria-describedby="password-hint password-error"' in page


def test_a_form_without_csrf_token_is_refused(make_app):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    data = {"email": "ana@ngo-a.org", "organisation": "NGO A", "password": "secret-pass", "confirm": "secret-pass"}
    refused = client.post("/account/register", data=data)
    assert refused.status_code == 400 and "The form expired" in refused.get_data(as_text=True)
    token = csrf_token(client.get("/account/register").get_data(as_text=True))
    accepted = client.post("/account/register", data={**data, "csrf_token": token})
    assert accepted.status_code == 302


def test_autosave_without_csrf_header_is_refused(make_app):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    token = csrf_token(client.get("/account/register").get_data(as_text=True))
    client.post("/account/register", data={"email": "ana@ngo-a.org", "organisation": "NGO A",
                                           "password": "secret-pass", "confirm": "secret-pass", "csrf_token": token})
    started = client.post("/assessments/", data={"country": "KG", "year": "2025", "csrf_token": token})
    autosave = started.location.split("/sections/")[0] + "/autosave"
    payload = {"fields": [["shown", "PT01"], ["q-PT01", "yes"]]}
    refused = client.post(autosave, json=payload)
    assert refused.status_code == 400 and refused.json["error"] == "csrf"
    accepted = client.post(autosave, json=payload, headers={"X-CSRFToken": token})
    assert accepted.status_code == 200 and accepted.json["saved"] == ["PT01"]


def test_create_admin_from_environment(app, runner, monkeypatch):
    monkeypatch.setenv("TIPKB_ADMIN_EMAIL", "boss@tipkb.org")
    monkeypatch.setenv("TIPKB_ADMIN_PASSWORD", "a-long-password")
    result = runner.invoke(args=["create-admin"])
    assert result.exit_code == 0 and "boss@tipkb.org" in result.output
    client = app.test_client()
    client.post("/account/login", data={"email": "boss@tipkb.org", "password": "a-long-password"})
    assert client.get("/admin/users").status_code == 200


def test_create_admin_prints_a_one_time_password_that_must_be_changed(app, runner, monkeypatch):
    monkeypatch.delenv("TIPKB_ADMIN_EMAIL", raising=False)
    monkeypatch.delenv("TIPKB_ADMIN_PASSWORD", raising=False)
    result = runner.invoke(args=["create-admin"])
    once = result.output.strip().rsplit(" ", 1)[-1]
    assert "admin@localhost" in result.output and len(once) >= 12
    assert "One-time password" not in runner.invoke(args=["create-admin"]).output  # only the first time
    client = app.test_client()
    response = client.post("/account/login", data={"email": "admin@localhost", "password": once})
    assert "/account/password" in response.location
    changed = client.post("/account/password", data={"current": once, "password": "new-admin-pass",
                                                     "confirm": "new-admin-pass"})
    assert changed.status_code == 302
    client.post("/account/logout")
    assert client.post("/account/login", data={"email": "admin@localhost", "password": once}).status_code == 422


@pytest.mark.parametrize("url", ["/admin/users"])
def test_role_required_sends_ngo_users_away(ngo_client, url):
    response = ngo_client.get(url)
    assert response.status_code == 403 and "Access denied" in response.get_data(as_text=True)

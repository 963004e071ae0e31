"""Sessions end: cookies stop working after logout, a password change or "log out everywhere"; no default key."""

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import update
from sqlalchemy.orm import Session

from tipkb import accounts
from tipkb.errors import ConfigError
from webapp.db import get_store

from .webhelpers import register

COOKIES = ("session", "remember_token")
LOGIN = {"email": "ana@ngo-a.org", "password": "secret-pass"}


def cookie_jar(client) -> dict[str, str]:
    """Return the client's sign-in cookies by name."""
    return {name: c.value for name in COOKIES if (c := client.get_cookie(name)) is not None}


def replay(app, cookies: dict[str, str]):
    """Return a new client that carries only these cookies, as a thief holding a copy of them would."""
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def signed_in(client) -> bool:
    return client.get("/assessments/").status_code == 200


def logged_in_client(app):
    """Register "NGO A" in one client, then log in afresh (with a remember-me cookie) and return that client."""
    register(app.test_client())
    client = app.test_client()
    assert client.post("/account/login", data=LOGIN).status_code == 302
    assert set(cookie_jar(client)) == set(COOKIES)
    return client


def assert_every_copy_refused(app, jar):
    for cookies in ({"session": jar["session"]}, {"remember_token": jar["remember_token"]}, jar):
        assert not signed_in(replay(app, cookies)), sorted(cookies)


def test_copied_cookies_work_while_the_session_is_open(app):
    jar = cookie_jar(logged_in_client(app))
    for cookies in ({"session": jar["session"]}, {"remember_token": jar["remember_token"]}):
        assert signed_in(replay(app, cookies)), sorted(cookies)  # so the refusals below are the session's end


def test_old_cookies_are_refused_after_logout(app):
    client = logged_in_client(app)
    other_device = app.test_client()
    assert other_device.post("/account/login", data=LOGIN).status_code == 302
    jar = cookie_jar(client)
    client.post("/account/logout")
    assert_every_copy_refused(app, jar)
    assert signed_in(other_device)  # logout ends this session only


def test_old_cookies_are_refused_after_a_password_change(app):
    client = logged_in_client(app)
    other_device = app.test_client()
    assert other_device.post("/account/login", data=LOGIN).status_code == 302
    jar = cookie_jar(client)
    changed = client.post("/account/password", data={"current": "secret-pass", "password": "other-secret",
                                                     "confirm": "other-secret"})
    assert changed.status_code == 302
    assert signed_in(client)  # the device that changed it goes on, in a new session
    assert not signed_in(other_device)
    assert_every_copy_refused(app, jar)


def test_log_out_everywhere_ends_every_session(app):
    client = logged_in_client(app)
    other_device = app.test_client()
    assert other_device.post("/account/login", data=LOGIN).status_code == 302
    jars = [cookie_jar(client), cookie_jar(other_device)]
    page = client.get("/account/password").get_data(as_text=True)
    assert 'action="/account/logout-everywhere"' in page and "Log out everywhere" in page
    assert client.post("/account/logout-everywhere").status_code == 302
    assert not signed_in(client) and not signed_in(other_device)
    for jar in jars:
        assert_every_copy_refused(app, jar)


def test_a_session_ends_after_fourteen_days_and_so_does_its_remember_cookie(app):
    register(app.test_client())
    client = app.test_client()
    response = client.post("/account/login", data=LOGIN)
    remember = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token="))
    expires = parsedate_to_datetime(remember.split("Expires=")[1].split(";")[0])
    assert expires <= datetime.now(UTC) + timedelta(days=accounts.SESSION_DAYS, minutes=5)
    with app.app_context(), Session(get_store().engine) as s, s.begin():
        s.execute(update(accounts.SessionRow).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert not signed_in(client)


def test_a_session_cookie_in_the_old_form_is_refused(app):
    """A cookie naming only the user id (as before sessions were kept) no longer signs anyone in."""
    client = logged_in_client(app)
    with app.test_request_context():
        serializer = SecureCookieSessionInterface().get_signing_serializer(app)
        payload = serializer.loads(client.get_cookie("session").value)
        assert payload["_user_id"].startswith("1:")
        old_form = serializer.dumps({**payload, "_user_id": "1"})
    assert not signed_in(replay(app, {"session": old_form}))


def forge(payload: dict, key: str) -> str:
    """Sign a session cookie with a key, as someone who knows or guesses the key would."""
    forger = Flask("forger")
    forger.secret_key = key
    return SecureCookieSessionInterface().get_signing_serializer(forger).dumps(payload)


def test_a_session_signed_with_the_old_default_key_does_not_open_the_admin_pages(make_app, tmp_path, monkeypatch):
    """Forgeable admin session: with no key configured, a cookie signed with `dev-only-change-me` opened /admin."""
    monkeypatch.delenv("TIPKB_SECRET_KEY", raising=False)
    monkeypatch.setenv("TIPKB_INSTANCE", str(tmp_path / "instance"))
    app = make_app(SECRET_KEY=None)
    assert app.secret_key not in ("dev-only-change-me", None) and (tmp_path / "instance" / "secret_key").exists()
    with app.app_context():
        accounts.create(get_store().engine, "root@tipkb.org", "admin-pass", role="admin")
    admin = app.test_client()
    assert admin.post("/account/login", data={"email": "root@tipkb.org", "password": "admin-pass"}).status_code == 302
    with app.test_request_context():
        payload = SecureCookieSessionInterface().get_signing_serializer(app).loads(admin.get_cookie("session").value)
    assert replay(app, {"session": forge(payload, app.secret_key)}).get("/admin/users").status_code == 200
    forged = replay(app, {"session": forge(payload, "dev-only-change-me")}).get("/admin/users")
    assert forged.status_code == 302 and "/account/login" in forged.location
    with pytest.raises(ConfigError, match="well-known key"):
        make_app(SECRET_KEY="dev-only-change-me")


def test_signing_in_again_ends_the_session_it_replaces(app):
    client = logged_in_client(app)
    jar = cookie_jar(client)
    assert client.post("/account/login", data=LOGIN).status_code == 302
    assert signed_in(client)
    assert_every_copy_refused(app, jar)

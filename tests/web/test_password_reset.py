"""Password reset: a generic answer for any address, a mailed link that works once and expires, an admin's link."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from tipkb import accounts, resets
from tipkb.db import now
from webapp.db import get_store

from .mailcatcher import catch_mail, link_in, mail_config
from .webhelpers import register

NEW = "a-brand-new-pass"


def local(link: str) -> str:
    parts = urlsplit(link.replace("&amp;", "&"))
    return f"{parts.path}?{parts.query}"


def sent_page(client, email: str) -> str:
    response = client.post("/account/forgot", data={"email": email})
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.slow
def test_the_forgot_page_answers_alike_for_known_and_unknown_addresses_and_mails_only_accounts(make_app):
    with catch_mail() as catcher:
        app = make_app(**mail_config(catcher))
        assert register(app.test_client()).status_code == 302
        client = app.test_client()
        assert "Forgot your password?" in client.get("/account/login").get_data(as_text=True)
        known, unknown = sent_page(client, "ana@ngo-a.org"), sent_page(client, "nobody@ngo-a.org")
        assert known.replace("ana@ngo-a.org", "") == unknown.replace("nobody@ngo-a.org", "")
        message = catcher.wait_for("ana@ngo-a.org")
    assert [m["To"] for m in catcher.messages] == ["ana@ngo-a.org"]
    assert urlsplit(link_in(message)).netloc == "localhost"  # the configured address, never the request's Host


@pytest.mark.slow
def test_a_reset_link_sets_the_password_ends_every_session_and_works_once(app, ngo_client):
    with app.app_context():
        engine = get_store().engine
        _, token = resets.issue(engine, app.secret_key, "ana@ngo-a.org")
    path = f"/account/reset?t={token}"
    visitor = app.test_client()
    assert "ana@ngo-a.org" in visitor.get(path).get_data(as_text=True)
    response = visitor.post(path, data={"password": NEW, "confirm": NEW})
    assert response.status_code == 302 and response.location.endswith("/account/login")
    assert ngo_client.get("/assessments/").status_code == 302  # the session open before the reset is ended
    assert visitor.post("/account/login", data={"email": "ana@ngo-a.org", "password": NEW}).status_code == 302
    assert app.test_client().get(path).status_code == 410
    assert app.test_client().post(path, data={"password": "another-pass-9", "confirm": "another-pass-9"}
                                  ).status_code == 410


@pytest.mark.slow
def test_a_reset_link_is_refused_once_expired_forged_or_after_a_password_change(app, ngo_client):
    with app.app_context():
        engine = get_store().engine
        _, expired = resets.issue(engine, app.secret_key, "ana@ngo-a.org", moment=now() - timedelta(minutes=61))
        _, outdated = resets.issue(engine, app.secret_key, "ana@ngo-a.org")
        _, foreign = resets.issue(engine, "another-secret", "ana@ngo-a.org")
        assert resets.issue(engine, app.secret_key, "nobody@ngo-a.org") is None
    assert ngo_client.post("/account/password", data={"current": "secret-pass", "password": NEW, "confirm": NEW}
                           ).status_code == 302
    for token in (expired, outdated, foreign, "", token_tampered(outdated)):
        assert app.test_client().get(f"/account/reset?t={token}").status_code == 410


def token_tampered(token: str) -> str:
    return token[:-2] + ("AA" if not token.endswith("AA") else "BB")


@pytest.mark.slow
def test_the_reset_page_applies_the_password_policy(app, ngo_client):
    with app.app_context():
        _, token = resets.issue(get_store().engine, app.secret_key, "ana@ngo-a.org")
    response = app.test_client().post(f"/account/reset?t={token}", data={"password": "password123",
                                                                         "confirm": "password123"})
    assert response.status_code == 422 and "most common" in response.get_data(as_text=True)
    assert app.test_client().get(f"/account/reset?t={token}").status_code == 200  # not spent by a refusal


@pytest.mark.slow
def test_without_smtp_the_forgot_page_says_so_and_an_admin_issues_the_link(app, ngo_client):
    assert "sends no mail" in sent_page(app.test_client(), "ana@ngo-a.org")
    with app.app_context():
        engine = get_store().engine
        accounts.create(engine, "root@tipkb.org", "root-password-1", role="admin")
        ana = next(a for a in accounts.list_all(engine) if a.email == "ana@ngo-a.org")
    admin = app.test_client()
    assert admin.post("/account/login", data={"email": "root@tipkb.org", "password": "root-password-1"}
                      ).status_code == 302
    page = admin.post(f"/admin/users/{ana.id}/reset-link").get_data(as_text=True)
    path = local(re.search(r'id="reset-link"[^>]*value="([^"]+)"', page).group(1))
    assert app.test_client().post(path, data={"password": NEW, "confirm": NEW}).status_code == 302
    assert ngo_client.get("/assessments/").status_code == 302
    assert "/account/reset?t=" not in admin.get("/admin/users").get_data(as_text=True)  # shown only once


@pytest.mark.slow
def test_reset_requests_for_one_address_are_limited(make_app):
    app = make_app(TIPKB_LIMITS={"reset-account": "2 per hour"})
    client = app.test_client()
    assert [client.post("/account/forgot", data={"email": "ana@ngo-a.org"}).status_code
            for _ in range(3)] == [200, 200, 429]
    assert client.post("/account/forgot", data={"email": "bo@ngo-b.org"}).status_code == 200


@pytest.mark.slow
def test_refused_reset_and_invitation_links_are_limited_per_address(make_app):
    app = make_app(TIPKB_LIMITS={"reset-address": "3 per hour"})
    client = app.test_client()
    data = {"password": NEW, "confirm": NEW}
    statuses = [client.post(path, data=data).status_code
                for path in ("/account/reset?t=guess1", "/account/team/join?t=guess2", "/account/reset?t=guess3",
                             "/account/team/join?t=guess4")]
    assert statuses == [410, 410, 410, 429]

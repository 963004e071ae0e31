"""Teams: an organisation's admin invites a colleague by a one-time link, sees the members and removes one."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tipkb import accounts, teams
from tipkb.db import now
from webapp.db import get_store

from .mailcatcher import catch_mail, link_in, mail_config
from .webhelpers import register

pytestmark = pytest.mark.slow  # each test hashes several passwords
PASSWORD = "colleague-pass-1"


def invite(client, email="bea@ngo-a.org") -> str:
    """Invite a colleague from a signed-in organisation admin's client; return the link's path and query."""
    response = client.post("/account/team/invite", data={"email": email})
    assert response.status_code == 200, response.get_data(as_text=True)
    link = re.search(r'id="invitation-link"[^>]*value="([^"]+)"', response.get_data(as_text=True)).group(1)
    parts = urlsplit(link.replace("&amp;", "&"))
    return f"{parts.path}?{parts.query}"


def join(app, path, password=PASSWORD):
    """Open an invitation link in a new client and make the account; return the client and the response."""
    client = app.test_client()
    assert client.get(path).status_code == 200
    return client, client.post(path, data={"password": password, "confirm": password})


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_an_invited_colleague_joins_the_organisation_and_sees_its_assessments(app, ngo_client):
    assert "Administrator" in ngo_client.get("/account/team/").get_data(as_text=True)
    assessment = ngo_client.post("/assessments/", data={"country": "KG", "year": "2025"}).location
    path = invite(ngo_client)
    colleague, response = join(app, path)
    assert response.status_code == 302 and response.location.endswith("/assessments/")
    assert colleague.get(assessment).status_code in (200, 302)
    page = colleague.get("/account/team/").get_data(as_text=True)
    assert "bea@ngo-a.org" in page and "ana@ngo-a.org" in page and "Make administrator" not in page
    assert colleague.post("/account/team/invite", data={"email": "x@ngo-a.org"}).status_code == 403
    # the link is spent: a second use is refused, and makes no account
    again = app.test_client()
    assert again.get(path).status_code == 410
    assert again.post(path, data={"password": "another-pass-9", "confirm": "another-pass-9"}).status_code == 410


def test_an_invitation_dies_when_it_expires_is_withdrawn_or_its_inviter_stops_being_admin(app, ngo_client):
    with app.app_context():
        engine = get_store().engine
        ana = next(a for a in accounts.list_all(engine) if a.email == "ana@ngo-a.org")
        _, old = teams.invite(engine, app.secret_key, ana.id, "old@ngo-a.org", moment=now() - timedelta(hours=73))
    assert app.test_client().get(f"/account/team/join?t={old}").status_code == 410
    assert app.test_client().get("/account/team/join?t=forged").status_code == 410
    withdrawn = invite(ngo_client, "cy@ngo-a.org")
    with app.app_context():
        open_one = teams.pending(engine, "NGO A")[0]
    assert ngo_client.post("/account/team/revoke", data={"id": str(open_one.id)}).status_code == 302
    assert app.test_client().get(withdrawn).status_code == 410
    path = invite(ngo_client, "dee@ngo-a.org")
    colleague, response = join(app, invite(ngo_client, "eve@ngo-a.org"))
    assert response.status_code == 302
    eve = next(a for a in teams.members(engine, "NGO A") if a.email == "eve@ngo-a.org")
    assert ngo_client.post("/account/team/admin", data={"id": str(eve.id), "admin": "1"}).status_code == 302
    assert colleague.post("/account/team/admin", data={"id": str(ana.id), "admin": "0"}).status_code == 302
    assert app.test_client().get(path).status_code == 410  # ana, who made it, is no longer an admin


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_removing_a_member_ends_their_sessions_and_the_last_admin_stays(app, ngo_client):
    colleague, response = join(app, invite(ngo_client))
    assert colleague.get("/assessments/").status_code == 200
    with app.app_context():
        members = {a.email: a for a in teams.members(get_store().engine, "NGO A")}
    assert ngo_client.post("/account/team/remove", data={"id": str(members["bea@ngo-a.org"].id)}).status_code == 302
    assert colleague.get("/assessments/").status_code == 302  # signed out: sent to the login page
    assert "bea@ngo-a.org" not in ngo_client.get("/account/team/").get_data(as_text=True)
    assert colleague.post("/account/login", data={"email": "bea@ngo-a.org", "password": PASSWORD}).status_code == 422
    ana = str(members["ana@ngo-a.org"].id)
    for action, data in (("remove", {"id": ana}), ("admin", {"id": ana, "admin": "0"})):
        response = ngo_client.post(f"/account/team/{action}", data=data, follow_redirects=True)
        assert "last administrator" in response.get_data(as_text=True)
    assert "Administrator" in ngo_client.get("/account/team/").get_data(as_text=True)


def test_an_admin_of_one_organisation_cannot_touch_another(app, ngo_client, other_client):
    with app.app_context():
        ana = next(a for a in teams.members(get_store().engine, "NGO A"))
    response = other_client.post("/account/team/remove", data={"id": str(ana.id)}, follow_redirects=True)
    assert "no such member" in response.get_data(as_text=True)
    assert ana.email in ngo_client.get("/account/team/").get_data(as_text=True)
    assert "ana@ngo-a.org" not in other_client.get("/account/team/").get_data(as_text=True)


def test_registration_still_refuses_an_existing_organisation_and_points_to_an_invitation(client):
    assert register(client).status_code == 302
    other = client.application.test_client()
    response = register(other, "zed@ngo-a.org", "ngo a")
    assert response.status_code == 422 and "administrator" in response.get_data(as_text=True)


def test_with_smtp_the_invitation_is_mailed(make_app):
    with catch_mail() as catcher:
        app = make_app(**mail_config(catcher))
        client = app.test_client()
        assert register(client).status_code == 302
        path = invite(client, "fay@ngo-a.org")
        message = catcher.wait_for("fay@ngo-a.org")
    assert "NGO A" in message["Subject"]
    mailed = urlsplit(link_in(message))
    assert mailed.netloc == "localhost" and f"{mailed.path}?{mailed.query}" == path


def test_a_site_admin_makes_a_member_the_organisations_admin_and_keeps_one(app, ngo_client):
    colleague, _ = join(app, invite(ngo_client))
    with app.app_context():
        engine = get_store().engine
        accounts.create(engine, "root@tipkb.org", "root-password-1", role="admin")
        members = {a.email: a for a in teams.members(engine, "NGO A")}
    admin = app.test_client()
    assert admin.post("/account/login", data={"email": "root@tipkb.org", "password": "root-password-1"}
                      ).status_code == 302
    ana, bea = members["ana@ngo-a.org"].id, members["bea@ngo-a.org"].id
    page = admin.post(f"/admin/users/{ana}/org-admin", data={"admin": "0"}, follow_redirects=True)
    assert "last administrator" in page.get_data(as_text=True)
    assert admin.post(f"/admin/users/{bea}/org-admin", data={"admin": "1"}).status_code == 302
    assert admin.post(f"/admin/users/{ana}/org-admin", data={"admin": "0"}).status_code == 302
    assert "Make the invitation" in colleague.get("/account/team/").get_data(as_text=True)
    assert "Make the invitation" not in ngo_client.get("/account/team/").get_data(as_text=True)


def test_the_export_holds_members_roles_and_open_invitations_and_deletion_removes_them(app, ngo_client):
    invite(ngo_client, "gus@ngo-a.org")
    document = ngo_client.get("/account/data/export.json").get_json()
    assert [(u["email"], u["org_admin"]) for u in document["users"]] == [("ana@ngo-a.org", True)]
    assert [(i["email"], sorted(i)) for i in document["related"]["invitation"]] == [
        ("gus@ngo-a.org", ["created_at", "email", "expires_at", "id", "invited_by", "organisation_id"])]
    assert ngo_client.post("/account/data/delete", data={"password": "secret-pass", "organisation": "NGO A"}
                           ).status_code == 302
    with app.app_context(), Session(get_store().engine) as s:
        assert s.scalar(select(func.count()).select_from(teams.InvitationRow)) == 0

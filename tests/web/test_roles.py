"""Role management by admins: invite or promote an expert, demote, deactivate (sessions end, sign-in refused)."""

from tipkb import accounts as users
from webapp.db import get_store

from .webhelpers import register


def sign_in(app, email, password):
    client = app.test_client()
    assert client.post("/account/login", data={"email": email, "password": password}).status_code == 302
    return client


def admin_client(app):
    with app.app_context():
        users.create(get_store().engine, "root@tipkb.org", "admin-pass", role="admin")
    return sign_in(app, "root@tipkb.org", "admin-pass")


def test_an_invited_expert_reaches_the_editor(app):
    admin = admin_client(app)
    page = admin.post("/admin/users", data={"email": "eva@experts.org", "role": "expert"}).get_data(as_text=True)
    once = page.split("<code>")[1].split("</code>")[0]
    expert = sign_in(app, "eva@experts.org", once)
    assert expert.get("/editor/").location == "/account/password"  # the one-time password is changed first
    expert.post("/account/password", data={"current": once, "password": "expert-pass", "confirm": "expert-pass"})
    assert expert.get("/editor/").status_code == 200


def test_promote_then_demote_then_deactivate(app, client):
    register(client)  # an NGO user, id 1
    admin = admin_client(app)
    assert client.get("/editor/").status_code == 403
    admin.post("/admin/users/1/role", data={"role": "expert"})
    assert client.get("/editor/").status_code == 200
    admin.post("/admin/users/1/role", data={"role": "ngo"})
    assert client.get("/editor/").status_code == 403
    assert admin.post("/admin/users/1/active", data={"active": "0"}).status_code == 302
    assert "deactivated" in admin.get("/admin/users").get_data(as_text=True)
    assert client.get("/assessments/").status_code == 302  # the open session ended
    refused = app.test_client().post("/account/login", data={"email": "ana@ngo-a.org", "password": "secret-pass"})
    assert refused.status_code in (200, 422) and "Wrong email or password." in refused.get_data(as_text=True)
    admin.post("/admin/users/1/active", data={"active": "1"})
    sign_in(app, "ana@ngo-a.org", "secret-pass")


def test_an_admin_cannot_deactivate_themselves_and_others_cannot_deactivate_anyone(app, client):
    admin = admin_client(app)
    admin.post("/admin/users/1/active", data={"active": "0"})
    assert admin.get("/admin/users").status_code == 200  # still signed in
    register(client)
    assert client.post("/admin/users/1/active", data={"active": "0"}).status_code == 403

"""Administration: admins change roles and add users to an existing organisation; nobody else may."""

from tipkb import accounts as users
from webapp.auth import role_required
from webapp.db import get_store

from .webhelpers import register


def login_admin(app):
    with app.app_context():
        users.create(get_store().engine, "root@tipkb.org", "admin-pass", role="admin")
    client = app.test_client()
    client.post("/account/login", data={"email": "root@tipkb.org", "password": "admin-pass"})
    return client


def test_admin_changes_a_role(app, client):
    register(client)
    admin = login_admin(app)
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "ana@ngo-a.org" in page
    assert admin.post("/admin/users/1/role", data={"role": "expert"}).status_code == 302
    with app.app_context():
        assert users.get(get_store().engine, 1).role == "expert"


def test_admin_adds_a_member_to_an_existing_organisation(app, client):
    register(client)
    admin = login_admin(app)
    response = admin.post("/admin/users", data={"email": "bob@ngo-a.org", "organisation": "NGO A", "role": "ngo"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "one-time password" in page
    once = page.split("<code>")[1].split("</code>")[0]
    member = app.test_client()
    assert member.post("/account/login", data={"email": "bob@ngo-a.org", "password": once}).status_code == 302


def test_unknown_user_role_change_is_404(app):
    assert login_admin(app).post("/admin/users/99/role", data={"role": "expert"}).status_code == 404


def test_role_required_for_other_blueprints(app):
    @app.get("/experts-only")
    @role_required("expert", "admin")
    def experts_only():
        return "ok"

    anonymous = app.test_client()
    assert anonymous.get("/experts-only").status_code == 302
    ngo = app.test_client()
    register(ngo)
    assert ngo.get("/experts-only").status_code == 403
    assert login_admin(app).get("/experts-only").get_data(as_text=True) == "ok"

"""Account security: one claim per organisation, one-time passwords, the password policy, admin tooling."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tipkb import accounts
from webapp.db import get_store

from .webhelpers import register

TAKEN = "No account can be made with this email and organisation"


def engine(app):
    with app.app_context():
        return get_store().engine


def admin_client(app):
    accounts.create(engine(app), "root@tipkb.org", "admin-pass", role="admin")
    client = app.test_client()
    assert client.post("/account/login", data={"email": "root@tipkb.org", "password": "admin-pass"}).status_code == 302
    return client


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_twenty_simultaneous_claims_of_one_new_organisation_make_one_account(app):
    """Organisation-claim race: 20 registrations at once of one new name made 13–15 accounts that shared it."""
    start, statuses = threading.Barrier(20), [None] * 20

    def claim(n):
        client = app.test_client()
        start.wait()
        statuses[n] = register(client, f"user{n}@race-{n}.org", "Race NGO").status_code

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302] + [422] * 19
    with Session(engine(app)) as s:
        assert s.scalar(select(func.count()).select_from(accounts.UserRow)
                        .where(accounts.UserRow.organisation == "Race NGO")) == 1
        assert s.scalar(select(func.count()).select_from(accounts.OrganisationRow)) == 1


def test_a_taken_email_and_a_taken_organisation_get_the_same_message(client, app):
    register(client)
    pages = [register(app.test_client(), "eve@elsewhere.org", "NGO A"),  # an organisation that exists
             register(app.test_client(), "ana@ngo-a.org", "Brand New NGO")]  # an email that exists
    assert [p.status_code for p in pages] == [422, 422]
    texts = [p.get_data(as_text=True) for p in pages]
    assert all(TAKEN in t and "already exists" not in t and "already has an account" not in t for t in texts)


def test_an_unknown_email_costs_a_password_hash_check_like_a_known_one(app, monkeypatch):
    """Constant-time login: an unknown email answered at once (4 ms against 85 ms), telling who has an account."""
    register(app.test_client())
    checked = []

    def check(stored, password):
        checked.append(stored.split(":")[0])
        return real(stored, password)

    real = accounts.check_password_hash
    monkeypatch.setattr(accounts, "check_password_hash", check)
    for email in ("ana@ngo-a.org", "nobody@ngo-a.org"):
        response = app.test_client().post("/account/login", data={"email": email, "password": "wrong-pass"})
        assert response.status_code == 422 and "Wrong email or password." in response.get_data(as_text=True)
    assert len(checked) == 2 and checked[0] == checked[1]  # the same kind of hash, checked once each


@pytest.mark.parametrize(("email", "password", "message"), [
    ("ana@ngo-a.org", "nine-char", "at least 10 characters"),
    ("ana@ngo-a.org", "1234567890", "one of the most common"),
    ("ana@ngo-a.org", "QwertyUiop", "one of the most common"),
    ("ana.lopez@ngo-a.org", "ana.lopez@ngo-a.org", "must not be your email"),
    ("ana.lopez.k@ngo-a.org", "Ana.Lopez.K", "must not be your email"),
    ("ana@ngo-a", "secret-pass", "Enter a valid email address."),
    ("ana@@ngo-a.org", "secret-pass", "Enter a valid email address."),
])
def test_registration_refuses_weak_passwords_and_unreal_emails(client, email, password, message):
    response = register(client, email, "NGO A", password)
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_the_password_policy_holds_for_password_changes_too(ngo_client):
    response = ngo_client.post("/account/password", data={"current": "secret-pass", "password": "password123",
                                                          "confirm": "password123"})
    assert response.status_code == 422 and "one of the most common" in response.get_data(as_text=True)


def test_a_one_time_password_signs_in_once_and_only_to_change_it(app):
    """Admin-issued one-time passwords worked more than once, and the API answered before the change."""
    admin = admin_client(app)
    page = admin.post("/admin/users", data={"email": "bob@ngo-b.org", "organisation": "NGO B", "role": "ngo"})
    once = page.get_data(as_text=True).split("<code>")[1].split("</code>")[0]
    bob = app.test_client()
    first = bob.post("/account/login", data={"email": "bob@ngo-b.org", "password": once})
    assert first.status_code == 302 and first.location.startswith("/account/password")
    again = app.test_client().post("/account/login", data={"email": "bob@ngo-b.org", "password": once})
    assert again.status_code == 422  # single use
    assert bob.get("/assessments/").location == "/account/password"
    assert bob.get("/countries/KG").location == "/account/password"
    for url in ("/api/assessments", "/api/countries/KG"):
        refused = bob.get(url)
        assert refused.status_code == 403 and refused.json["error"] == "password change required"
    assert bob.post("/assessments/", data={"country": "KG", "year": "2025"}).location == "/account/password"
    assert bob.get("/account/password").status_code == 200
    changed = bob.post("/account/password", data={"current": once, "password": "bobs-secret", "confirm": "bobs-secret"})
    assert changed.status_code == 302
    assert bob.get("/assessments/").status_code == 200 and bob.get("/api/assessments").status_code == 200


def test_a_one_time_password_expires(app):
    user = accounts.create(engine(app), "bob@ngo-b.org", "not-used-pass", organisation="NGO B")
    once = accounts.issue_one_time_password(engine(app), user.id)
    with Session(engine(app)) as s, s.begin():
        s.execute(update(accounts.UserRow).values(
            password_expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    response = app.test_client().post("/account/login", data={"email": "bob@ngo-b.org", "password": once})
    assert response.status_code == 422
    assert datetime.now(UTC) + timedelta(hours=accounts.ONE_TIME_HOURS - 1) < accounts_expiry(app, user.id, issue=True)


def accounts_expiry(app, user_id, *, issue):
    if issue:
        accounts.issue_one_time_password(engine(app), user_id)
    with Session(engine(app)) as s:
        return s.get(accounts.UserRow, user_id).password_expires_at.replace(tzinfo=UTC)


def test_an_admin_issues_a_new_one_time_password_and_the_old_sessions_end(app, ngo_client):
    admin = admin_client(app)
    page = admin.post("/admin/users/1/password").get_data(as_text=True)
    assert "New one-time password for ana@ngo-a.org" in page
    once = page.split("<code>")[1].split("</code>")[0]
    assert ngo_client.get("/assessments/").status_code == 302
    signed = app.test_client().post("/account/login", data={"email": "ana@ngo-a.org", "password": once})
    assert signed.location.startswith("/account/password")


def test_the_last_admin_cannot_be_demoted_or_deactivated(app):
    admin = admin_client(app)
    refused = admin.post("/admin/users/1/role", data={"role": "ngo"}, follow_redirects=True)
    assert "This is the last administrator" in refused.get_data(as_text=True)
    assert accounts.get(engine(app), 1).role == "admin" and admin.get("/admin/users").status_code == 200
    with pytest.raises(accounts.AccountError, match="last admin"):
        accounts.set_active(engine(app), 1, False)
    accounts.create(engine(app), "second@tipkb.org", "admin-pass-2", role="admin")
    assert admin.post("/admin/users/1/role", data={"role": "expert"}).status_code == 302
    assert accounts.get(engine(app), 1).role == "expert"


@pytest.mark.parametrize(("password", "problem"), [("short", "too short"), ("1234567890", "most common")])
def test_create_admin_with_a_bad_password_says_why_and_exits_non_zero(app, runner, monkeypatch, password, problem):
    """`flask create-admin` with a short password printed a traceback."""
    monkeypatch.setenv("TIPKB_ADMIN_EMAIL", "boss@tipkb.org")
    monkeypatch.setenv("TIPKB_ADMIN_PASSWORD", password)
    result = runner.invoke(args=["create-admin"])
    assert result.exit_code == 1 and problem in result.output and "Traceback" not in result.output
    assert accounts.list_all(engine(app)) == []


def test_the_migration_gives_every_claimed_organisation_its_row_and_refuses_case_twins(any_empty_database_url):
    from sqlalchemy import text

    from tipkb.db import DatabaseError, downgrade, head, make_engine, upgrade

    db = make_engine(any_empty_database_url)
    upgrade(db, "18c92a9a19d1")
    user = ("INSERT INTO app_user (email, password_hash, role, organisation, must_change_password, created_at, active)"
            " VALUES (:email, 'x', 'ngo', :org, :once, '2026-01-05 10:00:00', :yes)")
    with db.begin() as c:
        c.execute(text("INSERT INTO organisation (name, created_at) VALUES ('NGO A', '2026-01-05 10:00:00')"))
        for email, org, once in (("ana@a.org", "ngo  a", False), ("bob@b.org", "Lonely NGO", False),
                                 ("cy@c.org", "Lonely NGO", True)):
            c.execute(text(user), {"email": email, "org": org, "once": once, "yes": True})
    assert upgrade(db) == head()
    with db.connect() as c:
        assert c.execute(text("SELECT name, name_key FROM organisation ORDER BY id")).all() == [
            ("NGO A", "ngo a"), ("Lonely NGO", "lonely ngo")]
        assert c.execute(text("SELECT organisation FROM app_user ORDER BY id")).scalars().all() == [
            "NGO A", "Lonely NGO", "Lonely NGO"]
    with Session(db) as s:
        expires = [r.password_expires_at for r in s.scalars(select(accounts.UserRow).order_by(accounts.UserRow.id))]
    assert expires[:2] == [None, None] and expires[2] is not None
    downgrade(db, "18c92a9a19d1")
    with db.begin() as c:
        c.execute(text("INSERT INTO organisation (name, created_at) VALUES ('ngo a', '2026-01-06 10:00:00')"))
    with pytest.raises(DatabaseError, match="differ only in case"):
        upgrade(db)
    db.dispose()

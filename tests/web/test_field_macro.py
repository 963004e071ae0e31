"""The shared field macro writes aria-invalid and aria-describedby only with a value (axe aria-valid-attr-value)."""

import re

import pytest

from tipkb import accounts, resets, teams
from webapp.db import get_store

NONE = re.compile(r'="None"')


def pages(app, ngo_client, admin) -> dict[str, list]:
    """Return each page with a form that uses the macro: (client, method, path, data) to ask for it."""
    with app.app_context():
        engine = get_store().engine
        ana = next(a for a in accounts.list_all(engine) if a.email == "ana@ngo-a.org")
        _, reset = resets.issue(engine, app.secret_key, "ana@ngo-a.org")
        _, invitation = teams.invite(engine, app.secret_key, ana.id, "bea@ngo-a.org")
    anonymous = app.test_client()
    short = {"password": "short", "confirm": "other"}
    return {
        "register": [anonymous, "/account/register", {"email": "not-an-email", "password": "x"}],
        "login": [anonymous, "/account/login", {"email": "", "password": ""}],
        "forgot": [anonymous, "/account/forgot", {"email": ""}],
        "reset": [anonymous, f"/account/reset?t={reset}", short],
        "join": [anonymous, f"/account/team/join?t={invitation}", short],
        "password": [ngo_client, "/account/password", {"current": "", **short}],
        "team": [ngo_client, "/account/team/invite", {"email": "nope"}],
        "start-assessment": [ngo_client, "/assessments/", {"country": "", "year": "1"}],
        "organisation-data": [ngo_client, "/account/data/delete", {"password": "", "organisation": ""}],
        "admin-users": [admin, "/admin/users", {"email": "bad"}],
    }


@pytest.mark.slow
def test_regression_field_macro_writes_no_none_attribute_on_any_account_form(app, ngo_client):
    with app.app_context():
        accounts.create(get_store().engine, "root@tipkb.org", "root-password-1", role="admin")
    admin = app.test_client()
    assert admin.post("/account/login", data={"email": "root@tipkb.org", "password": "root-password-1"}
                      ).status_code == 302
    for name, (client, path, data) in pages(app, ngo_client, admin).items():
        get_path = "/account/team/" if name == "team" else "/account/data/" if name == "organisation-data" else path
        clean = client.get(get_path).get_data(as_text=True)
        assert "<form" in clean and not NONE.search(clean), f"{name}: {NONE.findall(clean)}"
        assert 'aria-invalid="true"' not in clean, name
        response = client.post(path, data=data)
        failed = response.get_data(as_text=True)
        assert response.status_code in (400, 422), f"{name}: {response.status_code}"
        assert not NONE.search(failed), f"{name} with errors: {NONE.findall(failed)}"
        if response.status_code == 422:
            assert 'aria-invalid="true"' in failed and re.search(r'aria-describedby="[^"]*-error', failed), name


def test_regression_field_macro_describes_a_field_by_its_hint(client):
    page = client.get("/account/register").get_data(as_text=True)
    assert re.search(r'<input[^>]*aria-describedby="organisation-hint"', page)
    assert re.search(r'<input[^>]*id="email"[^>]*>', page) and "aria-describedby" not in re.search(
        r'<input[^>]*id="email"[^>]*>', page).group(0)

"""Regression: the organisation-deletion form checks the user's password under the same abuse limit as the
password change (10 wrong passwords per user in 15 minutes, counted together), so it cannot be used to guess it."""

from .webhelpers import register

PASSWORD = "secret-pass"  # the one webhelpers.register uses
RIGHT = {"password": PASSWORD, "organisation": "NGO A"}
WRONG = {"password": "not-the-password", "organisation": "NGO A"}


def test_regression_the_eleventh_wrong_password_gets_429_and_the_right_one_is_refused(app, ngo_client):
    for _ in range(10):
        assert ngo_client.post("/account/data/delete", data=WRONG).status_code == 422
    paused = ngo_client.post("/account/data/delete", data=WRONG)
    assert paused.status_code == 429 and 60 < int(paused.headers["Retry-After"]) <= 15 * 60
    assert "Deleting the organisation is paused" in paused.get_data(as_text=True)
    assert ngo_client.post("/account/data/delete", data=RIGHT).status_code == 429
    assert ngo_client.get("/account/data/export.json").status_code == 200  # nothing deleted, still signed in
    russian = ngo_client.post("/account/data/delete?lang=ru", data=RIGHT)
    assert "Удаление организации на время приостановлено" in russian.get_data(as_text=True)
    other = app.test_client()  # another user of another organisation is not paused
    assert register(other, "bo@ngo-b.org", "NGO B").status_code == 302
    assert other.post("/account/data/delete", data={"password": PASSWORD, "organisation": "NGO B"}).status_code == 302


def test_wrong_passwords_on_the_password_change_and_the_deletion_count_together(ngo_client):
    wrong_current = {"current": "not-the-password", "password": "a-new-secret", "confirm": "a-new-secret"}
    for _ in range(6):
        assert ngo_client.post("/account/password", data=wrong_current).status_code == 422
    for _ in range(4):
        assert ngo_client.post("/account/data/delete", data=WRONG).status_code == 422
    assert ngo_client.post("/account/data/delete", data=RIGHT).status_code == 429
    assert ngo_client.post("/account/password", data={**wrong_current, "current": PASSWORD}).status_code == 429

"""The database server restarting under a running app: 503 for what needs it while it is away, public pages from
the KB replica, and service again once it is back."""

import pytest

from .webhelpers import register, start

AUTOSAVE = {"fields": [["shown", "PT01"], ["q-PT01", "yes"]]}


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_restarted_database_server_gets_503_while_down_and_service_again_without_restarting_the_app(
        app, client, postgres):
    assert register(client).status_code == 302
    aid = start(client)
    postgres.stop()
    try:
        page = client.get("/assessments/")
        text = page.get_data(as_text=True)
        assert page.status_code == 503 and page.headers["Retry-After"]
        assert "The database cannot be reached just now" in text and "Traceback" not in text
        saved = client.post(f"/assessments/{aid}/autosave", json=AUTOSAVE)
        assert saved.status_code == 503 and saved.json["error"] == "database-unavailable"
        russian = client.get("/assessments/", headers={"Accept-Language": "ru"})
        assert russian.status_code == 503 and "База данных сейчас недоступна" in russian.get_data(as_text=True)
        visitor = app.test_client()  # public pages are served from the KB replica as it was last synced
        for path in ("/", "/countries/KZ", "/practices"):
            assert visitor.get(path).status_code == 200, path
    finally:
        postgres.start()
    saved = client.post(f"/assessments/{aid}/autosave", json=AUTOSAVE)  # the first request after the restart
    assert saved.status_code == 200 and saved.json["saved"] == ["PT01"]
    assert "ana@ngo-a.org" in client.get("/assessments/").get_data(as_text=True)  # still signed in

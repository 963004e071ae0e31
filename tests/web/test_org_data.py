"""An organisation's data rights: download everything it has, and delete it for good (on SQLite and PostgreSQL)."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import MetaData, select

from tipkb import accounts

from .webhelpers import register, start

PASSWORD = "secret-pass"  # the one webhelpers.register uses
SECRET_MARKERS = ("scrypt:", "pbkdf2:", "password_hash", "token_hash")
BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def _engine(app):
    return app.extensions["tipkb_assessments"].engine


def _fill(client, marker: str, *, submitted: bool = False) -> int:
    """Start an assessment, answer two questions with notes carrying `marker`, optionally submit and copy it."""
    aid = start(client)
    fields = [["shown", "PT01"], ["q-PT01", "yes"], ["note-PT01", f"{marker} decree"],
              ["shown", "PV09"], ["q-PV09", "partly"], ["shown", "PV19"], ["q-PV19", "no"],
              ["note-PV19", f"{marker} monitors"]]
    assert client.post(f"/assessments/{aid}/autosave", json={"fields": fields}).status_code == 200
    if submitted:
        assert client.post(f"/assessments/{aid}/submit").status_code == 302
        assert client.post(f"/assessments/{aid}/copy", data={"year": "2026"}).status_code == 302
    return aid


def _export(client) -> dict:
    response = client.get("/account/data/export.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    return response.get_json()


def _cookies(client) -> dict[str, str]:
    return {name: cookie.value for name in ("session", "remember_token")
            if (cookie := client.get_cookie(name)) is not None}


def _replayed(app, cookies: dict[str, str]):
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


@BOTH
def test_the_export_holds_the_organisations_data_and_no_one_elses_and_no_secrets(ngo_client, other_client):
    _fill(ngo_client, "marker-A", submitted=True)
    _fill(other_client, "marker-B")
    response = ngo_client.get("/account/data/export.json")
    text = response.get_data(as_text=True)
    data = _export(ngo_client)
    assert data["organisation"]["name"] == "NGO A"
    assert [u["email"] for u in data["users"]] == ["ana@ngo-a.org"]
    assert sorted((a["year"], a["status"]) for a in data["assessments"]) == [(2025, "submitted"), (2026, "draft")]
    first = next(a for a in data["assessments"] if a["status"] == "submitted")
    assert first["document"]["answers"] == {"PT01": "yes", "PV09": "partly", "PV19": "no"}
    assert first["document"]["notes"]["PV19"] == "marker-A monitors"
    assert first["submitted_at"] and first["created_at"] and first["version"] >= 2
    assert next(a for a in data["assessments"] if a["status"] == "draft")["copied_from"] == first["id"]
    assert data["related"]["user_session"]  # the account's sessions, as when and until when
    for other in ("marker-B", "NGO B", "ngo-b.org"):
        assert other not in text
    for secret in SECRET_MARKERS:
        assert secret not in text


def _ids_of(app, org: str, emails: list[str]) -> dict[str, set[int]]:
    """Return the ids of the organisation's row, its accounts and its assessments."""
    engine = _engine(app)
    schema = MetaData()
    schema.reflect(engine)
    tables = schema.tables
    with engine.connect() as conn:
        org_ids = set(conn.scalars(select(tables["organisation"].c.id).where(tables["organisation"].c.name == org)))
        user_ids = set(conn.scalars(select(tables["app_user"].c.id).where(tables["app_user"].c.email.in_(emails))))
        assessment_ids = set(conn.scalars(select(tables["assessment"].c.id)
                                          .where(tables["assessment"].c.organisation_id.in_(org_ids))))
    assert org_ids and user_ids and assessment_ids
    return {"organisation": org_ids, "app_user": user_ids, "assessment": assessment_ids}


def _rows_of(app, ids: dict[str, set[int]], texts: list[str]) -> list[str]:
    """Return every row, in any table, that is or points at one of these ids, or holds one of these texts."""
    engine = _engine(app)
    schema = MetaData()
    schema.reflect(engine)
    with engine.connect() as conn:
        found = []
        for table in schema.sorted_tables:
            pointers = [(fk.parent.name, ids[fk.column.table.name]) for fk in table.foreign_keys
                        if fk.column.table.name in ids and fk.column.name == "id"]
            if table.name in ids:
                pointers.append(("id", ids[table.name]))
            for row in conn.execute(select(table)).mappings():
                cells = " ".join(str(v) for v in row.values() if isinstance(v, str))
                if any(row[column] in wanted for column, wanted in pointers) or any(t in cells for t in texts):
                    found.append(f"{table.name}: {dict(row)}")
        return found


@BOTH
def test_regression_deleting_an_organisation_removes_every_row_of_it_from_the_database(app, ngo_client,
                                                                                      other_client):
    _fill(ngo_client, "marker-A", submitted=True)
    _fill(other_client, "marker-B", submitted=True)
    accounts.create(_engine(app), "member@ngo-a.org", "member-pass-2026", organisation="NGO A",
                    new_organisation=False)
    member = app.test_client()
    assert member.post("/account/login", data={"email": "member@ngo-a.org",
                                               "password": "member-pass-2026"}).status_code == 302
    emails = ["ana@ngo-a.org", "member@ngo-a.org"]
    ids, texts = _ids_of(app, "NGO A", emails), ["NGO A", *emails, "marker-A"]
    before = _rows_of(app, ids, texts)
    assert any(r.startswith("answer:") for r in before) and any(r.startswith("user_session:") for r in before)
    other_before = _export(other_client)
    old = [_cookies(ngo_client), _cookies(member)]

    wrong_password = ngo_client.post("/account/data/delete", data={"password": "not-it-at-all",
                                                                   "organisation": "NGO A"})
    wrong_name = ngo_client.post("/account/data/delete", data={"password": PASSWORD, "organisation": "NGO B"})
    assert (wrong_password.status_code, wrong_name.status_code) == (422, 422)
    assert len(_rows_of(app, ids, texts)) == len(before)

    done = ngo_client.post("/account/data/delete", data={"password": PASSWORD, "organisation": "NGO A"})
    assert done.status_code == 302
    assert _rows_of(app, ids, texts) == []  # gone from every table, not hidden
    other_after = _export(other_client)
    assert {**other_after, "exported_at": None} == {**other_before, "exported_at": None}
    for cookies in old:  # this browser's session and the other member's: both refused
        replayed = _replayed(app, cookies)
        page = replayed.get("/assessments/")
        assert page.status_code == 302 and "/account/login" in page.location
    assert ngo_client.get("/account/data/").status_code == 302
    assert register(app.test_client(), "new@ngo-a.org", "NGO A").status_code == 302  # the name is free again


@BOTH
def test_deleting_while_autosaves_run_leaves_nothing_and_answers_no_5xx(app, ngo_client):
    aid = _fill(ngo_client, "marker-A")
    ids, texts = _ids_of(app, "NGO A", ["ana@ngo-a.org"]), ["NGO A", "ana@ngo-a.org", "marker-A"]
    cookies, saved, finished = _cookies(ngo_client), threading.Semaphore(0), threading.Event()

    def autosave(k: int) -> list[int]:
        """Autosave while the deletion runs, then once more after it: that last save must be refused."""
        client, statuses = _replayed(app, cookies), []
        for i in range(1000):
            last = finished.is_set()
            fields = [["shown", "PV19"], ["q-PV19", ("yes", "no")[i % 2]], ["note-PV19", f"marker-A {k} {i}"]]
            statuses.append(client.post(f"/assessments/{aid}/autosave", json={"fields": fields}).status_code)
            saved.release()
            if last:
                break
        return statuses

    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(autosave, k) for k in range(4)]
        for _ in range(4):
            saved.acquire()  # some saves are through before the deletion starts
        deleted = ngo_client.post("/account/data/delete", data={"password": PASSWORD, "organisation": "NGO A"})
        finished.set()
        statuses = [f.result() for f in futures]
    assert deleted.status_code == 302
    assert all(s[-1] == 401 for s in statuses), statuses  # every autosave after the deletion is refused
    assert {s for each in statuses for s in each} <= {200, 401, 404, 409}, statuses  # and none failed with a 5xx
    assert _rows_of(app, ids, texts) == []


def test_an_account_without_an_organisation_sees_a_clear_message_and_cannot_export_or_delete(app):
    accounts.create(_engine(app), "expert@example.org", "expert-pass-2026", role="expert")
    client = app.test_client()
    assert client.post("/account/login", data={"email": "expert@example.org",
                                                "password": "expert-pass-2026"}).status_code == 302
    page = client.get("/account/data/")
    assert page.status_code == 200 and "belongs to no organisation" in page.get_data(as_text=True)
    russian = client.get("/account/data/?lang=ru").get_data(as_text=True)
    assert "не принадлежит ни одной организации" in russian
    assert client.get("/account/data/export.json").status_code == 403
    assert client.post("/account/data/delete", data={"password": "expert-pass-2026",
                                                     "organisation": "x"}).status_code == 403


def test_the_data_page_is_in_both_languages_and_linked_from_the_account_page(ngo_client):
    english = ngo_client.get("/account/data/").get_data(as_text=True)
    assert "Download all our data" in english and "Delete our organisation" in english
    russian = ngo_client.get("/account/data/?lang=ru").get_data(as_text=True)
    assert "Скачать все наши данные" in russian and "Удалить нашу организацию" in russian
    assert "/account/data/" in ngo_client.get("/account/password").get_data(as_text=True)
    assert json.loads(ngo_client.get("/account/data/export.json").get_data())["assessments"] == []

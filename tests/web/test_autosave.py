"""Autosave under load and with bad bodies: concurrent saves of dependent questions, malformed JSON bodies."""

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from .webhelpers import register, start

THREADS, SAVES = 8, 6
OPTIONS = ("yes", "partly", "no")
CONTROLLER, DEPENDANT = "PV09", "PV19"  # PV19 is asked only when PV09 is "yes" or "partly" (kb/questionnaire)


def _saves(app, cookie: str, aid: int, k: int, barrier: threading.Barrier) -> list[tuple[str, str, str, int, dict]]:
    client = app.test_client()
    client.set_cookie("session", cookie)
    rng = random.Random(k)
    barrier.wait()
    done = []
    for i in range(SAVES):
        code = (CONTROLLER, DEPENDANT)[(k + i) % 2]
        value, note = rng.choice(OPTIONS), f"thread {k} save {i}"
        response = client.post(f"/assessments/{aid}/autosave", json={"fields": [
            ["shown", code], [f"q-{code}", value], [f"note-{code}", note]]})
        done.append((code, value, note, response.status_code, response.get_json(silent=True) or {}))
    return done


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_regression_concurrent_autosaves_of_dependent_questions_give_200_or_409(app):
    client = app.test_client()
    assert register(client).status_code == 302
    aid = start(client)
    cookie = client.get_cookie("session").value
    barrier = threading.Barrier(THREADS)
    with ThreadPoolExecutor(THREADS) as pool:
        results = [r for f in [pool.submit(_saves, app, cookie, aid, k, barrier) for k in range(THREADS)]
                   for r in f.result()]
    statuses = sorted({status for *_, status, _ in results})
    assert set(statuses) <= {200, 409}, [(s, b) for *_, s, b in results if s not in (200, 409)][:3]
    assert all(body.get("message") for *_, status, body in results if status == 409)
    acknowledged = sorted((body["version"], code, value, note) for code, value, note, status, body in results
                          if status == 200)
    assert len(acknowledged) >= THREADS  # serialised saves go through; they are not all refused
    assert len({v for v, *_ in acknowledged}) == len(acknowledged)  # each acknowledged save is its own version
    questionnaire = app.extensions["tipkb_assessments"].questionnaire
    values: dict[str, str] = {}
    notes: dict[str, str] = {}
    for _, code, value, note in acknowledged:  # replay in the order the database applied them
        values[code], notes[code] = value, note
        asked = questionnaire.asked(values)
        values = {c: v for c, v in values.items() if asked.get(c)}
    document = client.get(f"/api/assessments/{aid}").json["document"]
    assert document["answers"] == values
    assert document["notes"] == notes
    assert client.get(f"/api/assessments/{aid}").status_code == 200


MALFORMED = [
    "[1, 2]",
    "[" * 100_000 + "]" * 100_000,
    '{"fields": [["shown", "PT01"], ["q-PT01", 1e400]]}',
    '{"fields": [["shown", "PT01"], ["q-PT01", NaN]]}',
    '{"fields": [["shown", "PT01"], ["note-PT01", "\\ud800"]]}',
    '{"fields": [["shown", "PT01"], ["q-PT01", "yes", "extra"]]}',
    '{"fields": [["shown", "PT01"], [["q-PT01"], "yes"]]}',
    '{"fields": {"q-PT01": "yes"}}',
    '{"fields": [["shown", "PT01"]], "more": 1}',
    '{"fields": [["shown", "PT01"], ["note-PT01", "' + "x" * 20_001 + '"]]}',
    '{"fields": [["shown", "PT01"], ["note-PT01", "' + "x" * 100_001 + '"]]}',
    '"fields"',
    "not json",
]


def test_regression_malformed_autosave_bodies_get_400_with_a_message(ngo_client):
    aid = start(ngo_client)
    for body in MALFORMED:
        response = ngo_client.post(f"/assessments/{aid}/autosave", data=body, content_type="application/json")
        assert response.status_code in (400, 422), (body[:80], response.get_data(as_text=True)[:300])
        assert response.json["message"], body[:80]
    assert ngo_client.get(f"/api/assessments/{aid}").json["document"]["answers"] == {}
    russian = ngo_client.post(f"/assessments/{aid}/autosave?lang=ru", json=[1, 2])
    assert russian.status_code == 400
    assert any("\u0400" <= ch <= "\u04ff" for ch in russian.json["message"])


def test_regression_an_autosave_the_database_stays_too_busy_for_gets_409_and_is_not_stored(make_app, monkeypatch,
                                                                                          database_url):
    import sqlite3

    import tipkb.db

    monkeypatch.setattr(tipkb.db, "BUSY_TIMEOUT_MS", 20)  # how long each try waits for the lock held below
    client = make_app().test_client()
    assert register(client).status_code == 302
    aid = start(client)
    fields = {"fields": [["shown", "PT01"], ["q-PT01", "yes"]]}
    holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
    try:
        busy = client.post(f"/assessments/{aid}/autosave", json=fields)
        form = client.post(f"/assessments/{aid}/sections/prot-identification",
                           data={"shown": "PT01", "q-PT01": "yes", "action": "stay"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert busy.status_code == 409 and busy.json["error"] == "busy" and busy.json["message"]
    assert busy.headers["Retry-After"]  # the page's script keeps the change and sends it again
    assert form.status_code == 409 and "this one was not saved" in form.get_data(as_text=True)
    assert client.get(f"/api/assessments/{aid}").json["document"]["answers"] == {}
    assert client.post(f"/assessments/{aid}/autosave", json=fields).status_code == 200

"""The reader's report choices (which recommendations, a contact on the cover) from the CLI and the web, and reports
kept per worker: a second download is not typeset again, a changed answer or a landed changeset is."""

import json
import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest

from tipkb.cli.main import main

from .conftest import EXAMPLE, read

pytestmark = pytest.mark.pdf

CONTACT = "NGO A · Almaty, Abay 1 · +7 700 000 00 00 · ana@ngo-a.org"
GAP = "https://w3id.org/tipkb/kb/gap-no-formal-nrm"  # among the most urgent of the KZ baseline


def ranks(pdf: bytes) -> set[int]:
    """Return the ranks of the recommendations a report holds, read from its bookmarks."""
    found: set[int] = set()

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            elif m := re.match(r"(\d+) ", item.title):
                found.add(int(m.group(1)))
    walk(read(pdf, None).reader().outline)
    return found


# -- The command line --------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_cli_report_holds_only_the_chosen_recommendations_and_the_contact(tmp_path, capsys):
    out = tmp_path / "kz.pdf"
    assert main(["report", str(EXAMPLE), "--only", "5, 1,2", "--contact", CONTACT, "-o", str(out)]) == 0
    assert "3 recommendations" in capsys.readouterr().out
    pdf = out.read_bytes()
    assert ranks(pdf) == {1, 2, 5}
    assert CONTACT in read(pdf, None).text


@pytest.mark.parametrize(("only", "message"), [("1,x", "separated by commas"), ("0", "start at 1"),
                                               (",", "at least one"),
                                               pytest.param("1,999", "no recommendation numbered 999",
                                                            marks=pytest.mark.slow)])  # loads the KB
def test_cli_refuses_a_bad_choice_of_recommendations_and_writes_nothing(tmp_path, capsys, only, message):
    out = tmp_path / "kz.pdf"
    assert main(["report", str(EXAMPLE), "--only", only, "-o", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_cli_refuses_a_contact_too_long(tmp_path, capsys):
    out = tmp_path / "kz.pdf"
    assert main(["report", "--country", "kz", "--contact", "x" * 501, "-o", str(out)]) == 2
    assert "at most 500 characters" in capsys.readouterr().err
    assert not out.exists()


# -- The web -----------------------------------------------------------------------------------------------------


def counting(monkeypatch) -> list[str]:
    """Count the report typesetter's calls (the real one, called through); return the languages it was asked for."""
    from tipkb.report import cache

    calls: list[str] = []
    real = cache.typeset_report

    def counted(*args, **kwargs):
        calls.append(kwargs.get("lang"))
        return real(*args, **kwargs)
    monkeypatch.setattr(cache, "typeset_report", counted)
    return calls


@pytest.fixture
def typeset(monkeypatch):
    return counting(monkeypatch)


@pytest.fixture(scope="module")
def site(shipped_kb, tmp_path_factory):
    """The app with NGO A's and NGO B's users, and NGO A's draft KZ 2025 assessment with the example's answers."""
    from webapp import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "test", "TIPKB_KB": shipped_kb, "WTF_CSRF_ENABLED": False,
                      "TIPKB_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('web') / 'tipkb.sqlite'}"})
    owner, other = app.test_client(), app.test_client()
    for client, email, organisation in ((owner, "ana@ngo-a.org", "NGO A"), (other, "bo@ngo-b.org", "NGO B")):
        assert client.post("/account/register", data={"email": email, "organisation": organisation,
                                                       "password": "secret-pass", "confirm": "secret-pass"}
                           ).status_code == 302
    return {"app": app, "owner": owner, "other": other, "id": draft(app, 2025)}


def draft(app, year: int) -> int:
    """Store NGO A's draft KZ assessment of `year` with the example's answers and notes; return its id."""
    from webapp.db import get_store

    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    with app.app_context():
        aid = get_store().create("NGO A", "KZ", year).id
        get_store().save_answers(aid, data["answers"], data["notes"])
    return aid


def pdf(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    return response.data


@pytest.mark.slow
def test_web_report_holds_the_chosen_recommendations_and_contact_and_a_second_download_is_kept(site, typeset):
    contact = f"{CONTACT} {uuid.uuid4().hex[:8]}"  # a report no other test has kept
    query = {"only": "1,2,5", "lang": "ru", "group": "stakeholder", "contact": contact}
    url = f"/assessments/{site['id']}/report.pdf?{urlencode(query)}"
    first = pdf(site["owner"], url)
    assert typeset == ["ru"]
    assert ranks(first) == {1, 2, 5}
    text = read(first, None).text
    assert contact in text and "Рекомендации по исполнителям" in text
    response = site["owner"].get(url)
    assert response.data == first and typeset == ["ru"]  # kept: not typeset again
    assert "no-store" in response.headers["Cache-Control"]
    # One ?only= per chosen recommendation (the results page's checkboxes) is the same choice, the same report.
    boxes = urlencode([("only", 5), ("only", 1), ("only", 2), *((k, v) for k, v in query.items() if k != "only")])
    assert pdf(site["owner"], f"/assessments/{site['id']}/report.pdf?{boxes}") == first
    assert typeset == ["ru"]
    assert site["other"].get(url).status_code == 404  # another organisation, even with the report kept


def test_web_refuses_another_organisation_whatever_the_choices(site, typeset):
    assert site["other"].get(f"/assessments/{site['id']}/report.pdf?only=1&contact=x").status_code == 404
    assert site["other"].get(f"/assessments/{site['id']}/report.pdf?only=abc").status_code == 404
    assert typeset == []


@pytest.mark.parametrize(("query", "message"), [
    ("only=1,x", "separated by commas"), ("only=0", "separated by commas"),
    ("only=1,999", "no recommendation numbered 999"), ("contact=" + "x" * 501, "at most 500 characters"),
    ("lang=fr", "must be one of en, ru, kk, ky, tg, tk, uz"), ("group=donor", "must be pillar or stakeholder")])
def test_web_refuses_bad_choices_with_a_clear_message(site, typeset, query, message):
    site["owner"].get("/?lang=en")  # the page language the user chose last
    response = site["owner"].get(f"/assessments/{site['id']}/report.pdf?{query}")
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert typeset == []


def test_web_words_a_bad_choice_in_russian(site):
    response = site["owner"].get(f"/assessments/{site['id']}/report.pdf?lang=ru&only=1,999")
    assert response.status_code == 400 and "нет рекомендации с номером 999" in response.get_data(as_text=True)


@pytest.mark.slow
def test_a_changed_answer_gives_a_fresh_report(site, typeset):
    from webapp.db import get_store

    aid = draft(site["app"], 2024)  # its own assessment: the others' stay as they are
    url = f"/assessments/{aid}/report.pdf?only=1&lang=en&contact={uuid.uuid4().hex}"
    first = pdf(site["owner"], url)
    assert pdf(site["owner"], url) == first and len(typeset) == 1
    code = next(iter(json.loads(EXAMPLE.read_text(encoding="utf-8"))["notes"]))
    with site["app"].app_context():
        get_store().save_answers(aid, {}, {code: "Checked again in December: unchanged."})
    again = pdf(site["owner"], url)
    assert len(typeset) == 2 and "Checked again in December: unchanged." in read(again, None).text


@pytest.mark.slow
def test_a_landed_changeset_gives_a_fresh_report(make_app_with_own_kb):
    from tipkb.edit.entity_types import entity_type
    from tipkb.edit.forms import build_edit, form_values

    app, typeset = make_app_with_own_kb
    client = app.test_client()
    first = pdf(client, "/countries/kz/report.pdf?only=1,2")
    assert pdf(client, "/countries/kz/report.pdf?only=1,2") == first and len(typeset) == 1
    assert "No formally adopted national referral mechanism" in read(first, None).text
    log = app.extensions["tipkb_changes"]
    kind, desc = entity_type("gap"), log.describe(GAP)
    new = {"en": "Referral mechanism never formally adopted", "ru": "Механизм перенаправления не утверждён"}
    log.submit([build_edit(log.kb, kind, {**form_values(desc, kind), "label": new}, iri=GAP,
                           base_version=desc.version)], author="ana@experts.org", reason="wording agreed")
    again = read(pdf(client, "/countries/kz/report.pdf?only=1,2"), None).text
    assert len(typeset) == 2 and new["en"] in again and "No formally adopted" not in again


@pytest.fixture
def make_app_with_own_kb(database_url, monkeypatch):
    """An app over its own KB (an edit must not reach the shared one), with a count of typesets."""
    from webapp import create_app

    typeset = counting(monkeypatch)
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "TIPKB_STORE_PATH": ":memory:",
                      "TIPKB_DATABASE_URL": database_url, "WTF_CSRF_ENABLED": False})
    return app, typeset


def test_kept_reports_are_bounded_by_their_bytes():
    from tipkb.recommend.results import Lru

    store, built = Lru(10, weigh=len), []

    def build(value: bytes):
        built.append(value)
        return value
    for key, value in (("a", b"aaaa"), ("b", b"bbbb"), ("a", b"again"), ("c", b"cccc")):
        store.get(key, lambda value=value: build(value))
    assert built == [b"aaaa", b"bbbb", b"cccc"]  # "a" was kept, and used last, so "b" went for "c"
    assert store.get("a", lambda: build(b"A")) == b"aaaa" and store.get("b", lambda: build(b"B")) == b"B"
    assert store.get("big", lambda: build(b"x" * 11)) == b"x" * 11  # larger than the whole store: not kept
    assert store.get("a", lambda: build(b"A")) == b"aaaa"


@pytest.mark.slow
def test_the_same_new_report_asked_twice_at_once_is_typeset_once(shipped_kb, typeset):
    """Regression: two requests for the same new report at once were both typeset; the second now waits for it."""
    from tipkb.report.cache import baseline_report

    contact, start = uuid.uuid4().hex, threading.Barrier(2, timeout=10)  # a report no test has asked for before

    def ask(_: int) -> bytes:
        start.wait()
        return baseline_report(shipped_kb, "KZ", lang="en", group_by="pillar", only=(1,), contact=contact)
    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(ask, range(2))
    assert first == second and ranks(first) == {1} and typeset == ["en"]


def test_different_reports_are_typeset_side_by_side(shipped_kb):
    """Two different new reports never wait for each other: each one's typesetting waits for the other's to start."""
    from tipkb.report.cache import kept_report

    both, run = threading.Barrier(2, timeout=10), uuid.uuid4().hex

    def build() -> bytes:
        both.wait()  # broken after 10 s, failing the test, if the other report had to wait for this one
        return b"%PDF"
    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda name: kept_report(shipped_kb, (run, name), build), ("a", "b")))
    assert reports == [b"%PDF", b"%PDF"]


def test_a_request_waits_for_a_stuck_typeset_only_so_long(shipped_kb, monkeypatch):
    """The second request for a report gives up waiting after WAIT_SECONDS and typesets it itself."""
    from tipkb.report import cache

    monkeypatch.setattr(cache, "WAIT_SECONDS", 0.2)
    key, stuck, release = (uuid.uuid4().hex,), threading.Event(), threading.Event()

    def held() -> bytes:
        stuck.set()
        release.wait(10)
        raise RuntimeError("typesetting failed")
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(cache.kept_report, shipped_kb, key, held)
        assert stuck.wait(10)
        assert cache.kept_report(shipped_kb, key, lambda: b"%PDF own") == b"%PDF own"
        assert not first.done()  # the second did not wait for the first to end
        release.set()
        with pytest.raises(RuntimeError):
            first.result()
    assert cache.kept_report(shipped_kb, key, lambda: b"%PDF again") == b"%PDF own"  # the second's report is kept

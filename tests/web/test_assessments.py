"""The questionnaire flow: start, answer by form or autosave, skip logic, malformed answers, review, submit, privacy."""

import shutil
from pathlib import Path

import pytest

from tipkb import load_kb

from .webhelpers import register, start

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def database_url(any_database_url):
    """These tests run on SQLite and on PostgreSQL."""
    return any_database_url


def section_url(aid: int, section: str = "prot-identification") -> str:
    return f"/assessments/{aid}/sections/{section}"


def test_start_answer_and_resume(ngo_client):
    aid = start(ngo_client)
    page = ngo_client.get(section_url(aid, "prev-policy")).get_data(as_text=True)
    assert "<progress" in page and "0 of" in page
    assert 'for="in-PV01"' in page and 'id="in-PV01"' in page  # labels tied to inputs
    response = ngo_client.post(section_url(aid), data={"shown": ["PT01", "PT02"], "q-PT01": "partly",
                                                       "q-PT02": "no", "action": "next"})
    assert response.status_code == 302 and response.location.endswith("/sections/prot-assistance")
    resumed = ngo_client.get(section_url(aid)).get_data(as_text=True)
    assert 'id="o-PT01-partly" name="q-PT01" value="partly" checked' in resumed
    assert "2 of" in resumed
    assert ngo_client.get(f"/assessments/{aid}").location.endswith("/sections/prev-policy")


def test_a_second_draft_for_the_same_country_and_year_resumes_the_first(ngo_client):
    aid = start(ngo_client)
    again = ngo_client.post("/assessments/", data={"country": "KG", "year": "2025"})
    assert again.location == f"/assessments/{aid}"


def test_a_malformed_answer_gets_a_clear_message_and_keeps_the_draft(ngo_client):
    aid = start(ngo_client)
    ngo_client.post(section_url(aid), data={"shown": ["PT01"], "q-PT01": "yes", "action": "stay"})
    response = ngo_client.post(section_url(aid), data={"shown": ["PT01", "PT20", "PT02"], "q-PT01": "yes",
                                                       "q-PT20": "twenty-ten", "q-PT02": "partly", "action": "next"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a year as a whole number, for example 2021" in page
    assert 'value="twenty-ten"' in page  # what was typed stays in the field to be corrected
    assert "Some answers were not saved" in page
    draft = ngo_client.get(f"/api/assessments/{aid}").json
    assert draft["document"]["answers"] == {"PT01": "yes", "PT02": "partly"}  # the valid answers were kept


def test_out_of_range_number_message_in_russian(ngo_client):
    aid = start(ngo_client)
    ngo_client.post(section_url(aid), data={"shown": ["PT01"], "q-PT01": "yes"})
    response = ngo_client.post(section_url(aid) + "?lang=ru", data={"shown": ["PT20"], "q-PT20": "1800"})
    assert "Введите значение от 1950 до 2100." in response.get_data(as_text=True)


def _kb_with_pt20_bounds(tmp_path, bounds: str):
    """Load a copy of the shipped KB whose year question PT20 has other bounds (or none, given "")."""
    data = tmp_path / f"data-{len(list(tmp_path.glob('data-*')))}"
    shutil.copytree(ROOT / "ontology", data / "ontology")
    shutil.copytree(ROOT / "kb", data / "kb")
    protection = data / "kb" / "questionnaire" / "protection.ttl"
    text = protection.read_text(encoding="utf-8")
    shipped = "tip:minValue 1950 ; tip:maxValue 2100 ;"
    at = text.index(shipped, text.index('tip:shortCode "PT20"'))
    protection.write_text(text[:at] + bounds + text[at + len(shipped):], encoding="utf-8")
    return load_kb(data)


def test_regression_default_year_range_message_in_russian(make_app, tmp_path):
    """A year question without bounds of its own is held to the default range, and says so in the page language."""
    client = make_app(TIPKB_KB=_kb_with_pt20_bounds(tmp_path, "")).test_client()
    register(client)
    aid = start(client)
    client.post(section_url(aid), data={"shown": ["PT01"], "q-PT01": "yes"})
    response = client.post(section_url(aid) + "?lang=ru", data={"shown": ["PT20"], "q-PT20": "999"})
    assert response.status_code == 422
    assert "999 меньше минимума 1000. Введите значение от 1000 до 9999." in response.get_data(as_text=True)


def test_answers_that_block_a_submission_are_listed_in_the_page_language(make_app, tmp_path):
    client = make_app().test_client()
    register(client)
    aid = start(client)
    client.post(section_url(aid), data={"shown": ["PT01", "PT20"], "q-PT01": "yes", "q-PT20": "2019"})
    stricter = make_app(TIPKB_KB=_kb_with_pt20_bounds(tmp_path, "tip:minValue 2020 ; tip:maxValue 2100 ;"))
    client = stricter.test_client()  # the same database, now read against a questionnaire that no longer fits
    client.post("/account/login", data={"email": "ana@ngo-a.org", "password": "secret-pass"})
    response = client.post(f"/assessments/{aid}/submit?lang=ru", data={"version": ""})
    assert response.status_code == 422
    assert (f'<a href="/assessments/{aid}/sections/prot-identification#in-PT20">PT20</a>: 2019 меньше минимума 2020. '
            'Введите значение от 2020 до 2100.' in response.get_data(as_text=True))  # a link to the question itself


def test_skip_logic_on_the_server(ngo_client):
    aid = start(ngo_client)
    page = ngo_client.get(section_url(aid)).get_data(as_text=True)
    assert 'id="qq-PT20" data-code="PT20" data-type="year" hidden' in page  # asked only when PT01 = yes
    opened = ngo_client.post(section_url(aid), data={"shown": ["PT01", "PT20"], "q-PT01": "yes", "q-PT20": "",
                                                     "action": "next"})
    assert opened.location.endswith(section_url(aid))  # no JavaScript: the new question is shown first
    assert 'id="qq-PT20" data-code="PT20" data-type="year" >' in ngo_client.get(section_url(aid)).get_data(
        as_text=True)
    ngo_client.post(section_url(aid), data={"shown": ["PT20"], "q-PT20": "2019"})
    closed = ngo_client.post(section_url(aid), data={"shown": ["PT01", "PT20"], "q-PT01": "no", "q-PT20": "2019"})
    assert closed.status_code == 302
    assert "PT20" not in ngo_client.get(f"/api/assessments/{aid}").json["document"]["answers"]


def test_autosave_saves_one_question_and_reports_progress_and_skip_logic(ngo_client):
    aid = start(ngo_client)
    response = ngo_client.post(f"/assessments/{aid}/autosave",
                               json={"fields": [["shown", "PT01"], ["q-PT01", "yes"], ["note-PT01", "Decree 2023"]]})
    assert response.status_code == 200
    body = response.json
    assert body["saved"] == ["PT01"] and body["errors"] == {}
    assert body["asked"]["PT20"] is True and body["progress"]["answered"] == 1
    bad = ngo_client.post(f"/assessments/{aid}/autosave", json={"fields": [["shown", "PT20"], ["q-PT20", "soon"]]})
    assert bad.status_code == 422 and "whole number" in bad.json["errors"]["PT20"]
    document = ngo_client.get(f"/api/assessments/{aid}").json["document"]
    assert document["answers"] == {"PT01": "yes"} and document["notes"] == {"PT01": "Decree 2023"}
    assert ngo_client.post(f"/assessments/{aid}/autosave", json={"oops": 1}).status_code == 400


def test_numbers_accept_spaces_and_decimal_commas_and_dont_know(ngo_client):
    aid = start(ngo_client)
    fields = [["shown", "PT04"], ["q-PT04", "1 200"], ["shown", "PV01"], ["q-PV01", ""], ["q-PV01-dk", "1"]]
    assert ngo_client.post(f"/assessments/{aid}/autosave", json={"fields": fields}).status_code == 200
    answers = ngo_client.get(f"/api/assessments/{aid}").json["document"]["answers"]
    assert answers == {"PT04": 1200, "PV01": "dont-know"}


def test_review_submit_and_read_only(ngo_client):
    aid = start(ngo_client)
    ngo_client.post(section_url(aid), data={"shown": ["PT01"], "q-PT01": "no"})
    review = ngo_client.get(f"/assessments/{aid}/review").get_data(as_text=True)
    assert "Review your answers" in review and "Submit the assessment" in review and "No" in review
    submitted = ngo_client.post(f"/assessments/{aid}/submit")
    assert submitted.location.endswith(f"/assessments/{aid}/results")
    again = ngo_client.post(section_url(aid), data={"shown": ["PT01"], "q-PT01": "yes"})
    assert again.status_code == 302 and again.location.endswith("/review")
    locked = ngo_client.post(f"/assessments/{aid}/autosave", json={"fields": [["shown", "PT01"], ["q-PT01", "yes"]]})
    assert locked.status_code == 409
    assert ngo_client.get(f"/api/assessments/{aid}").json["document"]["answers"] == {"PT01": "no"}


def test_a_revision_starts_from_the_submitted_answers(ngo_client):
    aid = start(ngo_client)
    ngo_client.post(section_url(aid), data={"shown": ["PT01"], "q-PT01": "no"})
    ngo_client.post(f"/assessments/{aid}/submit")
    response = ngo_client.post(f"/assessments/{aid}/copy", data={"year": "2026"})
    new = int(response.location.split("/assessments/")[1].split("/")[0])
    assert new != aid
    assert ngo_client.get(f"/api/assessments/{new}").json["document"] == {
        **ngo_client.get(f"/api/assessments/{aid}").json["document"], "year": 2026}


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/assessments/{id}"), ("get", "/assessments/{id}/sections/prot-identification"),
    ("post", "/assessments/{id}/sections/prot-identification"), ("post", "/assessments/{id}/autosave"),
    ("get", "/assessments/{id}/review"), ("post", "/assessments/{id}/submit"), ("post", "/assessments/{id}/copy"),
    ("get", "/assessments/{id}/results"), ("get", "/api/assessments/{id}"),
    ("get", "/api/assessments/{id}/recommendations"),
])
def test_another_organisation_cannot_read_or_change_an_assessment(ngo_client, other_client, method, path):
    aid = start(ngo_client)
    ngo_client.post(section_url(aid), data={"shown": ["PT01"], "q-PT01": "partly"})
    url = path.format(id=aid)
    kwargs = {"json": {"fields": [["shown", "PT01"], ["q-PT01", "yes"]]}} if "autosave" in url else {
        "data": {"shown": ["PT01"], "q-PT01": "yes", "year": "2026"}} if method == "post" else {}
    response = getattr(other_client, method)(url, **kwargs)
    assert response.status_code == 404
    assert ngo_client.get(f"/api/assessments/{aid}").json["document"]["answers"] == {"PT01": "partly"}
    assert ngo_client.get(f"/api/assessments/{aid}").json["status"] == "draft"


def test_the_list_shows_only_the_own_organisation(ngo_client, other_client):
    start(ngo_client, "KG")
    start(other_client, "TJ")
    mine = ngo_client.get("/assessments/").get_data(as_text=True)
    assert "Kyrgyzstan" in mine and "Tajikistan</td>" not in mine


def test_the_questionnaire_needs_a_login(client):
    response = client.get("/assessments/")
    assert response.status_code == 302 and "/account/login" in response.location
    assert client.post("/assessments/1/autosave", json={"fields": []}).status_code == 401


@pytest.mark.slow
def test_a_submitted_assessment_of_questionnaire_1_0_is_shown_migrated(app, ngo_client):
    from sqlalchemy.orm import Session

    from tipkb.assess.rows import SUBMITTED, AnswerRow, AssessmentRow
    from tipkb.db import now
    from webapp.db import get_store

    aid = start(ngo_client)
    with app.app_context(), Session(get_store().engine) as s, s.begin():  # as questionnaire 1.0 stored it
        row = s.get(AssessmentRow, aid)
        row.questionnaire_version, row.status, row.submitted_at = "1.0", SUBMITTED, now()
        row.answers += [AnswerRow(question="PA14", value="partly", note="Not party to C189"),
                        AnswerRow(question="PR06", value=7)]
    page = ngo_client.get(f"/assessments/{aid}/review").get_data(as_text=True)
    assert "Answered with questionnaire 1.0; shown with its answers carried over to questionnaire 1.1." in page
    assert "Some, but I do not know which" in page and "Not party to C189" in page
    assert "Fix these answers first" not in page
    document = ngo_client.get(f"/api/assessments/{aid}").json["document"]
    assert document["questionnaire"] == "1.1" and document["answers"]["PR20"] == "separate"
    exported = next(a for a in ngo_client.get("/account/data/export.json").get_json()["assessments"] if a["id"] == aid)
    assert (exported["questionnaire_version"], exported["migrated_from"]) == ("1.1", "1.0")

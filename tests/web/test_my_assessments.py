"""My assessments and the review page: rows told apart, drafts deleted after confirmation, next year started after
confirmation, questions to look at linked one by one, and a server-side error summary linked to its fields."""

import re

import pytest

from .webhelpers import start

pytestmark = pytest.mark.slow  # each builds an app and a database (a second or more)


def section_url(aid: int, section: str = "prot-identification") -> str:
    return f"/assessments/{aid}/sections/{section}"


def submit(client, aid: int, answers: dict) -> None:
    fields = [f for code, value in answers.items() for f in (["shown", code], [f"q-{code}", value])]
    assert client.post(f"/assessments/{aid}/autosave", json={"fields": fields}).status_code == 200
    assert client.post(f"/assessments/{aid}/submit").status_code == 302


def test_a_draft_is_deleted_only_after_its_confirmation_page(ngo_client):
    aid = start(ngo_client)
    ngo_client.post(section_url(aid), data={"shown": ["PT01"], "q-PT01": "yes"})
    listing = ngo_client.get("/assessments/").get_data(as_text=True)
    assert f'href="/assessments/{aid}/delete"' in listing
    page = ngo_client.get(f"/assessments/{aid}/delete").get_data(as_text=True)
    assert "Delete this draft?" in page and f"No. {aid}" in page and "Kyrgyzstan 2025" in page
    assert "1 of" in page and f'action="/assessments/{aid}/delete"' in page and 'method="post"' in page
    assert ngo_client.get(f"/assessments/{aid}").status_code == 302  # the confirmation page deleted nothing
    deleted = ngo_client.post(f"/assessments/{aid}/delete")
    assert deleted.status_code == 302 and deleted.location.endswith("/assessments/")
    assert f"(No. {aid}) was deleted" in ngo_client.get("/assessments/").get_data(as_text=True)
    assert ngo_client.get(f"/assessments/{aid}").status_code == 404
    assert ngo_client.get(f"/api/assessments/{aid}").status_code == 404


def test_another_organisations_draft_is_not_deleted(ngo_client, other_client):
    aid = start(ngo_client)
    assert other_client.get(f"/assessments/{aid}/delete").status_code == 404
    assert other_client.post(f"/assessments/{aid}/delete").status_code == 404
    assert ngo_client.get(f"/api/assessments/{aid}").json["status"] == "draft"


def test_a_submitted_assessment_is_not_deleted_here(ngo_client):
    aid = start(ngo_client)
    submit(ngo_client, aid, {"PT01": "no"})
    assert f'href="/assessments/{aid}/delete"' not in ngo_client.get("/assessments/").get_data(as_text=True)
    assert ngo_client.get(f"/assessments/{aid}/delete").location.endswith("/assessments/")
    refused = ngo_client.post(f"/assessments/{aid}/delete")
    assert refused.status_code == 302
    assert "cannot be deleted here" in ngo_client.get("/assessments/").get_data(as_text=True)
    assert ngo_client.get(f"/api/assessments/{aid}").json["status"] == "submitted"


def test_starting_next_year_from_old_answers_asks_first(ngo_client):
    aid = start(ngo_client)
    submit(ngo_client, aid, {"PT01": "no", "PT02": "partly"})
    listing = ngo_client.get("/assessments/").get_data(as_text=True)
    assert f'href="/assessments/{aid}/copy"' in listing and "Start 2026 from these answers" in listing
    page = ngo_client.get(f"/assessments/{aid}/copy").get_data(as_text=True)
    assert "Start 2026 from these answers?" in page and f"No. {aid}" in page
    assert re.search(r"Answers copied</dt><dd>2 of 2</dd>", page)
    assert 'name="year" value="2026"' in page and "Start the 2026 draft" in page
    assert len(ngo_client.get("/api/assessments").json) == 1  # asking created nothing
    created = ngo_client.post(f"/assessments/{aid}/copy", data={"year": "2026"})
    assert created.status_code == 302
    drafts = [a for a in ngo_client.get("/api/assessments").json if a["status"] == "draft"]
    assert [a["year"] for a in drafts] == [2026]
    assert ngo_client.get(f"/api/assessments/{drafts[0]['id']}").json["document"]["answers"] == {
        "PT01": "no", "PT02": "partly"}
    again = ngo_client.get(f"/assessments/{aid}/copy").get_data(as_text=True)
    assert f"Continue that draft (No. {drafts[0]['id']})" in again and "Start the 2026 draft" not in again


def test_two_assessments_of_one_country_and_year_are_told_apart(ngo_client):
    first = start(ngo_client, "KZ", 2026)
    submit(ngo_client, first, {"PT01": "no"})
    second = start(ngo_client, "KZ", 2026)
    submit(ngo_client, second, {"PT01": "no", "PT02": "yes"})
    page = ngo_client.get("/assessments/").get_data(as_text=True)
    rows = re.findall(r'<tr id="a-(\d+)">(.*?)</tr>', page, re.S)
    assert [int(i) for i, _ in rows] == [second, first]
    cells = [re.sub(r"<[^>]+>", " ", row).split() for _, row in rows]
    assert cells[0] != cells[1]  # the id and the number of answers differ, whatever the clock says
    assert "Started" in page and "Last change" in page


def test_the_review_page_links_each_question_to_look_at(ngo_client):
    aid = start(ngo_client)
    ngo_client.post(section_url(aid), data={"shown": ["PT01", "PT20"], "q-PT01": "yes", "q-PT20-dk": "1"})
    page = ngo_client.get(f"/assessments/{aid}/review").get_data(as_text=True)
    todo = page[page.index('id="h-todo"'):page.index("All answers by section")]
    assert f'href="/assessments/{aid}/sections/prot-identification#in-PT20"' in todo  # "don't know"
    assert f'href="/assessments/{aid}/sections/prot-identification#o-PT02-yes"' in todo  # unanswered
    assert f'href="/assessments/{aid}/sections/prot-identification#o-PT01-yes"' not in todo  # answered
    assert "1 answered “don’t know”" in todo
    unanswered = int(re.search(r"(\d+) questions unanswered", todo).group(1))
    assert unanswered == todo.count('class="tag tag-unanswered"') > 10
    answers = page[page.index("All answers by section"):]
    edit = f'href="/assessments/{aid}/sections/prot-identification#o-PT01-yes"'
    assert edit in answers  # "Edit" goes to the question
    assert answers.count("<details") == page.count('class="review-section"') > 5  # answers collapsed by section


def test_a_server_side_error_gets_a_summary_linked_to_its_fields(ngo_client):
    aid = start(ngo_client)
    ngo_client.post(section_url(aid), data={"shown": ["PT01"], "q-PT01": "yes"})
    response = ngo_client.post(section_url(aid), data={"shown": ["PT20", "PT02"], "q-PT20": "twenty",
                                                       "q-PT02": "partly", "note-PT02": "x" * 20_000})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    summary = page[page.index('id="error-summary"') - 50:page.index("</div>", page.index('id="error-summary"'))]
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary and "2 answers were not saved" in summary
    assert 'href="#in-PT20"' in summary and 'href="#note-PT02"' in summary
    field = re.search(r'<input type="text"[^>]*id="in-PT20"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field and re.search(r'aria-describedby="[^"]*\berr-PT20\b', field)
    note = re.search(r'<textarea id="note-PT02"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in note and 'aria-describedby="err-PT02"' in note
    assert 'aria-invalid="None"' not in page and 'aria-describedby="None"' not in page
    assert 'id="o-PT02-partly" name="q-PT02" value="partly" checked>' in page  # its answer was saved, not at fault


def test_an_assessment_gets_a_title_at_the_start_and_on_its_review_page(ngo_client, other_client):
    response = ngo_client.post("/assessments/", data={"country": "KZ", "year": "2026", "title": "Shelter survey"})
    aid = int(re.search(r"/assessments/(\d+)/", response.location).group(1))
    row = re.search(rf'<tr id="a-{aid}">(.*?)</tr>', ngo_client.get("/assessments/").get_data(as_text=True), re.S)
    assert "Shelter survey" in row.group(1)
    assert ngo_client.post(f"/assessments/{aid}/title", data={"title": "Labour survey"}).status_code == 302
    assert "Labour survey" in ngo_client.get(f"/assessments/{aid}/review").get_data(as_text=True)
    assert ngo_client.post(f"/assessments/{aid}/title", data={"title": "x" * 121}).status_code == 302
    assert "at most 120 characters" in ngo_client.get(f"/assessments/{aid}/review").get_data(as_text=True)
    assert other_client.post(f"/assessments/{aid}/title", data={"title": "Taken"}).status_code == 404
    exported = ngo_client.get("/account/data/export.json").json
    assert [a["title"] for a in exported["assessments"]] == ["Labour survey"]

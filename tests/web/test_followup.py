"""Follow-up of recommendations on the web: the results page shows and changes each status (CSRF, stale edits 409),
the history and the CSV export; other organisations and anonymous users reach none of it; next year's assessment
opens with last year's statuses and its comparison shows the gaps closed and the recommendations implemented."""

import csv
import io
import json
import re
from pathlib import Path

import pytest

from .webhelpers import csrf_token, start

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "kb" / "examples" / "kg-2025.json").read_text())


def answer(client, aid: int, answers: dict) -> None:
    fields = [f for code, value in answers.items()
              for f in ([["shown", code]] + ([[f"q-{code}", v] for v in value] if isinstance(value, list)
                                             else [[f"q-{code}", str(value)]]))]
    assert client.post(f"/assessments/{aid}/autosave", json={"fields": fields}).status_code == 200


@pytest.fixture
def submitted(ngo_client):
    aid = start(ngo_client, "KG", 2025)
    answer(ngo_client, aid, EXAMPLE["answers"])
    assert ngo_client.post(f"/assessments/{aid}/submit").status_code == 302
    return aid


def practices(client, aid: int) -> list[str]:
    page = client.get(f"/assessments/{aid}/results").get_data(as_text=True)
    return re.findall(r'<li id="fu-([^"]+)">', page)


def save(client, aid, code, status, version, **fields):
    return client.post(f"/assessments/{aid}/followup/{code}", data={"status": status, "version": str(version),
                                                                    "date": "", "note": "", **fields})


def test_the_owner_records_statuses_sees_history_and_a_stale_edit_gets_409(ngo_client, submitted):
    codes = practices(ngo_client, submitted)
    assert len(codes) >= 5
    first, second = codes[:2]
    page = ngo_client.get(f"/assessments/{submitted}/results").get_data(as_text=True)
    assert "Follow-up of the recommendations" in page and page.count('class="followup-form"') == len(codes)
    assert page.count("Not raised yet</span>") == len(codes)
    saved = save(ngo_client, submitted, first, "raised", 0, date="2026-02-10", note="Letter No. 12 to the ministry")
    assert saved.status_code == 302 and saved.location.endswith(f"#fu-{first}")
    assert save(ngo_client, submitted, first, "implemented", 1, date="2026-05-01").status_code == 302
    assert save(ngo_client, submitted, second, "in-progress", 0).status_code == 302
    page = ngo_client.get(f"/assessments/{submitted}/results").get_data(as_text=True)
    item = page.split(f'<li id="fu-{first}">')[1].split('<li id="fu-')[0]
    assert "Implemented</span> · 1 May 2026" in item and "History (2 changes)" in item
    assert "Raised with the authorities → <strong>Implemented</strong>" in item and "ana@ngo-a.org" in item
    assert "Letter No. 12 to the ministry" in item  # the first change's note, in the history
    stale = save(ngo_client, submitted, first, "rejected", 1, note="my edit")
    text = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Someone else changed this follow-up" in text and "my edit" in text
    assert 'name="version" value="2"' in text  # the form now carries the version it was shown at
    bad = save(ngo_client, submitted, second, "done", 1, note="x")
    assert bad.status_code == 422 and "Choose one of the statuses listed." in bad.get_data(as_text=True)
    long = save(ngo_client, submitted, second, "accepted", 1, note="x" * 1001)
    assert long.status_code == 422 and "at most 1000 characters" in long.get_data(as_text=True)
    assert save(ngo_client, submitted, "no-such-practice", "raised", 0).status_code == 404
    ru = ngo_client.get(f"/assessments/{submitted}/followup/{first}?lang=ru").get_data(as_text=True)
    assert "Выполнена" in ru and "Сохранить статус" in ru and "История (2 изменения)" in ru


def test_the_form_needs_a_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/account/register").get_data(as_text=True)
    client.post("/account/register", data={"email": "ana@ngo-a.org", "organisation": "NGO A", "password":
                                           "secret-pass", "confirm": "secret-pass", "csrf_token": csrf_token(page)})
    token = csrf_token(client.get("/assessments/").get_data(as_text=True))
    created = client.post("/assessments/", data={"country": "KG", "year": "2025", "csrf_token": token})
    aid = int(re.search(r"/assessments/(\d+)/", created.location).group(1))
    refused = client.post(f"/assessments/{aid}/followup/x", data={"status": "raised", "version": "0"})
    assert refused.status_code == 400 and "form expired" in refused.get_data(as_text=True)


def test_the_csv_export_has_every_recommendation_and_no_formula_cell(ngo_client, submitted):
    first = practices(ngo_client, submitted)[0]
    save(ngo_client, submitted, first, "accepted", 0, date="2026-03-01", note="=HYPERLINK(\"http://x\") agreed")
    response = ngo_client.get(f"/assessments/{submitted}/followup.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response.headers["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["No.", "Recommendation", "Status", "Date", "Note", "Last changed by", "Last changed at"]
    assert len(rows) - 1 == len(practices(ngo_client, submitted))
    assert rows[1][2:6] == ["Accepted", "2026-03-01", "'=HYPERLINK(\"http://x\") agreed", "ana@ngo-a.org"]
    assert rows[2][2] == "Not raised yet" and rows[2][5] == ""
    ru = list(csv.reader(io.StringIO(ngo_client.get(f"/assessments/{submitted}/followup.csv?lang=ru")
                                     .get_data(as_text=True).lstrip("\ufeff"))))
    assert ru[0][1] == "Рекомендация" and ru[1][2] == "Принята"
    assert ngo_client.get(f"/assessments/{submitted}/followup.csv?lang=de").status_code == 400


def test_another_organisation_and_anonymous_users_reach_no_follow_up(app, ngo_client, submitted, other_client):
    first = practices(ngo_client, submitted)[0]
    save(ngo_client, submitted, first, "raised", 0, note="private note")
    for path in (f"/assessments/{submitted}/followup/{first}", f"/assessments/{submitted}/followup.csv",
                 f"/assessments/{submitted}/last-year"):
        assert other_client.get(path).status_code == 404, path
        assert app.test_client().get(path).status_code == 302, path  # to the login page
    assert save(other_client, submitted, first, "rejected", 1).status_code == 404
    assert "login" in app.test_client().post(f"/assessments/{submitted}/followup/{first}").location
    page = ngo_client.get(f"/assessments/{submitted}/followup/{first}").get_data(as_text=True)
    assert "Raised with the authorities" in page and "private note" in page


def test_next_years_assessment_opens_with_last_years_statuses_and_compares_gaps_and_implementation(
        ngo_client, submitted):
    first, second = practices(ngo_client, submitted)[:2]
    save(ngo_client, submitted, first, "implemented", 0, note="Decree of 1 March")
    save(ngo_client, submitted, second, "rejected", 0)
    copied = ngo_client.post(f"/assessments/{submitted}/copy", data={"year": "2026"})
    new = int(re.search(r"/assessments/(\d+)/last-year$", copied.location).group(1))
    page = ngo_client.get(copied.location).get_data(as_text=True)
    assert "Last year's recommendations" in page and "Decree of 1 March" in page
    row = page.split(f'<tr id="ly-{first}">')[1].split("</tr>")[0]
    assert "Implemented" in row and "Rejected" in page.split(f'<tr id="ly-{second}">')[1].split("</tr>")[0]
    assert ngo_client.get(f"/assessments/{new}/last-year?lang=ru").get_data(as_text=True).count("Выполнена") == 1
    answer(ngo_client, new, {"PT02": "yes"})
    results = ngo_client.get(f"/assessments/{new}/results?lang=en").get_data(as_text=True)
    assert "Gaps closed since 2025" in results and "Recommendations of 2025 implemented" in results
    closed = results.split('<ul class="closed-gaps">')[1].split("</ul>")[0]
    assert closed.count("<li>") >= 1
    done = results.split('<ul class="implemented">')[1].split("</ul>")[0]
    assert f'href="/practices/{first}"' in done and second not in done
    assert "Follow-up of the recommendations" not in results  # a draft has nothing to follow up yet
    assert ngo_client.get(f"/assessments/{submitted}/last-year").status_code == 302  # not made from another


def test_a_draft_is_not_followed_up(ngo_client):
    aid = start(ngo_client)
    response = save(ngo_client, aid, "anything", "raised", 0)
    assert response.status_code == 302 and response.location.endswith(f"/assessments/{aid}/results")
    assert "followed up once the assessment is submitted" in ngo_client.get(response.location).get_data(as_text=True)


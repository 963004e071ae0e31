"""Follow-up of recommendations on the web and under /api: the results page shows and changes each status (CSRF,
stale edits 409), the history and the CSV export; other organisations and anonymous users reach none of it; next
year's assessment opens with last year's statuses and its comparison shows the gaps closed and the recommendations
implemented. One app and one submitted assessment serve the module; each test follows up its own recommendations."""

import csv
import io
import json
import re
from pathlib import Path

import jsonschema_rs
import pytest

from .webhelpers import csrf_token, register, start

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((ROOT / "kb" / "examples" / "kg-2025.json").read_text())
SPEC = json.loads((ROOT / "webapp" / "openapi.json").read_text(encoding="utf-8"))
pytestmark = pytest.mark.slow  # each test takes 0.3 s or more, with its share of the module's app and assessment


def answer(client, aid: int, answers: dict) -> None:
    fields = [f for code, value in answers.items()
              for f in ([["shown", code]] + ([[f"q-{code}", v] for v in value] if isinstance(value, list)
                                             else [[f"q-{code}", str(value)]]))]
    assert client.post(f"/assessments/{aid}/autosave", json={"fields": fields}).status_code == 200


@pytest.fixture(scope="module")
def site(shipped_kb, tmp_path_factory):
    """An app, its owner's client with a submitted assessment of Kyrgyzstan 2025, and the codes it recommends."""
    from webapp import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('followup') / 'tipkb.sqlite'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "TIPKB_KB": shipped_kb, "TIPKB_DATABASE_URL": url,
                      "WTF_CSRF_ENABLED": False, "TIPKB_EVIDENCE_DIR": str(tmp_path_factory.mktemp("evidence"))})
    owner = app.test_client()
    assert register(owner).status_code == 302
    aid = start(owner, "KG", 2025)
    answer(owner, aid, EXAMPLE["answers"])
    assert owner.post(f"/assessments/{aid}/submit").status_code == 302
    page = owner.get(f"/assessments/{aid}/results?lang=en").get_data(as_text=True)
    codes = re.findall(r'<li id="fu-([^"]+)">', page)
    assert len(codes) >= 10
    return {"app": app, "owner": owner, "aid": aid, "codes": codes, "page": page}


def save(client, aid, code, status, version, **fields):
    return client.post(f"/assessments/{aid}/followup/{code}?lang=en",
                       data={"status": status, "version": str(version), "date": "", "note": "", **fields})


def conforms(body, ref: str) -> bool:
    """Say whether a JSON body matches a schema of openapi.json's components."""
    return jsonschema_rs.Draft202012Validator({"$ref": ref, "components": SPEC["components"]}).is_valid(body)


def test_the_owner_records_statuses_sees_history_and_a_stale_edit_gets_409(site):
    owner, aid, (first, second) = site["owner"], site["aid"], site["codes"][:2]
    assert "Follow-up of the recommendations" in site["page"]
    assert site["page"].count('class="followup-form"') == len(site["codes"])
    saved = save(owner, aid, first, "raised", 0, date="2026-02-10", note="Letter No. 12 to the ministry")
    assert saved.status_code == 302 and saved.location.endswith(f"#fu-{first}")
    assert save(owner, aid, first, "implemented", 1, date="2026-05-01").status_code == 302
    page = owner.get(f"/assessments/{aid}/results?lang=en").get_data(as_text=True)
    item = page.split(f'<li id="fu-{first}">')[1].split('<li id="fu-')[0]
    assert "Implemented</span> · 1 May 2026" in item and "History (2 changes)" in item
    assert "Raised with the authorities → <strong>Implemented</strong>" in item and "ana@ngo-a.org" in item
    assert "Letter No. 12 to the ministry" in item  # the first change's note, in the history
    stale = save(owner, aid, first, "rejected", 1, note="my edit")
    text = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Someone else changed this follow-up" in text and "my edit" in text
    assert 'name="version" value="2"' in text  # the form now carries the version it was shown at
    bad = save(owner, aid, second, "done", 0, note="x")
    assert bad.status_code == 422 and "Choose one of the statuses listed." in bad.get_data(as_text=True)
    long = save(owner, aid, second, "accepted", 0, note="x" * 1001)
    assert long.status_code == 422 and "at most 1000 characters" in long.get_data(as_text=True)
    assert save(owner, aid, "no-such-practice", "raised", 0).status_code == 404
    ru = owner.get(f"/assessments/{aid}/followup/{first}?lang=ru").get_data(as_text=True)
    assert "Выполнена" in ru and "Сохранить статус" in ru and "История (2 изменения)" in ru


def test_the_api_reads_and_writes_a_follow_up_as_documented(site):
    owner, aid, code = site["owner"], site["aid"], site["codes"][2]
    listing = owner.get(f"/api/assessments/{aid}/followups")
    assert listing.status_code == 200 and listing.json["submitted"] is True
    assert [f["practice"] for f in listing.json["followups"]][:len(site["codes"])] == site["codes"]
    assert all(conforms(f, "#/components/schemas/FollowUp") for f in listing.json["followups"])
    url = f"/api/assessments/{aid}/followups/{code}"
    assert owner.get(url).json["version"] == 0 and owner.get(url).json["status"] == "not-raised"
    change = {"status": "in-progress", "date": "2026-04-02", "note": "Working group met", "version": 0}
    put = owner.put(url, json=change)
    assert put.status_code == 200 and conforms(put.json, "#/components/schemas/FollowUp")
    assert (put.json["status"], put.json["date"], put.json["version"], put.json["changed_by"]) == (
        "in-progress", "2026-04-02", 1, "ana@ngo-a.org")
    stale = owner.put(url, json={"status": "rejected", "version": 0})
    assert stale.status_code == 409 and stale.json["error"] == "stale"
    assert stale.json["current"]["status"] == "in-progress" and conforms(stale.json, "#/components/schemas/Error")
    for body, status, field in [({"status": "done", "version": 1}, 422, "status"),
                                ({"status": "raised", "version": 1, "date": "2026-13-01"}, 422, "date"),
                                ({"status": "raised"}, 400, "version"), ({"status": "raised", "version": "1"}, 400,
                                                                        "version"),
                                ({"status": "raised", "version": 1, "colour": "red"}, 400, "colour")]:
        refused = owner.put(url, json=body)
        assert refused.status_code == status and field in refused.json["fields"], body
    assert owner.put(f"/api/assessments/{aid}/followups/no-such-practice",
                     json={"status": "raised", "version": 0}).status_code == 404
    history = owner.get(f"/api/assessments/{aid}/followup-history", query_string={"practice": code}).json
    assert [(c["old_status"], c["new_status"]) for c in history["changes"]] == [(None, "in-progress")]
    assert all(conforms(c, "#/components/schemas/FollowUpChange") for c in history["changes"])
    exported = owner.get(f"/api/assessments/{aid}/followups.csv?lang=en")
    assert exported.mimetype == "text/csv" and "Working group met" in exported.get_data(as_text=True)


def test_the_csv_export_has_every_recommendation_and_no_formula_cell(site):
    owner, aid, code = site["owner"], site["aid"], site["codes"][3]
    save(owner, aid, code, "accepted", 0, date="2026-03-01", note="=HYPERLINK(\"http://x\") agreed")
    url = f"/assessments/{aid}/followup/{code}/evidence?lang=en"
    assert owner.post(url, data={"url": "https://example.org/order-4", "title": "Order No. 4"}).status_code == 302
    minutes = (io.BytesIO(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"), "minutes.pdf")
    assert owner.post(url, data={"file": minutes, "title": "Minutes"}).status_code == 302
    response = owner.get(f"/assessments/{aid}/followup.csv?lang=en")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response.headers["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["No.", "Recommendation", "Status", "Date", "Note", "Last changed by", "Last changed at",
                       "Evidence"]
    assert rows[4][7] == "Order No. 4 <https://example.org/order-4>; Minutes (PDF)"  # titles and links, no content
    assert [r[0] for r in rows[1:len(site["codes"]) + 1]] == [str(i) for i in range(1, len(site["codes"]) + 1)]
    assert rows[4][2:6] == ["Accepted", "2026-03-01", "'=HYPERLINK(\"http://x\") agreed", "ana@ngo-a.org"]
    assert rows[-1][2] == "Not raised yet" and rows[-1][5] == ""
    ru = list(csv.reader(io.StringIO(owner.get(f"/assessments/{aid}/followup.csv?lang=ru")
                                     .get_data(as_text=True).lstrip("\ufeff"))))
    assert ru[0][1] == "Рекомендация" and ru[4][2] == "Принята" and ru[0][7] == "Подтверждающие материалы"
    assert owner.get(f"/assessments/{aid}/followup.csv?lang=de").status_code == 400


def test_a_follow_up_carries_links_and_files_that_only_the_organisation_fetches(site):
    owner, aid, code = site["owner"], site["aid"], site["codes"][9]
    url = f"/assessments/{aid}/followup/{code}/evidence?lang=en"
    assert owner.post(url, data={"url": "https://example.org/decree-7", "title": "Decree No. 7"}).status_code == 302
    letter = (io.BytesIO(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"), "letter to the ministry.pdf")
    assert owner.post(url, data={"file": letter}).status_code == 302
    disguised = owner.post(url, data={"file": (io.BytesIO(b"<html><script>alert(1)</script></html>"), "x.pdf")})
    assert disguised.status_code == 400 and "its content decides" in disguised.get_data(as_text=True)
    page = owner.get(f"/assessments/{aid}/results?lang=en").get_data(as_text=True)
    item = page.split(f'<li id="fu-{code}">')[1].split('<li id="fu-')[0]
    assert "Decree No. 7" in item and "1 file, 1 link" in item
    download = re.search(r'href="(/assessments/\d+/evidence/\d+)"', item).group(1)
    fetched = owner.get(download)
    assert fetched.status_code == 200 and fetched.mimetype == "application/pdf"
    assert fetched.headers["Content-Disposition"].startswith("attachment")
    listed = owner.get(f"/api/assessments/{aid}/followups/{code}").json["evidence"]
    assert [e["kind"] for e in listed] == ["link", "file"] and listed[1]["download"] == download
    assert conforms(owner.get(f"/api/assessments/{aid}/followups/{code}").json, "#/components/schemas/FollowUp")
    other = site["app"].test_client()
    assert register(other, "cy@ngo-c.org", "NGO C").status_code == 302
    assert other.get(download).status_code == 404 and other.post(url, data={"url": "https://x.org"}).status_code == 404
    remove = f"/assessments/{aid}/followup/{code}/evidence/{listed[0]['id']}/delete"
    assert other.post(remove).status_code == 404
    assert owner.post(f"/assessments/{aid}/followup/{site['codes'][0]}/evidence/{listed[0]['id']}/delete"
                      ).status_code == 404  # another recommendation's evidence
    assert owner.post(remove).status_code == 302
    assert [e["kind"] for e in owner.get(f"/api/assessments/{aid}/followups/{code}").json["evidence"]] == ["file"]


def test_another_organisation_and_anonymous_users_reach_no_follow_up(site):
    app, owner, aid, code = site["app"], site["owner"], site["aid"], site["codes"][4]
    save(owner, aid, code, "raised", 0, note="private note")
    other, anonymous = app.test_client(), app.test_client()
    assert register(other, "bo@ngo-b.org", "NGO B").status_code == 302
    for path in (f"/assessments/{aid}/followup/{code}", f"/assessments/{aid}/followup.csv",
                 f"/assessments/{aid}/last-year"):
        assert other.get(path).status_code == 404, path
        assert "/account/login" in anonymous.get(path).location, path
    for path in (f"/api/assessments/{aid}/followups", f"/api/assessments/{aid}/followups/{code}",
                 f"/api/assessments/{aid}/followup-history", f"/api/assessments/{aid}/followups.csv"):
        assert other.get(path).status_code == 404, path
        assert anonymous.get(path).status_code == 401, path
    assert save(other, aid, code, "rejected", 1).status_code == 404
    assert other.put(f"/api/assessments/{aid}/followups/{code}", json={"status": "rejected", "version": 1}
                     ).status_code == 404
    assert anonymous.put(f"/api/assessments/{aid}/followups/{code}", json={"status": "rejected", "version": 1}
                         ).status_code == 401
    assert "private note" not in other.get(f"/api/assessments/{aid}/followup-history").get_data(as_text=True)
    assert owner.get(f"/api/assessments/{aid}/followups/{code}").json["status"] == "raised"


def test_next_years_assessment_opens_with_last_years_statuses_and_compares_gaps_and_implementation(site):
    owner, aid, (first, second) = site["owner"], site["aid"], site["codes"][5:7]
    save(owner, aid, first, "implemented", 0, note="Decree of 1 March")
    save(owner, aid, second, "rejected", 0)
    copied = owner.post(f"/assessments/{aid}/copy", data={"year": "2026"})
    new = int(re.search(r"/assessments/(\d+)/last-year$", copied.location).group(1))
    page = owner.get(copied.location + "?lang=en").get_data(as_text=True)
    assert "Last year's recommendations" in page and "Decree of 1 March" in page
    assert "Implemented" in page.split(f'<tr id="ly-{first}">')[1].split("</tr>")[0]
    assert "Rejected" in page.split(f'<tr id="ly-{second}">')[1].split("</tr>")[0]
    assert "Выполнена" in owner.get(f"/assessments/{new}/last-year?lang=ru").get_data(as_text=True)
    assert owner.get(f"/api/assessments/{new}/followups?lang=en").json == {
        "assessment": new, "submitted": False, "followups": []}
    assert owner.put(f"/api/assessments/{new}/followups/{first}", json={"status": "raised", "version": 0}
                     ).status_code == 409
    answer(owner, new, {"PT02": "yes"})
    results = owner.get(f"/assessments/{new}/results?lang=en").get_data(as_text=True)
    assert "Gaps closed since 2025" in results and "Recommendations of 2025 implemented" in results
    assert results.split('<ul class="closed-gaps">')[1].split("</ul>")[0].count("<li>") >= 1
    done = results.split('<ul class="implemented">')[1].split("</ul>")[0]
    assert f'href="/practices/{first}"' in done and second not in done
    assert "Follow-up of the recommendations" not in results  # a draft has nothing to follow up yet
    drafted = save(owner, new, first, "raised", 0)  # nor can it be followed up
    assert drafted.status_code == 302 and drafted.location.endswith(f"/assessments/{new}/results")
    assert owner.get(f"/assessments/{aid}/last-year").status_code == 302  # not made from another
    assert f'href="/assessments/{new}/last-year"' in owner.get(f"/assessments/{new}/review").get_data(as_text=True)


def test_the_form_and_the_api_need_a_csrf_token(make_app):
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
    body = {"status": "raised", "version": 0}
    assert client.put(f"/api/assessments/{aid}/followups/x", json=body).json["error"] == "csrf"
    assert client.put(f"/api/assessments/{aid}/followups/x", json=body, headers={"X-CSRFToken": token}
                      ).json["error"] == "not-submitted"


@pytest.mark.pdf
def test_the_pdf_report_prints_where_each_recommendation_stands(site):
    from pypdf import PdfReader

    owner, aid, code = site["owner"], site["aid"], site["codes"][7]
    save(owner, aid, code, "raised", 0, date="2026-01-15")
    url = f"/assessments/{aid}/followup/{code}/evidence?lang=en"
    assert owner.post(url, data={"url": "https://example.org/letter-8", "title": "Letter No. 8"}).status_code == 302
    reply = (io.BytesIO(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"), "reply.pdf")
    assert owner.post(url, data={"file": reply, "title": "Ministry reply"}).status_code == 302
    response = owner.get(f"/assessments/{aid}/report.pdf?lang=en&only=8,9")  # ranks 8 and 9: codes[7] and [8]
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert text.count("Follow-up: Raised with the authorities, 15 January 2026 · Evidence: Letter No. 8; "
                      "Ministry reply (PDF)") == 1
    assert text.count("Follow-up: Not raised yet") == 1 and text.count("Follow-up: Not raised yet ·") == 0
    links = [a.get_object().get("/A", {}).get("/URI") for page in reader.pages for a in page.get("/Annots", [])]
    assert "https://example.org/letter-8" in links

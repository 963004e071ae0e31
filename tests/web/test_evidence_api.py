"""Evidence under /api: list, add a link or a file, remove and download with the web's rules (the organisation's
members only, answers' evidence only in drafts, type read from the content, 413 past the limit, CSRF); a draft
made from last year's assessment carries copies of its answers' evidence; a follow-up's evidence is listed with
the follow-up and fetched by no other organisation. One app (CSRF on) and one submitted assessment serve the module."""

import io
import json
import re
from pathlib import Path

import jsonschema_rs
import pytest

from .webhelpers import csrf_token

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((ROOT / "kb" / "examples" / "kg-2025.json").read_text())
SPEC = json.loads((ROOT / "webapp" / "openapi.json").read_text(encoding="utf-8"))
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
LIMIT = 4096  # bytes of one file in these tests
pytestmark = pytest.mark.slow  # the module's app and submitted assessment, shared out, take 0.3 s or more a test


class Member:
    """A signed-in client of an organisation that sends its CSRF token with every write, as a script would."""

    def __init__(self, app, email: str, organisation: str):
        self.client = app.test_client()
        page = self.client.get("/account/register").get_data(as_text=True)
        registered = self.client.post("/account/register", data={
            "email": email, "organisation": organisation, "password": "secret-pass", "confirm": "secret-pass",
            "csrf_token": csrf_token(page)})
        assert registered.status_code == 302
        self.token = csrf_token(self.client.get("/assessments/").get_data(as_text=True))
        assert self.token

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def write(self, method: str, url: str, **kw):
        return self.client.open(url, method=method, headers={"X-CSRFToken": self.token}, **kw)

    def form(self, url: str, data: dict):
        return self.client.post(url, data={**data, "csrf_token": self.token})


@pytest.fixture(scope="module")
def site(shipped_kb, tmp_path_factory):
    """An app with CSRF on, a member of "NGO A" with a submitted assessment of Kyrgyzstan 2024, one of "NGO B"."""
    from webapp import create_app

    base = tmp_path_factory.mktemp("evidence-api")
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "TIPKB_KB": shipped_kb,
                      "TIPKB_DATABASE_URL": f"sqlite:///{base / 'tipkb.sqlite'}",
                      "TIPKB_EVIDENCE_DIR": str(base / "evidence"), "TIPKB_EVIDENCE_MAX_BYTES": LIMIT})
    owner, other = Member(app, "ana@ngo-a.org", "NGO A"), Member(app, "bo@ngo-b.org", "NGO B")
    created = owner.form("/assessments/", {"country": "KG", "year": "2024"})
    aid = int(re.search(r"/assessments/(\d+)/", created.location).group(1))
    fields = [f for code, value in EXAMPLE["answers"].items()
              for f in ([["shown", code]] + ([[f"q-{code}", v] for v in value] if isinstance(value, list)
                                             else [[f"q-{code}", str(value)]]))]
    assert owner.write("POST", f"/assessments/{aid}/autosave", json={"fields": fields}).status_code == 200
    return {"app": app, "owner": owner, "other": other, "aid": aid, "folder": base / "evidence"}


def conforms(body, ref: str) -> bool:
    return jsonschema_rs.Draft202012Validator({"$ref": ref, "components": SPEC["components"]}).is_valid(body)


def upload(member, aid, subject, content, name="law.pdf", **fields):
    return member.write("POST", f"/api/assessments/{aid}/evidence",
                        data={"subject": subject, "file": (io.BytesIO(content), name), **fields})


def link(member, aid, subject, url="https://example.org/law", **fields):
    return member.write("POST", f"/api/assessments/{aid}/evidence", json={"subject": subject, "url": url, **fields})


def test_the_api_adds_lists_downloads_and_removes_evidence_of_a_draft_with_the_webs_rules(site):
    owner, aid = site["owner"], site["aid"]
    base = f"/api/assessments/{aid}/evidence"
    refused = owner.client.post(base, json={"subject": "PT04", "url": "https://example.org/"})
    assert refused.status_code == 400 and refused.json["error"] == "csrf"  # a write needs the X-CSRFToken header
    added = upload(owner, aid, "PT04", PDF, "Закон 2024.pdf")
    assert added.status_code == 201 and conforms(added.json, "#/components/schemas/Evidence")
    assert (added.json["kind"], added.json["media_type"], added.json["title"]) == ("file", "application/pdf",
                                                                                  "Закон 2024.pdf")
    assert link(owner, aid, "PT04", title="Published law").status_code == 201
    listed = owner.get(base).json
    assert listed["draft"] is True and [e["kind"] for e in listed["evidence"]] == ["file", "link"]
    fetched = owner.get(added.json["download"])
    assert fetched.data == PDF and fetched.mimetype == "application/pdf"
    assert fetched.headers["Content-Disposition"].startswith("attachment")
    assert fetched.headers["X-Content-Type-Options"] == "nosniff"
    disguised = upload(owner, aid, "PT04", HTML, "report.pdf")
    assert disguised.status_code == 422 and "file" in disguised.json["fields"]
    too_large = upload(owner, aid, "PT04", PDF + bytes(LIMIT), "big.pdf")
    assert too_large.status_code == 413 and too_large.json["error"] == "too-large"
    ru = owner.write("POST", f"{base}?lang=ru", json={"subject": "PT04", "url": "javascript:alert(1)"})
    assert ru.status_code == 422 and "http://" in ru.json["message"] and "Ссылка" in ru.json["message"]
    assert link(owner, aid, "NO-SUCH-QUESTION").status_code == 422
    assert owner.write("POST", base, json={"url": "https://example.org/"}).json["fields"] == {"subject": "required"}
    assert owner.write("DELETE", f"{base}/{added.json['id']}").status_code == 204
    assert owner.get(added.json["download"]).status_code == 404
    assert [e["kind"] for e in owner.get(base, query_string={"subject": "PT04"}).json["evidence"]] == ["link"]
    assert len([p for p in (site["folder"] / str(aid)).iterdir()]) == 0  # the file went with its row


def test_another_organisation_and_anonymous_users_reach_no_evidence(site):
    owner, other, aid = site["owner"], site["other"], site["aid"]
    item = upload(owner, aid, "PR01", PDF).json
    anonymous = site["app"].test_client()
    for client in (other.client, anonymous):
        expected = 404 if client is other.client else 401
        assert client.get(f"/api/assessments/{aid}/evidence").status_code == expected
        assert client.get(item["download"]).status_code == expected
        assert client.get(f"/assessments/{aid}/evidence/{item['id']}").status_code in (expected, 302)
    assert upload(other, aid, "PR01", PDF).status_code == 404
    assert other.write("DELETE", f"/api/assessments/{aid}/evidence/{item['id']}").status_code == 404
    mine = other.form("/assessments/", {"country": "KG", "year": "2024"})
    theirs = int(re.search(r"/assessments/(\d+)/", mine.location).group(1))
    assert other.get(f"/api/assessments/{theirs}/evidence/{item['id']}/file").status_code == 404  # not by its id
    assert owner.get(item["download"]).data == PDF


def test_next_years_draft_carries_copies_of_the_answers_evidence_and_follow_up_evidence_stays(site):
    owner, other, aid = site["owner"], site["other"], site["aid"]
    base = f"/api/assessments/{aid}/evidence"
    kept = upload(owner, aid, "PR02", PDF, "plan.pdf").json
    assert link(owner, aid, "PR02", "https://example.org/plan").status_code == 201
    assert owner.form(f"/assessments/{aid}/submit", {}).status_code == 302
    assert link(owner, aid, "PR02").status_code == 409  # an answer's evidence is read-only once submitted
    assert owner.write("DELETE", f"{base}/{kept['id']}").status_code == 409
    code = owner.get(f"/api/assessments/{aid}/followups").json["followups"][0]["practice"]
    letter = upload(owner, aid, f"followup:{code}", PDF, "letter.pdf")
    assert letter.status_code == 201
    assert link(owner, aid, "followup:no-such-practice").status_code == 422
    followup = owner.get(f"/api/assessments/{aid}/followups/{code}").json
    assert [e["id"] for e in followup["evidence"]] == [letter.json["id"]]
    results = owner.get(f"/assessments/{aid}/results?lang=en").get_data(as_text=True)
    assert "letter.pdf" in results.split(f'<li id="fu-{code}">')[1].split('<li id="fu-')[0]
    assert other.get(letter.json["download"]).status_code == 404
    assert other.get(f"/api/assessments/{aid}/followups/{code}").status_code == 404

    page = owner.get(f"/assessments/{aid}/copy?year=2025&lang=en").get_data(as_text=True)
    copied_line = page.split("Evidence copied")[1].split("</dd>")[0]
    assert "file" in copied_line and "link" in copied_line
    made = owner.form(f"/assessments/{aid}/copy", {"year": "2025"})
    assert made.status_code == 302
    new = int(re.search(r"/assessments/(\d+)/", made.location).group(1))
    copied = owner.get(f"/api/assessments/{new}/evidence").json["evidence"]
    before = owner.get(base).json["evidence"]
    assert {(e["subject"], e["kind"], e["title"], e["sha256"]) for e in copied} == {
        (e["subject"], e["kind"], e["title"], e["sha256"]) for e in before if not e["subject"].startswith("followup:")}
    [file] = [e for e in copied if e["kind"] == "file" and e["subject"] == "PR02"]
    assert owner.write("DELETE", f"/api/assessments/{new}/evidence/{file['id']}").status_code == 204
    assert owner.get(kept["download"]).data == PDF  # last year's file stays: the copy was a file of its own
    assert owner.form(f"/assessments/{new}/delete", {}).status_code == 302
    assert owner.get(kept["download"]).data == PDF and owner.get(letter.json["download"]).data == PDF

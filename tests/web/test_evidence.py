"""Evidence with each answer: links and files added on the section page, listed in the review and the results,
fetched only by the organisation's members, and refused when the content is not an accepted type.

The tests share one app and database (each works on drafts of its own years) to stay quick.
"""

import io
import itertools
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from .test_results import answer_all
from .webhelpers import register, start

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'
LIMIT = 4096  # bytes of one file in these tests
YEARS = itertools.count(2001)  # one year per draft: an organisation has one draft per country and year


@pytest.fixture(scope="module")
def site(shipped_kb, tmp_path_factory):
    """One app with a member of "NGO A" and one of "NGO B" signed in, evidence in a folder of its own."""
    from webapp import create_app

    base = tmp_path_factory.mktemp("evidence-site")
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "TIPKB_KB": shipped_kb, "WTF_CSRF_ENABLED": False,
                      "TIPKB_DATABASE_URL": f"sqlite:///{base / 'tipkb.sqlite'}",
                      "TIPKB_EVIDENCE_DIR": str(base / "evidence"), "TIPKB_EVIDENCE_MAX_BYTES": LIMIT})
    member, other = app.test_client(), app.test_client()
    assert register(member).status_code == 302
    assert register(other, "bo@ngo-b.org", "NGO B").status_code == 302
    return SimpleNamespace(app=app, member=member, other=other, folder=base / "evidence")


def draft(site) -> int:
    return start(site.member, "KG", next(YEARS))


def add(client, aid: int, question: str, *, content: bytes | None = None, name: str = "report.pdf", **fields):
    data = {"question": question, **fields}
    if content is not None:
        data["file"] = (io.BytesIO(content), name)
    return client.post(f"/assessments/{aid}/evidence", data=data)


def files_of(site, aid: int) -> list[Path]:
    folder = site.folder / str(aid)
    return [p for p in folder.iterdir() if p.is_file()] if folder.exists() else []


def evidence_ids(site, aid: int) -> list[int]:
    from webapp.views.evidence import evidence_store

    with site.app.app_context():
        return [e.id for items in evidence_store().listing(aid).values() for e in items]


def save(client, aid: int, answers: dict) -> None:
    fields = [f for code, value in answers.items() for f in (["shown", code], [f"q-{code}", value])]
    assert client.post(f"/assessments/{aid}/autosave", json={"fields": fields}).status_code == 200


@pytest.mark.slow
def test_a_member_adds_a_file_and_a_link_and_sees_them_on_the_section_and_review_pages(site):
    aid = draft(site)
    added = add(site.member, aid, "PT04", content=PDF, name="Закон 2024.pdf", title="")
    assert added.status_code == 302 and added.location.endswith("#ev-PT04")
    assert add(site.member, aid, "PT04", url="https://example.org/law", title="Published law").status_code == 302
    [stored] = files_of(site, aid)
    assert stored.read_bytes() == PDF and "Закон" not in str(stored)  # a random name, never the uploaded one
    section = site.member.get(added.location.split("#")[0]).get_data(as_text=True)
    assert 'id="ev-PT04"' in section and "Закон 2024.pdf" in section and "1 file, 1 link" in section
    review = site.member.get(f"/assessments/{aid}/review").get_data(as_text=True)
    link = re.search(rf'href="(/assessments/{aid}/evidence/(\d+))" download>Закон 2024.pdf</a>', review)
    assert link and 'href="https://example.org/law" rel="noopener noreferrer nofollow"' in review
    response = site.member.get(link.group(1))
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf" and response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''%D0%97%D0%B0%D0%BA" in disposition
    assert "no-store" in response.headers["Cache-Control"]


def test_another_organisation_and_anonymous_users_cannot_fetch_or_change_evidence(site):
    aid = draft(site)
    assert add(site.member, aid, "PT04", content=PDF).status_code == 302
    [eid] = evidence_ids(site, aid)
    url = f"/assessments/{aid}/evidence/{eid}"
    assert site.other.get(url).status_code == 404
    assert site.other.post(f"{url}/delete").status_code == 404
    assert add(site.other, aid, "PT04", content=PDF).status_code == 404
    anonymous = site.app.test_client()
    response = anonymous.get(url)
    assert response.status_code == 302 and "/account/login" in response.location and PDF not in response.data
    assert anonymous.get(url, headers={"Accept": "application/json"}).status_code == 401
    assert anonymous.post(f"{url}/delete").status_code == 302
    assert site.member.get(f"/assessments/{aid}/evidence/{eid + 1000}").status_code == 404  # no such evidence
    assert site.member.get(url).data == PDF  # still there, for its own organisation


@pytest.mark.parametrize("content", [HTML, SVG], ids=["html", "svg"])
def test_html_or_svg_disguised_as_a_pdf_is_refused(site, content):
    aid = draft(site)
    response = add(site.member, aid, "PT04", content=content, name="report.pdf")
    assert response.status_code == 400
    assert "not a PDF, PNG, JPEG, DOCX, XLSX or ODT document" in response.get_data(as_text=True)
    assert files_of(site, aid) == [] and "Evidence:" not in site.member.get(f"/assessments/{aid}/review").get_data(True)


def test_an_oversized_file_is_refused_clearly_and_the_answers_stay(site):
    from webapp.db import get_store

    aid = draft(site)
    save(site.member, aid, {"PT04": "2015"})
    response = add(site.member, aid, "PT04", content=b"%PDF-1.7\n" + bytes(LIMIT), name="big.pdf")
    page = response.get_data(as_text=True)
    assert response.status_code == 413 and "The file is larger than 4 KB." in page
    assert "your answers and notes are kept" in page
    assert files_of(site, aid) == []
    with site.app.app_context():
        assert get_store().get(aid).answers["PT04"] == 2015


def test_a_javascript_link_is_refused_in_english_and_russian(site):
    aid = draft(site)
    response = add(site.member, aid, "PT04", url="javascript:alert(document.cookie)")
    assert response.status_code == 400 and "must be a web address that starts with http://" in response.get_data(True)
    russian = site.member.post(f"/assessments/{aid}/evidence?lang=ru", data={"question": "PT04", "url": "javascript:x"})
    page = russian.get_data(as_text=True)
    site.member.get("/?lang=en")  # the choice of language stays with the session: back to English
    assert russian.status_code == 400 and "Подтверждающие материалы не изменены" in page and "http://" in page
    assert "javascript:" not in site.member.get(f"/assessments/{aid}/review").get_data(as_text=True)


def test_evidence_of_a_submitted_assessment_is_read_only_and_goes_with_a_deleted_draft(site):
    aid = draft(site)
    assert add(site.member, aid, "PT04", content=PDF).status_code == 302
    [eid] = evidence_ids(site, aid)
    assert site.member.post(f"/assessments/{aid}/submit").status_code == 302
    assert add(site.member, aid, "PT04", url="https://example.org/").status_code == 409
    assert site.member.post(f"/assessments/{aid}/evidence/{eid}/delete").status_code == 409
    assert site.member.get(f"/assessments/{aid}/evidence/{eid}").data == PDF
    deleted = draft(site)
    assert add(site.member, deleted, "PT04", content=PDF).status_code == 302
    assert len(files_of(site, deleted)) == 1
    assert site.member.post(f"/assessments/{deleted}/delete").status_code == 302
    assert not (site.folder / str(deleted)).exists() and len(files_of(site, aid)) == 1
    assert evidence_ids(site, deleted) == []


@pytest.mark.slow
def test_the_results_trace_names_the_evidence_of_the_answers_behind_a_recommendation(site):
    from tipkb.assess.answers import check_answers
    from tipkb.recommend.results import assessment_results
    from webapp.db import get_questionnaire
    from webapp.kb import get_kb

    answers = json.loads((ROOT / "kb" / "examples" / "kg-2025.json").read_text())["answers"]
    with site.app.app_context():
        questionnaire = get_questionnaire()
        results = assessment_results(get_kb(), questionnaire, "KG", check_answers(questionnaire, answers).answers)
        codes = {q.iri: q.code for q in questionnaire.questions}
        code = next(codes[s.iri] for s in results.recommendations.items[0].trace if s.kind == "answer")
    aid = draft(site)
    answer_all(site.member, aid, answers)
    page = site.member.get(f"/assessments/{aid}/results").get_data(as_text=True)
    assert "Evidence:" not in page
    assert add(site.member, aid, code, content=PDF, title="Shelter audit").status_code == 302
    assert add(site.member, aid, code, url="https://example.org/audit", title="Audit online").status_code == 302
    page = site.member.get(f"/assessments/{aid}/results").get_data(as_text=True)
    trace = page[page.index('<details class="trace">'):]
    trace = trace[:trace.index("</details>")]
    assert "Evidence: 1 file, 1 link" in trace and ">Shelter audit</a>" in trace and ">Audit online</a>" in trace
    russian = site.member.get(f"/assessments/{aid}/results?lang=ru").get_data(as_text=True)
    site.member.get("/?lang=en")
    assert "Подтверждающие материалы: 1 файл, 1 ссылка" in russian


def test_the_report_annex_lists_the_evidence_by_title_with_links_and_no_file_content(site):
    from tipkb.assess.answers import check_answers
    from tipkb.report import assessment_inputs, report_context
    from tipkb.report.typeset import report_data
    from webapp.db import get_questionnaire
    from webapp.kb import get_kb
    from webapp.views.evidence import evidence_store

    aid = draft(site)
    assert add(site.member, aid, "PT04", content=PDF, title="Shelter audit").status_code == 302
    assert add(site.member, aid, "PT04", url="https://example.org/audit", title="Audit online").status_code == 302
    with site.app.test_request_context():
        questionnaire = get_questionnaire()
        evidence = evidence_store().listing(aid)
        rs, options = assessment_inputs(get_kb(), questionnaire, check_answers(questionnaire, {"PT04": 2015}).answers)
        for lang, word in (("en", "Evidence"), ("ru", "Подтверждающие материалы")):
            data = report_data(report_context(get_kb(), rs, **options, lang=lang, evidence=evidence))
            rows = {r["code"]: r for p in data["annex"]["pillars"] for s in p["sections"] for r in s["rows"]}
            assert data["w"]["answer_evidence"] == word
            assert rows["PT04"]["evidence"] == [{"text": "Shelter audit (PDF)", "href": None},
                                                {"text": "Audit online", "href": "https://example.org/audit"}]
            assert rows["PT01"]["evidence"] == []


@pytest.mark.pdf
def test_the_pdf_report_prints_the_evidence_in_the_answers_annex(site):
    from pypdf import PdfReader

    aid = draft(site)
    assert add(site.member, aid, "PT04", content=PDF, title="Shelter audit").status_code == 302
    assert add(site.member, aid, "PT04", url="https://example.org/audit", title="Audit online").status_code == 302
    response = site.member.get(f"/assessments/{aid}/report.pdf?lang=en")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Evidence: Shelter audit (PDF); Audit online" in text
    links = [a.get_object().get("/A", {}).get("/URI") for page in reader.pages for a in page.get("/Annots") or ()]
    assert "https://example.org/audit" in links

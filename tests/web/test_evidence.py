"""Evidence with each answer: links and files added on the section page, listed in the review and the results,
fetched only by the organisation's members, and refused when the content is not an accepted type."""

import io
import json
import re
from pathlib import Path

import pytest

from .test_results import answer_all
from .webhelpers import start

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'
LIMIT = 4096  # bytes of one file in these tests


@pytest.fixture
def folder(tmp_path) -> Path:
    return tmp_path / "evidence"


@pytest.fixture
def app(make_app, folder):
    return make_app(TIPKB_EVIDENCE_DIR=str(folder), TIPKB_EVIDENCE_MAX_BYTES=LIMIT)


def add(client, aid: int, question: str, *, content: bytes | None = None, name: str = "report.pdf", **fields):
    data = {"question": question, **fields}
    if content is not None:
        data["file"] = (io.BytesIO(content), name)
    return client.post(f"/assessments/{aid}/evidence", data=data)


def files_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def save(client, aid: int, answers: dict) -> None:
    fields = [f for code, value in answers.items() for f in (["shown", code], [f"q-{code}", value])]
    assert client.post(f"/assessments/{aid}/autosave", json={"fields": fields}).status_code == 200


def test_a_member_adds_a_file_and_a_link_and_sees_them_on_the_section_and_review_pages(ngo_client, folder):
    aid = start(ngo_client)
    added = add(ngo_client, aid, "PT04", content=PDF, name="Закон 2024.pdf", title="")
    assert added.status_code == 302 and added.location.endswith("#ev-PT04")
    assert add(ngo_client, aid, "PT04", url="https://example.org/law", title="Published law").status_code == 302
    [stored] = files_in(folder)
    assert stored.read_bytes() == PDF and "Закон" not in str(stored)  # a random name, never the uploaded one
    section = ngo_client.get(added.location.split("#")[0]).get_data(as_text=True)
    assert 'id="ev-PT04"' in section and "Закон 2024.pdf" in section and "1 file, 1 link" in section
    review = ngo_client.get(f"/assessments/{aid}/review").get_data(as_text=True)
    link = re.search(rf'href="(/assessments/{aid}/evidence/(\d+))" download>Закон 2024.pdf</a>', review)
    assert link and 'href="https://example.org/law" rel="noopener noreferrer nofollow"' in review
    response = ngo_client.get(link.group(1))
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf" and response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''%D0%97%D0%B0%D0%BA" in disposition
    assert "no-store" in response.headers["Cache-Control"]


def test_another_organisation_and_anonymous_users_cannot_fetch_or_change_evidence(app, ngo_client, other_client):
    aid = start(ngo_client)
    assert add(ngo_client, aid, "PT04", content=PDF).status_code == 302
    url = f"/assessments/{aid}/evidence/1"
    assert other_client.get(url).status_code == 404
    assert other_client.post(f"{url}/delete").status_code == 404
    assert add(other_client, aid, "PT04", content=PDF).status_code == 404
    anonymous = app.test_client()
    response = anonymous.get(url)
    assert response.status_code == 302 and "/account/login" in response.location and PDF not in response.data
    assert anonymous.get(url, headers={"Accept": "application/json"}).status_code == 401
    assert anonymous.post(f"{url}/delete").status_code == 302
    assert ngo_client.get(f"/assessments/{aid}/evidence/2").status_code == 404  # no such evidence
    assert ngo_client.get(url).data == PDF  # still there, for its own organisation


@pytest.mark.parametrize("content", [HTML, SVG], ids=["html", "svg"])
def test_html_or_svg_disguised_as_a_pdf_is_refused(ngo_client, folder, content):
    aid = start(ngo_client)
    response = add(ngo_client, aid, "PT04", content=content, name="report.pdf")
    assert response.status_code == 400
    assert "not a PDF, PNG, JPEG, DOCX, XLSX or ODT document" in response.get_data(as_text=True)
    assert files_in(folder) == [] and "Evidence:" not in ngo_client.get(f"/assessments/{aid}/review").get_data(True)


def test_an_oversized_file_is_refused_clearly_and_the_answers_stay(app, ngo_client, folder):
    from webapp.db import get_store

    aid = start(ngo_client)
    save(ngo_client, aid, {"PT04": "2015"})
    response = add(ngo_client, aid, "PT04", content=b"%PDF-1.7\n" + bytes(LIMIT), name="big.pdf")
    page = response.get_data(as_text=True)
    assert response.status_code == 413 and "The file is larger than 4 KB." in page
    assert "your answers and notes are kept" in page
    assert files_in(folder) == []
    with app.app_context():
        assert get_store().get(aid).answers["PT04"] == 2015


def test_a_javascript_link_is_refused_in_english_and_russian(ngo_client):
    aid = start(ngo_client)
    response = add(ngo_client, aid, "PT04", url="javascript:alert(document.cookie)")
    assert response.status_code == 400 and "must be a web address that starts with http://" in response.get_data(True)
    russian = ngo_client.post(f"/assessments/{aid}/evidence?lang=ru", data={"question": "PT04", "url": "javascript:x"})
    page = russian.get_data(as_text=True)
    assert russian.status_code == 400 and "Подтверждающие материалы не изменены" in page and "http://" in page
    assert "javascript:" not in ngo_client.get(f"/assessments/{aid}/review").get_data(as_text=True)


def test_evidence_of_a_submitted_assessment_is_read_only_and_goes_with_a_deleted_draft(ngo_client, folder):
    aid = start(ngo_client)
    assert add(ngo_client, aid, "PT04", content=PDF).status_code == 302
    assert ngo_client.post(f"/assessments/{aid}/submit").status_code == 302
    assert add(ngo_client, aid, "PT04", url="https://example.org/").status_code == 409
    assert ngo_client.post(f"/assessments/{aid}/evidence/1/delete").status_code == 409
    assert ngo_client.get(f"/assessments/{aid}/evidence/1").data == PDF
    draft = start(ngo_client, "KZ", 2025)
    assert add(ngo_client, draft, "PT04", content=PDF).status_code == 302
    assert len(files_in(folder)) == 2
    assert ngo_client.post(f"/assessments/{draft}/delete").status_code == 302
    assert len(files_in(folder)) == 1 and not (folder / str(draft)).exists()


def test_the_results_trace_names_the_evidence_of_the_answers_behind_a_recommendation(app, ngo_client):
    from tipkb.assess.answers import check_answers
    from tipkb.recommend.results import assessment_results
    from webapp.db import get_questionnaire
    from webapp.kb import get_kb

    answers = json.loads((ROOT / "kb" / "examples" / "kg-2025.json").read_text())["answers"]
    with app.app_context():
        questionnaire = get_questionnaire()
        results = assessment_results(get_kb(), questionnaire, "KG", check_answers(questionnaire, answers).answers)
        codes = {q.iri: q.code for q in questionnaire.questions}
        code = next(codes[s.iri] for s in results.recommendations.items[0].trace if s.kind == "answer")
    aid = start(ngo_client)
    answer_all(ngo_client, aid, answers)
    page = ngo_client.get(f"/assessments/{aid}/results").get_data(as_text=True)
    assert "Evidence:" not in page
    assert add(ngo_client, aid, code, content=PDF, title="Shelter audit").status_code == 302
    assert add(ngo_client, aid, code, url="https://example.org/audit", title="Audit online").status_code == 302
    page = ngo_client.get(f"/assessments/{aid}/results").get_data(as_text=True)
    trace = page[page.index('<details class="trace">'):]
    trace = trace[:trace.index("</details>")]
    assert "Evidence: 1 file, 1 link" in trace and ">Shelter audit</a>" in trace and ">Audit online</a>" in trace
    russian = ngo_client.get(f"/assessments/{aid}/results?lang=ru").get_data(as_text=True)
    assert "Подтверждающие материалы: 1 файл, 1 ссылка" in russian


def test_the_report_annex_lists_the_evidence_by_title_with_links_and_no_file_content(app, ngo_client):
    from tipkb.assess.answers import check_answers
    from tipkb.report import assessment_inputs, report_context
    from tipkb.report.typeset import report_data
    from webapp.db import get_questionnaire
    from webapp.kb import get_kb
    from webapp.views.evidence import evidence_store

    aid = start(ngo_client)
    assert add(ngo_client, aid, "PT04", content=PDF, title="Shelter audit").status_code == 302
    assert add(ngo_client, aid, "PT04", url="https://example.org/audit", title="Audit online").status_code == 302
    with app.test_request_context():
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
def test_the_pdf_report_prints_the_evidence_in_the_answers_annex(ngo_client):
    from pypdf import PdfReader

    aid = start(ngo_client)
    assert add(ngo_client, aid, "PT04", content=PDF, title="Shelter audit").status_code == 302
    assert add(ngo_client, aid, "PT04", url="https://example.org/audit", title="Audit online").status_code == 302
    response = ngo_client.get(f"/assessments/{aid}/report.pdf?lang=en")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Evidence: Shelter audit (PDF); Audit online" in text
    links = [a.get_object().get("/A", {}).get("/URI") for page in reader.pages for a in page.get("/Annots") or ()]
    assert "https://example.org/audit" in links

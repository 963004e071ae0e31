"""The offline round trip on the web: the XLSForm download and an NGO's upload of a KoboToolbox or ODK export."""

import io

import pytest
from openpyxl import load_workbook

from .webhelpers import csrf_token, register

pytestmark = pytest.mark.slow  # each test builds an app over a fresh database (about 1 s)

HEADER = ("SubmissionDate,assessment-country,assessment-year,assessment-questionnaire_version,"
          "prot_identification-PT01,prot_identification-PT02,meta-instanceID,KEY,FormVersion")
GOOD = (HEADER + "\r\n2026-11-02T04:41:12.000Z,KG,2025,1.1,yes,partly,uuid:a1,uuid:a1,1.1"
                 "\r\n2026-11-02T05:00:00.000Z,UZ,2024,1.1,no,,uuid:a2,uuid:a2,1.1\r\n")
BAD = (HEADER + "\r\n2026-11-02T04:41:12.000Z,KG,2025,1.1,maybe,,uuid:b1,uuid:b1,1.1"
                "\r\n2026-11-02T05:00:00.000Z,UZ,2024,0.9,no,,uuid:b2,uuid:b2,0.9\r\n")


def upload(client, body: str, name="odk.csv", query="", **extra):
    data = {"export": (io.BytesIO(body.encode("utf-8")), name), **extra}
    return client.post(f"/assessments/import{query}", data=data, content_type="multipart/form-data")


def test_the_xlsform_downloads_with_english_and_russian_labels(client):
    response = client.get("/questionnaire.xlsx")
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    survey = load_workbook(io.BytesIO(response.data))["survey"]
    header = [c.value for c in next(survey.iter_rows(max_row=1))]
    assert {"label::English (en)", "label::Russian (ru)"} <= set(header)
    rows = {r[1]: r for r in survey.iter_rows(min_row=2, values_only=True)}
    assert rows["year"][header.index("label::Russian (ru)")] == "Оцениваемый год"


def test_the_assessments_page_links_the_xlsform_and_the_import(ngo_client):
    page = ngo_client.get("/assessments/").get_data(as_text=True)
    assert 'href="/questionnaire.xlsx"' in page and 'href="/assessments/import"' in page
    assert 'href="/questionnaire.pdf?lang=en"' in page and 'href="/questionnaire.pdf?lang=ru"' in page
    russian = ngo_client.get("/assessments/import?lang=ru").get_data(as_text=True)
    assert "Бланк вопросника для печати (PDF):" in russian and 'href="/questionnaire.pdf?lang=ru"' in russian


def test_the_blank_questionnaire_downloads_in_english_and_russian(client):
    from pypdf import PdfReader

    titles = {}
    for lang in ("en", "ru"):
        response = client.get("/questionnaire.pdf", query_string={"lang": lang})
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert response.headers["Content-Disposition"] == f'attachment; filename="tipkb-questionnaire-1.1-{lang}.pdf"'
        titles[lang] = PdfReader(io.BytesIO(response.data)).metadata.title
        assert client.get("/questionnaire.pdf", query_string={"lang": lang}).data == response.data  # kept
    assert titles == {"en": "Country self-assessment on trafficking in persons — Questionnaire version 1.1",
                      "ru": "Самооценка страны в сфере противодействия торговле людьми — Версия вопросника 1.1"}
    assert client.get("/questionnaire.pdf?lang=ru").data != client.get("/questionnaire.pdf?lang=en").data
    assert client.get("/questionnaire.pdf?lang=fr").status_code == 400  # the seven languages only


def test_an_upload_becomes_the_organisations_drafts(ngo_client, other_client):
    response = upload(ngo_client, GOOD)
    assert response.status_code == 302 and response.location.endswith("/assessments/")
    page = ngo_client.get("/assessments/").get_data(as_text=True)
    assert "2 submissions imported as drafts." in page and "Kyrgyzstan 2025" in page and "Uzbekistan 2024" in page
    assert "Kyrgyzstan 2025" not in other_client.get("/assessments/").get_data(as_text=True)


def test_a_bad_upload_lists_each_rows_problems_and_stores_nothing(ngo_client):
    response = upload(ngo_client, BAD)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "2 problems; nothing was imported." in page
    assert "<td>2</td><td>uuid:b1</td><th scope=\"row\">PT01</th><td>" in page and "maybe" in page
    assert "<td>3</td><td>uuid:b2</td>" in page and "version 0.9" in page
    assert "PT01: " not in page  # the question is named once, in its own column
    russian = upload(ngo_client, BAD, query="?lang=ru").get_data(as_text=True)
    assert "Ошибок: 2; ничего не импортировано." in russian and "ответы относятся к анкете версии 0.9" in russian
    assert "No assessment yet." in ngo_client.get("/assessments/?lang=en").get_data(as_text=True)


def test_a_file_that_is_no_export_or_too_large_is_refused(ngo_client, monkeypatch):
    assert upload(ngo_client, "just,some\r\ntext,here\r\n").status_code == 422
    # the size limit, lowered to test it with a body that stays in memory (over 500 kB the test client spools it)
    monkeypatch.setattr("webapp.views.imports.MAX_BYTES", 200 * 1024)
    response = upload(ngo_client, GOOD + "x" * (300 * 1024))
    assert response.status_code == 413 and "larger than 0.2 MB" in response.get_data(as_text=True)


def test_the_upload_needs_a_csrf_token(make_app):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    page = client.get("/account/register").get_data(as_text=True)
    client.post("/account/register", data={"email": "ana@ngo-a.org", "organisation": "NGO A",
                                           "password": "secret-pass", "confirm": "secret-pass",
                                           "csrf_token": csrf_token(page)})
    assert upload(client, GOOD).status_code == 400
    token = csrf_token(client.get("/assessments/import").get_data(as_text=True))
    assert upload(client, GOOD, csrf_token=token).status_code == 302


def test_the_upload_form_names_the_organisation_and_the_limit(client):
    register(client)
    page = client.get("/assessments/import").get_data(as_text=True)
    assert "become drafts of NGO A" in page and 'enctype="multipart/form-data"' in page and "At most 8.0 MB." in page


def test_a_submission_to_questionnaire_1_0_is_migrated_as_an_answers_file_is(ngo_client, app):
    body = ("SubmissionDate,assessment-country,assessment-year,assessment-questionnaire_version,"
            "part_international-PA14,meta-instanceID,KEY\r\n2026-11-02T04:41:12.000Z,TJ,2025,1.0,yes,uuid:c1,uuid:c1\r\n")
    assert upload(ngo_client, body).status_code == 302
    from webapp.db import get_store

    with app.app_context():
        (draft,) = get_store().list_for_organisation("NGO A")
    assert (draft.country, draft.questionnaire_version, draft.answers["PA14"]) == ("TJ", "1.1", ["party-to-all"])


def api_upload(client, body: bytes, query="", **headers):
    return client.post(f"/api/assessments/import{query}", data={"export": (io.BytesIO(body), "export.csv")},
                       content_type="multipart/form-data", headers=headers)


def labelled_export(app) -> bytes:
    """Return a KoboToolbox CSV export whose columns are headed by the questions' English texts, not their codes."""
    from webapp.db import get_questionnaire

    with app.app_context():
        texts = [get_questionnaire().question(code).text["en"] for code in ("PT01", "PT02", "PT03")]
    header = ",".join(f'"Identification and referral/{t}"' for t in texts)
    return f"_uuid,_submission_time,{header}\r\nu1,2026-11-02,Yes,No,No\r\n".encode()


def test_a_labels_export_gets_one_message_for_the_file_on_the_web(app, ngo_client):
    page = upload(ngo_client, labelled_export(app).decode(), name="kobo.csv")
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and "import-problems" not in text
    assert "The columns are headed by question texts (3 of them)" in text and "XML values and headers" in text


def test_the_api_imports_an_export_for_the_callers_organisation_only(app, ngo_client, other_client):
    response = api_upload(ngo_client, GOOD.encode())
    assert response.status_code == 201, response.json
    assert response.json["source"] == "odk-csv" and response.json["imported"] == 2
    first = response.json["assessments"][0]
    assert (first["country"], first["year"], first["status"], first["row"], first["submission"]) == (
        "KG", 2025, "draft", 2, "uuid:a1")
    assert {(a["country"], a["year"]) for a in ngo_client.get("/api/assessments").json} == {("KG", 2025), ("UZ", 2024)}
    assert other_client.get("/api/assessments").json == []
    assert other_client.get(f"/api/assessments/{first['id']}").status_code == 404
    # KoboToolbox's API JSON as the request body
    kobo = {"results": [{"assessment/country": "TJ", "assessment/year": 2025, "assessment/questionnaire_version": "1.1",
                         "prot_identification/PT01": "yes", "_uuid": "c1"}]}
    sent = ngo_client.post("/api/assessments/import", json=kobo)
    assert sent.status_code == 201 and sent.json["source"] == "kobo-json"
    anonymous = app.test_client().post("/api/assessments/import", data=GOOD.encode(),
                                       content_type="application/octet-stream")
    assert anonymous.status_code == 401 and anonymous.is_json


def test_the_api_import_reports_each_problem_and_stores_nothing(app, ngo_client, monkeypatch):
    refused = api_upload(ngo_client, BAD.encode())
    assert refused.status_code == 422 and refused.json["error"] == "invalid"
    rows = refused.json["rows"]
    assert [(r["row"], r["submission"], r["question"], r["code"]) for r in rows][0] == (
        2, "uuid:b1", "PT01", "unknown-option")
    assert rows[1]["row"] == 3 and "version 0.9" in rows[1]["message"]
    russian = api_upload(ngo_client, BAD.encode(), query="?lang=ru").json
    assert russian["message"] == "Ошибок: 2; ничего не импортировано."
    # a KoboToolbox export headed by question texts, sent as the request body: one problem for the whole file
    labels = labelled_export(app)
    whole = ngo_client.post("/api/assessments/import", data=labels, content_type="application/octet-stream").json
    assert [(r["row"], r["code"]) for r in whole["rows"]] == [(None, "import-label-headers")]
    assert "XML values and headers" in whole["rows"][0]["message"]
    assert api_upload(ngo_client, b"a,b\r\n1,2\r\n").json["error"] == "not-an-export"
    assert ngo_client.post("/api/assessments/import", data={}, content_type="multipart/form-data").status_code == 400
    monkeypatch.setattr("webapp.views.imports.MAX_BYTES", 200 * 1024)
    too_large = api_upload(ngo_client, GOOD.encode() + b"x" * (300 * 1024))
    assert too_large.status_code == 413 and too_large.json["error"] == "too-large"
    assert ngo_client.get("/api/assessments").json == []


def test_the_api_import_needs_the_csrf_header(make_app):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    page = client.get("/account/register").get_data(as_text=True)
    client.post("/account/register", data={"email": "ana@ngo-a.org", "organisation": "NGO A",
                                           "password": "secret-pass", "confirm": "secret-pass",
                                           "csrf_token": csrf_token(page)})
    refused = api_upload(client, GOOD.encode())
    assert refused.status_code == 400 and refused.json["error"] == "csrf"
    token = csrf_token(client.get("/assessments/").get_data(as_text=True))
    assert api_upload(client, GOOD.encode(), **{"X-CSRFToken": token}).status_code == 201


def test_regression_a_multipart_part_without_a_name_is_no_server_error(ngo_client):
    body = b"--b\r\nContent-Disposition: form-data\r\n\r\nnull\r\n--b--\r\n"
    response = ngo_client.post("/api/assessments/import", data=body, content_type="multipart/form-data; boundary=b")
    assert response.status_code == 400 and response.json["fields"]["export"]

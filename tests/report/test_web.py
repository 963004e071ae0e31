"""Report downloads: an assessment's PDF for its own organisation only, a country's baseline for anyone."""

import io
import json

import pytest

from .conftest import EXAMPLE


def register(client, email, organisation):
    response = client.post("/account/register", data={"email": email, "organisation": organisation,
                                                      "password": "secret-pass", "confirm": "secret-pass"})
    assert response.status_code == 302


@pytest.fixture(scope="module")
def site(shipped_kb, tmp_path_factory):
    """The app with two organisations' users and NGO A's submitted KZ 2025 assessment."""
    from webapp import create_app
    from webapp.db import get_store

    app = create_app({"TESTING": True, "SECRET_KEY": "test", "TIPKB_KB": shipped_kb, "WTF_CSRF_ENABLED": False,
                      "TIPKB_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('web') / 'tipkb.sqlite'}"})
    owner, other = app.test_client(), app.test_client()
    register(owner, "ana@ngo-a.org", "NGO A")
    register(other, "bo@ngo-b.org", "NGO B")
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    with app.app_context():
        store = get_store()
        aid = store.create("NGO A", "KZ", 2025).id
        store.save_answers(aid, data["answers"], data["notes"])
        store.submit(aid)
    return {"app": app, "owner": owner, "other": other, "id": aid}


def test_results_page_offers_the_download(site):
    page = site["owner"].get(f"/assessments/{site['id']}/results").get_data(as_text=True)
    assert f'action="/assessments/{site["id"]}/report.pdf"' in page
    assert 'name="group" value="stakeholder"' in page


@pytest.mark.pdf
def test_owner_downloads_the_report_in_russian_by_stakeholder(site):
    from pypdf import PdfReader

    response = site["owner"].get(f"/assessments/{site['id']}/report.pdf?lang=ru&group=stakeholder")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="tipkb-KZ-2025-ru.pdf"'
    assert "no-store" in response.headers["Cache-Control"]
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Рекомендации по исполнителям" in " ".join(text.split())
    assert "NGO A" in text and "Казахстан" in text


def test_another_organisation_is_refused(site):
    assert site["other"].get(f"/assessments/{site['id']}/report.pdf").status_code == 404
    assert site["other"].get("/assessments/99999/report.pdf").status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(site):
    response = site["app"].test_client().get(f"/assessments/{site['id']}/report.pdf")
    assert response.status_code == 302 and "/account/login" in response.location


@pytest.mark.pdf
def test_country_baseline_is_public(site):
    response = site["app"].test_client().get("/countries/kz/report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert response.headers["Content-Disposition"] == 'attachment; filename="tipkb-KZ-baseline-en.pdf"'
    assert site["app"].test_client().get("/countries/xx/report.pdf").status_code == 404


@pytest.mark.pdf
@pytest.mark.slow
def test_a_country_baseline_downloads_in_kyrgyz(site):
    import subprocess

    from .conftest import flat

    response = site["app"].test_client().get("/countries/kg/report.pdf?lang=ky")
    assert response.status_code == 200  # refused (400) while only English and Russian were offered
    assert response.headers["Content-Disposition"] == 'attachment; filename="tipkb-KG-baseline-ky.pdf"'
    text = flat(subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True,
                               check=True).stdout.decode())
    assert "Адамдарды сатуу: өлкөнүн баштапкы маалыматтары жана сунуштамалар" in flat(text)

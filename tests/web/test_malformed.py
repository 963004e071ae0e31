"""Malformed input to the web pages, the app-wide JSON reading and the forms: always a 4xx that says why, never a 500
or a traceback (issue #14)."""

import pytest

from tipkb import accounts

from .webhelpers import register, start

ORG_A = ("ana@ngo-a.org", "NGO A")
HUGE = "4910007258930723948445109846016"  # the id that once overflowed the database
DIGITS_5000 = "9" * 5000  # more digits than Python's int() takes
MB = 1024 * 1024


@pytest.fixture(scope="module")
def site(shipped_kb, tmp_path_factory):
    """One app for the module, with an anonymous client, an NGO user with an assessment, and an expert."""
    from webapp import create_app
    from webapp.db import get_store

    url = f"sqlite:///{tmp_path_factory.mktemp('malformed') / 'tipkb.sqlite'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "TIPKB_KB": shipped_kb, "TIPKB_DATABASE_URL": url,
                      "WTF_CSRF_ENABLED": False})
    ngo = app.test_client()
    assert register(ngo, *ORG_A).status_code == 302
    assessment = start(ngo)
    with app.app_context():
        accounts.create(get_store().engine, "eva@experts.org", "password-1", role="expert")
        accounts.create(get_store().engine, "root@tipkb.org", "password-1", role="admin")
    expert, admin = app.test_client(), app.test_client()
    assert expert.post("/account/login", data={"email": "eva@experts.org", "password": "password-1"}).status_code == 302
    assert admin.post("/account/login", data={"email": "root@tipkb.org", "password": "password-1"}).status_code == 302
    return {"app": app, "anonymous": app.test_client(), "ngo": ngo, "expert": expert, "admin": admin,
            "assessment": assessment}


def sane(response):
    """Assert the answer is no server error and shows no traceback; return its text."""
    text = response.get_data(as_text=True)
    assert response.status_code < 500, text[:500]
    assert "Traceback" not in text and 'File "' not in text
    return text


# --- addresses and query strings -------------------------------------------------------------

URLS = [  # (who, method, path, expected status)
    ("ngo", "GET", f"/api/assessments/{HUGE}", 404),
    ("ngo", "GET", f"/assessments/{HUGE}", 404),
    ("ngo", "GET", f"/assessments/{DIGITS_5000}/results", 404),
    ("ngo", "GET", "/assessments/2147483648/review", 404),  # one past the largest id a database column holds
    ("ngo", "GET", "/assessments/-1", 404),
    ("ngo", "POST", f"/assessments/{HUGE}/autosave", 404),
    ("ngo", "GET", f"/api/assessments/{HUGE}/recommendations", 404),
    ("ngo", "GET", f"/assessments/{HUGE}/report.pdf", 404),
    ("expert", "GET", f"/editor/changesets/{HUGE}", 404),
    ("expert", "GET", f"/api/changesets/{DIGITS_5000}", 404),
    ("expert", "POST", f"/editor/changesets/{HUGE}/revert", 404),
    ("expert", "POST", f"/admin/users/{HUGE}/role", 404),
    ("expert", "GET", "/editor/history?page=99999999999999999999999", 400),
    ("expert", "GET", f"/editor/history?page={DIGITS_5000}", 400),
    ("expert", "GET", "/editor/history?page=0", 400),
    ("expert", "GET", "/editor/history?page=-3", 400),
    ("expert", "GET", "/editor/history?page=1.5", 400),
    ("expert", "GET", "/editor/history?page=%C2%B2", 400),  # a superscript two: a digit to str.isdigit, not to int()
    ("expert", "GET", "/editor/history?page=", 400),
    ("expert", "GET", "/editor/history?page=2", 200),
    ("expert", "GET", "/editor/ratification/?country=%E2%80%AE%00", 400),
    ("expert", "GET", "/editor/ratification/?country=%E2%80%AEKZ", 200),
    ("expert", "GET", "/editor/ratification/ratification-kz-%FF%FE/edit", 404),
    ("anonymous", "GET", "/countries/%00", 400),
    ("anonymous", "GET", "/countries/KZ?lang=%00", 400),
    ("anonymous", "GET", "/countries/%FF%FE", 404),
    ("anonymous", "GET", "/account/login?lang=%FF%FE", 200),
    ("anonymous", "GET", "/?%zz=%&lang=%G1", 200),
    ("anonymous", "GET", "/account/login?next=%ED%A0%80", 200),  # a UTF-8-encoded lone surrogate
    ("anonymous", "GET", "/practices?stakeholder=%C0%AF", 200),  # an overlong encoding of "/"
    ("anonymous", "GET", "/api/countries/" + "x" * 5000, 404),
    ("anonymous", "GET", "/practices/..%2F..%2Fetc%2Fpasswd", 404),
    ("anonymous", "GET", "/data/tipkb.%00", 400),
    ("anonymous", "GET", "/static/..%2F..%2Fpyproject.toml", 404),
    ("anonymous", "GET", "/countries/KZ/report.pdf?lang=" + "x" * 5000 + "&group=%00", 400),
    ("anonymous", "PUT", "/", 405),
    ("anonymous", "DELETE", "/api/countries", 405),
]


@pytest.mark.parametrize(("who", "method", "path", "status"), URLS, ids=lambda v: str(v)[:60])
def test_malformed_addresses_get_a_4xx(site, who, method, path, status):
    response = site[who].open(path, method=method)
    sane(response)
    assert response.status_code == status


def test_a_huge_assessment_id_in_the_api_is_a_json_404_not_an_overflow(site):
    response = site["ngo"].get(f"/api/assessments/{HUGE}")
    assert response.status_code == 404 and response.is_json


def test_a_405_names_the_allowed_methods(site):
    response = site["anonymous"].delete("/api/countries")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]
    assert response.json["error"] == "method-not-allowed"


# --- JSON bodies -----------------------------------------------------------------------------

BROKEN_JSON = {
    "nan": b"nan",
    "NaN": b'{"answers": {"q": NaN}}',
    "Infinity": b"[Infinity]",
    "-Infinity": b'{"a": -Infinity}',
    "1e400": b'{"answers": {"q": 1e400}}',
    "5000-digit integer": b'{"year": ' + DIGITS_5000.encode() + b"}",
    "30-digit integer": b'{"year": 123456789012345678901234567890}',
    "nested 10,000 arrays": b"[" * 10_000 + b"]" * 10_000,
    "nested 10,000 objects": b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
    "nested 100 arrays": b"[" * 100 + b"]" * 100,
    "lone surrogate": b'{"answers": {"q": "\\ud800"}}',
    "lone surrogate key": b'{"\\udfff": 1}',
    "invalid UTF-8": b'{"answers": {"q": "\xff\xfe"}}',
    "UTF-8 BOM": b'\xef\xbb\xbf{"answers": {}}',
    "truncated": b'{"answers": {"q": ',
    "trailing garbage": b"{} {}",
    "single quotes": b"{'answers': {}}",
}


def json_targets(site):
    """Where JSON is posted: the autosave (NGO), the changeset API (expert), and a form page that takes none."""
    return [("ngo", f"/assessments/{site['assessment']}/autosave"), ("expert", "/api/changesets/"),
            ("anonymous", "/account/login")]


@pytest.mark.parametrize("body", BROKEN_JSON.values(), ids=BROKEN_JSON.keys())
def test_unreadable_json_gets_400_with_a_json_reason(site, body):
    for who, path in json_targets(site):
        response = site[who].post(path, data=body, content_type="application/json")
        sane(response)
        assert response.status_code == 400, (path, response.get_data(as_text=True)[:300])
        assert response.json["error"] == "bad-request" and "JSON" in response.json["message"]


def test_a_good_unicode_pair_is_still_read(site):
    from tipkb.jsonio import strict_loads

    assert strict_loads(b'{"a": "\\ud83d\\ude00", "b": 1.5, "c": -7}') == {"a": "\U0001f600", "b": 1.5, "c": -7}


def test_the_json_reason_is_given_in_russian(site):
    response = site["ngo"].post(f"/assessments/{site['assessment']}/autosave?lang=ru", data=b"[NaN]",
                                content_type="application/json")
    assert response.status_code == 400 and "JSON" in response.json["message"]
    assert "NaN" in response.json["message"] and "недопустим" in response.json["message"]


WRONG_SHAPES = {"array": b"[1, 2]", "null": b"null", "string": b'"text"', "number": b"42", "empty": b"",
                "answers as array": b'{"answers": [1, 2]}', "notes as string": b'{"answers": {}, "notes": "x"}',
                "changes as object": b'{"changes": {"a": 1}, "reason": 5}'}


@pytest.mark.parametrize("body", WRONG_SHAPES.values(), ids=WRONG_SHAPES.keys())
def test_json_of_the_wrong_shape_is_no_server_error(site, body):
    for who, path in json_targets(site)[:2]:
        sane(site[who].post(path, data=body, content_type="application/json"))


# --- forms and bodies ------------------------------------------------------------------------

FORMS = [  # (who, path, form, expected status)
    ("anonymous", "/account/login", {"email": "ana@ngo-a.org\x00", "password": "secret-pass"}, 400),
    ("anonymous", "/account/register", {"email": "x@y.org", "organisation": "N\x00GO", "password": "p" * 12,
                                        "confirm": "p" * 12}, 400),
    ("anonymous", "/account/login", {"email\x00": "a@b.org"}, 400),
    ("ngo", "/assessments/", {"country": "KG\x00", "year": "2025"}, 400),
    ("expert", "/editor/settings", {"threshold": "1\x00"}, 400),
]


@pytest.mark.parametrize(("who", "path", "form", "status"), FORMS, ids=lambda v: str(v)[:40])
def test_nul_characters_in_forms_get_400(site, who, path, form, status):
    response = site[who].post(path, data=form)
    assert "NUL" in sane(response) and response.status_code == status


@pytest.mark.parametrize("value", ["9" * 5000, "99999999999999999999", "²", "-1", "1e3"])
def test_regression_a_review_threshold_that_is_no_small_whole_number_is_refused(site, value):
    response = site["admin"].post("/editor/settings", data={"threshold": value}, follow_redirects=True)
    assert response.status_code == 200 and "Enter a whole number" in sane(response)


@pytest.mark.parametrize("raw", [b"country=%ED%A0%80&year=2025", b"country=%C0%AF&year=%FF", b"country=K%&year=%%%",
                                 b"country=" + b"K" * 600_000 + b"&year=2025", b"year=" + b"9" * 5000],
                         ids=["surrogate", "overlong", "broken escapes", "600 kB field", "5000-digit year"])
def test_odd_form_encodings_are_refused_without_a_server_error(site, raw):
    response = site["ngo"].post("/assessments/", data=raw, content_type="application/x-www-form-urlencoded")
    sane(response)
    assert response.status_code in (413, 422)


def test_too_many_form_fields_get_413(site):
    response = site["anonymous"].post("/account/login", data={f"f{i}": "x" for i in range(2_000)},
                                      content_type="multipart/form-data")
    assert response.status_code == 413 and "Too large" in sane(response)


def test_an_oversized_upload_gets_a_clear_413_page_in_the_page_language(site):
    body = b"x" * (11 * MB)
    response = site["anonymous"].post("/account/login", data=body, content_type="application/octet-stream")
    assert response.status_code == 413 and "at most 10.0 MB" in sane(response)
    response = site["ngo"].post(f"/assessments/{site['assessment']}/autosave?lang=ru", data=b"[" + body + b"]",
                                content_type="application/json")
    assert response.status_code == 413 and response.json["error"] == "too-large"
    assert "10.0" in response.json["message"] and "больше" in response.json["message"]


def test_error_pages_speak_russian(site):
    page = sane(site["anonymous"].put("/?lang=ru"))
    assert "Этот адрес не принимает" in page
    page = sane(site["expert"].get("/editor/history?page=0&lang=ru"))
    assert "Номер страницы" in page


@pytest.mark.parametrize(("code", "page", "json_slug"), [(422, "Не принято", "invalid"),
                                                          (429, "Слишком много запросов", "too-many-requests")])
def test_a_422_or_429_raised_anywhere_gets_the_bilingual_page_or_json(app, code, page, json_slug):
    from flask import abort

    app.add_url_rule("/abort-for-test", "abort_for_test", lambda: abort(code))
    client = app.test_client()
    response = client.get("/abort-for-test?lang=ru")
    assert response.status_code == code and page in sane(response)
    response = client.get("/abort-for-test", headers={"Accept": "application/json"})
    assert response.status_code == code and response.json["error"] == json_slug and response.json["message"]
    if code == 429:
        assert response.headers["Retry-After"].isdigit()

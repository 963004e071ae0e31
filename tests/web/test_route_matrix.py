"""Every route × method × role of the URL map gets the outcome tests/web/route_roles.py expects for it (issue #14):
a new route without a row fails, and so does a role reaching what it may not."""

import io

import pytest
from flask import url_for

from tipkb import accounts

from .route_roles import LAST, POLICIES, ROLES, ROUTES
from .test_editor import UNTOC_EDIT, untoc_form
from .webhelpers import register, start

IGNORED = {"HEAD", "OPTIONS"}  # answered by Flask for every rule
PASSWORD = "matrix-pass-7731"
REDIRECTS = (301, 302, 303, 307, 308)


def sign_in(app, email, role):
    from webapp.db import get_store

    with app.app_context():
        account = accounts.create(get_store().engine, email, PASSWORD, role=role)
    client = app.test_client()
    assert client.post("/account/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client, account.id


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One app over a private copy of the KB (the matrix reverts a changeset), a client per role and sample ids."""
    from webapp import create_app
    from webapp.db import get_questionnaire

    url = f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'tipkb.sqlite'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "TIPKB_STORE_PATH": ":memory:",
                      "TIPKB_DATABASE_URL": url, "WTF_CSRF_ENABLED": False,
                      "TIPKB_EVIDENCE_DIR": str(tmp_path_factory.mktemp("evidence"))})
    clients = {"anonymous": app.test_client(), "ngo_a": app.test_client(), "ngo_b": app.test_client()}
    assert register(clients["ngo_a"], "ana@ngo-a.org", "NGO A").status_code == 302
    assert register(clients["ngo_b"], "bo@ngo-b.org", "NGO B").status_code == 302
    clients["expert"], _ = sign_in(app, "eva@experts.org", "expert")
    clients["admin"], _ = sign_in(app, "root@tipkb.org", "admin")
    _, spare = sign_in(app, "spare@experts.org", "expert")  # the account the admin routes act on
    assert clients["expert"].post(UNTOC_EDIT, data=untoc_form(clients["expert"], date="2008-06-05")).status_code == 302
    public = clients["anonymous"]
    with app.app_context():
        section = get_questionnaire().sections[0].id
        question = get_questionnaire().questions_in(section)[0].code
    values = {"assessment_id": start(clients["ngo_a"]), "section_id": section, "user_id": spare,
              "cs_id": clients["expert"].get("/api/changesets/").json[0]["id"], "decision": "approve",
              "kind": "ratification", "name": "ratification-kz-untoc", "ext": "ttl", "filename": "style.css",
              "code": {"countries": "KZ", "gap": public.get("/api/gaps").json[0]["code"],
                       "practice": public.get("/api/practices").json[0]["code"],
                       "instrument": public.get("/api/instruments").json[0]["code"]}}
    photo = (io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(24)), "photo.png")  # a file of evidence for the owner to fetch
    assert clients["ngo_a"].post(f"/assessments/{values['assessment_id']}/evidence",
                                 data={"question": question, "file": photo}).status_code == 302
    values["evidence_id"] = 1  # the first evidence of a new database
    assert clients["ngo_a"].post(f"/assessments/{values['assessment_id']}/evidence",
                                 data={"question": question, "url": "https://example.org/"}).status_code == 302
    values["item_id"] = 2  # a second, for the API's DELETE (which runs before the reads of the first)
    return {"app": app, "clients": clients, "values": values}


def registered(app):
    """Return each (method, rule) of the URL map with its endpoint."""
    return {(method, rule.rule): rule for rule in app.url_map.iter_rules() for method in rule.methods - IGNORED}


def sample_url(app, rule, values) -> str:
    """Fill a rule's variables with the sample values (a code of the right kind for `<code>`)."""
    args = {}
    for name in rule.arguments:
        if name not in values:
            pytest.fail(f"no sample value for <{name}> of {rule.rule}: add one to the site fixture")
        value = values[name]
        if name == "code":
            kind = next((k for k in ("gap", "practice", "instrument") if k in rule.endpoint), "countries")
            value = value[kind]
        args[name] = value
    with app.test_request_context():
        return url_for(rule.endpoint, **args)


def outcome(response) -> str:
    """Name what a response means for access: ok, login, forbidden, not-found or error."""
    status = response.status_code
    if status >= 500:
        return "error"
    if status == 401 or (status in REDIRECTS and "/account/login" in (response.location or "")):
        return "login"
    return {403: "forbidden", 404: "not-found"}.get(status, "ok")


# The cells of PDF routes that render a report, sampled: the owner's own report, and the public baseline once.
PDF_CELLS = [("GET", "/assessments/<int:assessment_id>/report.pdf", "ngo_a"),
             ("GET", "/countries/<code>/report.pdf", "anonymous")]
ACCEPTED = {"ok": {"ok"}, "login": {"login"}, "forbidden": {"forbidden"}, "hidden": {"forbidden", "not-found"}}


def test_every_route_has_an_expected_outcome_per_role(site):
    missing = sorted(set(registered(site["app"])) - set(ROUTES))
    assert not missing, ("routes without a row in tests/web/route_roles.py (add the expected outcome per role): "
                         + ", ".join(f"{m} {r}" for m, r in missing))


def test_no_row_names_a_route_the_app_lacks(site):
    stale = sorted(set(ROUTES) - set(registered(site["app"])))
    assert not stale, "rows in tests/web/route_roles.py for routes the app no longer has: " + ", ".join(
        f"{m} {r}" for m, r in stale)
    assert set(ROUTES.values()) <= set(POLICIES) and all(set(p) == set(ROLES) for p in POLICIES.values())


@pytest.mark.pdf
@pytest.mark.parametrize(("method", "path", "role"), PDF_CELLS)
def test_the_roles_allowed_a_pdf_report_get_it(site, method, path, role):
    assert (method, path) in ROUTES and POLICIES[ROUTES[method, path]][role] == "ok"
    url = sample_url(site["app"], registered(site["app"])[method, path], site["values"])
    with site["clients"][role].open(url, method=method) as response:
        assert outcome(response) == "ok" and response.mimetype == "application/pdf"


def test_each_role_gets_the_expected_outcome_on_every_route(site):
    app, clients, values = site["app"], site["clients"], site["values"]
    rules = registered(app)
    order = sorted((key for key in rules if key in ROUTES),
                   key=lambda k: (LAST.index(k[1]) + 1 if k[1] in LAST else 0, k))
    failures, count = [], 0
    for method, path in order:
        url = sample_url(app, rules[method, path], values)
        for role in ROLES:
            expected = POLICIES[ROUTES[method, path]][role]
            if expected == "ok" and path.endswith(".pdf"):
                continue  # a render takes seconds: test_the_roles_allowed_a_pdf_report_get_it samples these
            with clients[role].open(url, method=method) as response:
                count += 1
                got = outcome(response)
            if got not in ACCEPTED[expected]:
                failures.append(f"{method} {url} as {role}: expected {expected}, got {response.status_code} "
                                f"{response.location or ''}".rstrip())
    assert not failures, f"{len(failures)} of {count} requests:\n" + "\n".join(failures)
    assert count >= 350

"""The API's contract: the changeset API applies the editor's rules, malformed requests get a documented 400 or
422 naming the member at fault, and openapi.json says what the routes do."""

import pytest

from tipkb import accounts
from webapp.db import get_store

from .webhelpers import csrf_token

KB = "https://w3id.org/tipkb/kb/"
TIP = "https://w3id.org/tipkb/ontology#"
UNTOC = KB + "ratification-kz-untoc"
LABEL = {"en": "Country (edited)", "ru": "Страна (изменено)"}


def private_app(folder, **config):
    """Build an app over a private copy of the shipped KB: a regression must not leak edits into the shared one."""
    from webapp import create_app

    return create_app({"TESTING": True, "SECRET_KEY": "test", "TIPKB_KB": None, "TIPKB_STORE_PATH": ":memory:",
                       "TIPKB_DATABASE_URL": f"sqlite:///{folder / 'tipkb.sqlite'}", "WTF_CSRF_ENABLED": False,
                       **config})


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One app for the module: its tests send requests that are refused, so none changes what the others see."""
    return private_app(tmp_path_factory.mktemp("api-contract"))


def signed_in(app, role="expert"):
    with app.app_context():
        accounts.create(get_store().engine, f"{role}@example.org", "password-1", role=role)
    client = app.test_client()
    page = client.get("/account/login").get_data(as_text=True)
    response = client.post("/account/login", data={"email": f"{role}@example.org", "password": "password-1",
                                                   "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    return client


@pytest.fixture(scope="module")
def expert(app):
    return signed_in(app)


def version(client, iri):
    return client.get("/api/changesets/entity", query_string={"iri": iri}).json["version"]


def edit(client, **body):
    return client.post("/api/changesets/", json={"reason": "checked against the source", **body})


def spec(client):
    return client.get("/api/openapi.json").json


def documented(client, path, method, status):
    """Return the documented response of an operation for a status (None when it is not documented)."""
    return spec(client)["paths"][path][method]["responses"].get(str(status))


# --- weakness 6: the changeset API applies the editor's rules --------------------------------------------------

def test_regression_the_changeset_api_refuses_to_edit_an_ontology_term(app, expert):
    before = expert.get("/api/changesets/entity", query_string={"iri": TIP + "Country"}).json
    assert before["exists"]
    refused = edit(expert, type="gap", iri=TIP + "Country", version=before["version"], values={"label": LABEL})
    assert refused.status_code == 422
    assert "iri" in refused.json["fields"] and "not an entity of the KB" in refused.json["fields"]["iri"]
    assert version(expert, TIP + "Country") == before["version"]
    assert expert.get("/api/changesets/", query_string={"entity": TIP + "Country"}).json == []


@pytest.mark.parametrize("iri", ["urn:x:thing", "https://evil.example/thing", KB + "new thing>"])
def test_regression_the_changeset_api_creates_no_entity_outside_the_kb_namespace(app, expert, iri):
    refused = edit(expert, type="coordinating-body", iri=iri, version="",
                   values={"country": KB + "country-kz", "label": LABEL, "sources": ["https://example.org/a"],
                           "as_of": "2025"})
    assert refused.status_code == 422 and "iri" in refused.json["fields"]
    assert expert.get("/api/changesets/").json == []  # nothing in the module's app is ever applied


def test_regression_the_changeset_api_edits_an_entity_only_as_its_own_type(app, expert):
    refused = edit(expert, type="gap", iri=UNTOC, version=version(expert, UNTOC), values={"label": LABEL})
    assert refused.status_code == 422 and refused.json["fields"]["iri"] == "kb:ratification-kz-untoc is not a gap " \
                                                                          "of the KB"
    made_up = edit(expert, type="answer-option", local_name="opt-x", values={"value": "x", "label": LABEL,
                                                                               "order": "1"})
    assert made_up.status_code == 422 and "type" in made_up.json["fields"]


def test_the_editor_refuses_what_the_api_refuses(app, expert):
    assert expert.get("/editor/gap/ratification-kz-untoc/edit").status_code == 404
    assert expert.get("/editor/ratification/ratification-kz-untoc/edit").status_code == 200


# --- weakness 8: malformed requests get 400 or 422 naming the member at fault --------------------------------------

@pytest.mark.parametrize(("body", "member"), [
    ([1, 2], "body"),
    ({"type": 3, "reason": "r"}, "type"),
    ({"type": "ratification"}, "reason"),
    ({"reason": "r"}, "type"),
    ({"type": "ratification", "reason": "r", "values": [1, 2]}, "values"),
    ({"type": "ratification", "reason": "r", "iri": 7, "version": ""}, "iri"),
    ({"type": "ratification", "reason": "r", "iri": UNTOC}, "version"),
    ({"type": "ratification", "reason": "r", "valeus": {}}, "valeus"),
])
def test_a_malformed_changeset_request_gets_400_naming_the_member(app, expert, body, member):
    response = expert.post("/api/changesets/", json=body)
    assert response.status_code == 400, response.json
    assert response.json["error"] == "bad-request" and member in response.json["fields"]


@pytest.mark.parametrize(("values", "field"), [
    ({"year": 2009}, "values.year"),
    ({"note": "a note"}, "values.note"),
    ({"note": {"en": ["a"]}}, "values.note"),
    ({"sources": [1]}, "values.sources"),
    ({"status": KB + "status ratified"}, "values.status"),
    ({"status": KB + "status-ratified>"}, "values.status"),
    ({"sources": ["https://example.org/a\x01b"]}, "values.sources"),
    ({"note": {"en": "a\x00b", "ru": "а"}}, "values.note"),
    ({"colour": "red"}, "values.colour"),
])
def test_a_wrongly_typed_value_gets_422_naming_the_field(app, expert, values, field):
    response = edit(expert, type="ratification", iri=UNTOC, version=version(expert, UNTOC), values=values)
    assert response.status_code == 422, response.json
    assert field in response.json["fields"], response.json


def test_a_reason_with_a_nul_character_is_refused(app, expert):
    response = edit(expert, type="ratification", iri=UNTOC, version=version(expert, UNTOC),
                    values={"year": "2009"}, reason="checked\x00")
    assert response.status_code == 422 and "reason" in response.json["message"]


@pytest.mark.parametrize("query", [{"entity": "a b"}, {"entity": KB + "x>"}, {"status": "gone"},
                                   {"limit": "abc"}, {"limit": "-1"}])
def test_malformed_changeset_list_parameters_get_400(app, expert, query):
    response = expert.get("/api/changesets/", query_string=query)
    assert response.status_code == 400 and set(response.json["fields"]) == set(query)


def test_a_malformed_revert_body_gets_400(app, expert):
    assert expert.post("/api/changesets/1/revert", json=[1]).status_code == 400
    assert expert.post("/api/changesets/1/revert", json={"reason": 5}).json["fields"] == {"reason": "a string or null"}


# --- weakness 12: openapi.json and the behaviour agree -----------------------------------------------------------

def test_regression_the_changeset_list_is_the_array_the_schema_describes(app, expert):
    # test_api_schema.py checks listed changesets against the item schema
    assert expert.get("/api/changesets/").json == []
    schema = documented(expert, "/api/changesets/", "get", 200)["content"]["application/json"]["schema"]
    assert schema == {"type": "array", "items": {"$ref": "#/components/schemas/Changeset"}}


@pytest.mark.parametrize("limit", ["0", "501", "1000000"])
def test_regression_a_limit_out_of_range_is_refused_not_clamped(app, expert, limit):
    response = expert.get("/api/changesets/", query_string={"limit": limit})
    assert response.status_code == 400 and "limit" in response.json["fields"]
    limit_schema = next(p for p in spec(expert)["paths"]["/api/changesets/"]["get"]["parameters"]
                        if p["name"] == "limit")["schema"]
    assert (limit_schema["minimum"], limit_schema["maximum"]) == (1, 500)
    assert documented(expert, "/api/changesets/", "get", 400)
    assert expert.get("/api/changesets/", query_string={"limit": "500"}).status_code == 200


def test_regression_the_entity_version_needs_its_required_iri(app, expert):
    response = expert.get("/api/changesets/entity")
    assert response.status_code == 400 and response.json["fields"] == {"iri": "required"}
    assert documented(expert, "/api/changesets/entity", "get", 400)
    assert expert.get("/api/changesets/entity", query_string={"iri": "a b"}).status_code == 400


@pytest.mark.parametrize("country", ["", "K", "K1", "KGZ", "k g"])
def test_regression_a_bad_country_gets_the_documented_400(client, country):
    response = client.get("/api/recommendations", query_string={"country": country})
    assert response.status_code == 400 and response.json["error"] == "bad-request"
    documented_400 = documented(client, "/api/recommendations", "get", 400)
    assert documented_400["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_regression_the_csrf_400_of_production_is_documented(tmp_path):
    client = signed_in(private_app(tmp_path, WTF_CSRF_ENABLED=True))
    refused = edit(client, type="ratification", iri=UNTOC, version=version(client, UNTOC), values={"year": "2009"})
    assert refused.status_code == 400 and refused.json["error"] == "csrf"
    for path, ops in spec(client)["paths"].items():
        if "post" in ops:
            assert "CSRF" in ops["post"]["responses"]["400"]["description"], path
    token = csrf_token(client.get("/").get_data(as_text=True))
    past_csrf = client.post("/api/changesets/", headers={"X-CSRFToken": token}, json={"type": "ratification"})
    assert past_csrf.status_code == 400 and past_csrf.json["fields"] == {"reason": "required"}

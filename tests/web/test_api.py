"""The JSON API: every route is described in /api/openapi.json; catalogues, questionnaire, owner-only assessments."""

import re

import pytest

from .webhelpers import start


def test_every_api_route_is_in_the_openapi_description(app, client):
    spec = client.get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.")
    documented = {path: {m.upper() for m in ops} for path, ops in spec["paths"].items()}
    routes = [r for r in app.url_map.iter_rules() if r.rule.startswith("/api/")]
    assert routes
    for rule in routes:
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        assert path in documented, f"{rule.rule} is not in openapi.json"
        assert rule.methods - {"HEAD", "OPTIONS"} <= documented[path], rule.rule


def test_countries(client):
    codes = {c["code"] for c in client.get("/api/countries").json}
    assert {"KZ", "KG", "TJ", "TM", "UZ"} <= codes
    assert client.get("/api/countries/KG").json["code"] == "KG"
    assert client.get("/api/countries/XX").status_code == 404


def test_catalogues(client):
    gaps = client.get("/api/gaps?category=data").json
    assert gaps and all(g["category"]["code"] == "data" for g in gaps)
    practice = client.get("/api/practices/bp01").json
    assert practice["label"]["ru"].startswith("Официальный") and practice["pillars"]
    assert client.get("/api/practices?stakeholder=labour-inspectors").json
    assert client.get("/api/instruments/palermo-protocol").json["ratifications"]
    assert client.get("/api/gaps/nope").status_code == 404


def test_questionnaire(client):
    q = client.get("/api/questionnaire").json
    pt20 = next(x for x in q["questions"] if x["code"] == "PT20")
    assert pt20["asked_when"] == [{"question": "PT01", "options": ["yes"]}]
    assert len(q["sections"]) > 4 and q["version"]


def test_assessments_are_for_their_owners_only(client, ngo_client, other_client):
    assert client.application.test_client().get("/api/assessments").status_code == 401
    aid = start(ngo_client)
    assert [a["id"] for a in ngo_client.get("/api/assessments").json] == [aid]
    assert other_client.get("/api/assessments").json == []
    assert other_client.get(f"/api/assessments/{aid}").status_code == 404


def test_recommendations(client, ngo_client):
    pytest.importorskip("tipkb.recommend.engine")
    baseline = client.get("/api/recommendations?country=KG&pillar=protection").json
    assert baseline["recommendations"] and all("protection" in r["pillars"] for r in baseline["recommendations"])
    assert client.get("/api/recommendations").status_code == 400
    assert client.get("/api/recommendations?country=XX").status_code == 404
    aid = start(ngo_client)
    ngo_client.post(f"/assessments/{aid}/autosave", json={"fields": [["shown", "PT01"], ["q-PT01", "no"]]})
    result = ngo_client.get(f"/api/assessments/{aid}/recommendations").json
    assert result["scores"]["answered"] == 1 and result["recommendations"]["used_answers"] is True

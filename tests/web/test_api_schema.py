"""The API keeps its OpenAPI contract for every role: generated requests (schemathesis, fixed seed) get no server
error, only documented statuses, and bodies that match the schema."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tipkb import accounts
from webapp.db import get_store

from .webhelpers import register, start

# generated requests per operation, role and mode where the role may use the operation: 676 requests in all
# (anonymous 113, NGO 141, expert 211, admin 211); API_SCHEMA_CASES=200 runs a deeper search by hand
CASES = int(os.environ.get("API_SCHEMA_CASES", "8"))
REFUSED_CASES = 2  # where the role gets 401 or 403 whatever it sends
ROLES = {"changesets": ("expert", "admin"), "assessments": ("ngo", "expert", "admin"),
         None: ("anonymous", "ngo", "expert", "admin")}  # who may use each part of the API
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
UNTOC = "https://w3id.org/tipkb/kb/ratification-kz-untoc"


def signed_in(app, role: str):
    """Return a client of the app signed in with this role (anonymous: not signed in), with something to read."""
    client = app.test_client()
    if role == "ngo":
        assert register(client).status_code == 302
        start(client)
    elif role in ("expert", "admin"):
        with app.app_context():
            accounts.create(get_store().engine, f"{role}@example.org", "password-1", role=role)
        login = client.post("/account/login", data={"email": f"{role}@example.org", "password": "password-1"})
        assert login.status_code == 302
        version = client.get("/api/changesets/entity", query_string={"iri": UNTOC}).json["version"]
        edit = {"type": "ratification", "iri": UNTOC, "version": version, "values": {"year": "2009"},
                "reason": "a changeset to read"}
        assert client.post("/api/changesets/", json=edit).status_code == 201
    return client


@pytest.mark.parametrize("role", ["anonymous", "ngo", "expert", "admin"])
def test_generated_requests_get_documented_answers_and_no_server_error(make_app, role):
    editing = role in ("expert", "admin")
    # editors' generated changesets go to a private copy of the KB, never the shared one
    app = make_app(TIPKB_KB=None, TIPKB_STORE_PATH=":memory:") if editing else make_app()
    client = signed_in(app, role)
    cookie = client.get_cookie("session")
    cookies = {"session": cookie.value} if cookie else {}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    described = client.get("/api/openapi.json").json["paths"]
    failures, calls = [], []
    for result in schema.get_all_operations():
        operation = result.ok()
        reachable = role in ROLES.get(operation.path.split("/")[2], ROLES[None])
        modes = [GenerationMode.POSITIVE]
        if reachable and negatable(described[operation.path][operation.method.lower()]):
            modes.append(GenerationMode.NEGATIVE)
        for mode in modes:
            try:
                generated(operation, mode, cookies, calls, CASES if reachable else REFUSED_CASES)()
            except Unsatisfiable:  # nothing of this operation can be made invalid (no parameters, or plain strings)
                continue
            except (Exception, FailureGroup) as exc:  # noqa: BLE001 - every operation is tried, all failures shown
                failures.append(f"{operation.label} ({mode.value}): {str(exc)[:2000]}")
    assert not failures, "\n\n".join(failures)
    assert len(calls) >= 60, f"only {len(calls)} requests were generated"


def negatable(operation: dict) -> bool:
    """Say whether an operation takes anything a request can get wrong (a path string takes any text)."""
    return bool(operation.get("requestBody")) or any(
        p["in"] != "path" or p["schema"] != {"type": "string"} for p in operation.get("parameters", []))


def generated(operation, mode, cookies, calls: list, cases: int):
    """Return a Hypothesis test sending `cases` generated requests of one operation and checking each answer."""
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])

    @settings(max_examples=cases, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def call(case):
        calls.append(case)
        case.call_and_validate(cookies=cookies, checks=checks)
    return call

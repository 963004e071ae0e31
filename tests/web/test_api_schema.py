"""The API keeps its OpenAPI contract for every role: generated requests (schemathesis, fixed seed) get no server
error, only documented statuses, and bodies that match the schema."""

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.core.failures import FailureGroup  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tipkb import accounts  # noqa: E402
from webapp.db import get_store  # noqa: E402

from .webhelpers import register, start  # noqa: E402

CASES = 8  # generated requests per operation, role and mode: 4 roles x 2 modes x 17 operations x 8 = 1,088 in all
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
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                generated(operation, mode, cookies)()
            except Unsatisfiable:  # nothing of this operation can be made invalid (no parameters, or plain strings)
                continue
            except (Exception, FailureGroup) as exc:  # noqa: BLE001 - every operation is tried, all failures shown
                failures.append(f"{operation.label} ({mode.value}): {str(exc)[:2000]}")
    assert not failures, "\n\n".join(failures)


def generated(operation, mode, cookies):
    """Return a Hypothesis test sending CASES generated requests of one operation and checking each answer."""
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])

    @settings(max_examples=CASES, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def call(case):
        case.call_and_validate(cookies=cookies, checks=checks)
    return call

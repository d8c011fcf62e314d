"""The OpenAPI schema, its docs page (served locally), and Schemathesis against the schema:
no server error, and every response (status, content type, body) as the schema says."""

import os
from collections import Counter
from contextlib import contextmanager

import hypothesis
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sixclear.api.services import create_token
from sixclear.wsgi import application
from tests.api.conftest import Meetings, Sample

# A few examples per operation in the test suite; `make fuzz` raises it.
EXAMPLES = int(os.environ.get("SIXCLEAR_FUZZ_EXAMPLES", "6"))
CHECKS = (not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance)


def test_the_schema_is_openapi_3_and_lists_every_resource(client):
    response = client.get("/api/v1/schema/?format=json")
    schema = response.json()

    assert response.status_code == 200
    assert schema["openapi"].startswith("3.")
    for resource in ("units", "resolutions", "programs", "targets", "measurements", "tasks",
                     "steps", "progress-reports", "change-requests", "task-statuses",
                     "target-statuses", "obstacles", "meetings", "agenda-items"):
        assert f"/api/v1/{resource}/" in schema["paths"]
    post = schema["paths"]["/api/v1/tasks/"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in post["parameters"]]
    assert {"400", "401", "403", "409", "422", "429"} <= set(post["responses"])
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_docs_page_loads_nothing_from_elsewhere(client):
    response = client.get("/api/v1/docs/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "https://" not in page and "//cdn" not in page
    assert "<script>" not in page  # its settings come from a separate script URL
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "/api/v1/schema/" in script.content.decode()


@contextmanager
def requests_keep_the_connection():
    """Let WSGI calls run inside the test's transaction: a real request closes the database
    connection when it ends (PostgreSQL would lose the test's data), as Django's test client
    also prevents. Enter it after any test-client call: the client reconnects the signals."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_server_error_and_no_response_off_the_schema(world, settings):
    settings.SIXCLEAR_API_RATE = ""
    Sample(world)
    Meetings(world)  # another sample, its obstacle and a meeting drafted from them
    raw = APIClient().get("/api/v1/schema/?format=json").json()
    schema = schemathesis.from_dict(
        raw, app=application,
        data_generation_methods=schemathesis.DataGenerationMethod.all(),
        # We authenticate with a real token below. Generated credentials would only test
        # Django's session middleware, which answers 500 on PostgreSQL to a session cookie
        # holding a NUL byte, on every page of the site (reported; not the API's code).
        generation_config=schemathesis.GenerationConfig(with_security_parameters=False),
    )
    _token, raw_token = create_token(actor=world.hh_manager, name="fuzz")  # a commune manager
    headers = {"Authorization": f"Bearer {raw_token}"}
    failures = []
    operations = 0
    statuses = Counter()

    with requests_keep_the_connection():
        for result in schema.get_all_operations():
            operation = result.ok()
            operations += 1

            @hypothesis.given(case=operation.as_strategy())
            @hypothesis.settings(
                max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                suppress_health_check=list(hypothesis.HealthCheck),
                phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
            )
            def check(case):
                response = case.call(headers=headers)
                statuses[response.status_code] += 1
                case.validate_response(response, checks=CHECKS)

            try:
                check()
            except Exception as error:  # noqa: BLE001 — collect every operation's failure
                failures.append(f"{operation.verbose_name}: {error}")

    assert operations >= 30
    # It reached the endpoints as a signed-in person, not only their refusals.
    assert statuses[200] >= operations // 2 and statuses[401] == 0, statuses
    assert not failures, "\n\n".join(failures)

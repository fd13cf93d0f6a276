"""The published OpenAPI document is valid, and schemathesis finds no server error in the API."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error

from app.web.openapi import document

OPERATIONS = [(path, method.upper()) for path, item in document()["paths"].items() for method in item]
# Bounded: this many generated requests per operation and backend keep `make test` to minutes.
EXAMPLES = 15


def test_document_is_valid_openapi_31_and_linked_from_ogc(demo_client):
    published = demo_client.get("/api/v1/openapi.json").get_json()
    validate(published)
    assert published["openapi"].startswith("3.1")
    landing = demo_client.get("/ogcapi").get_json()
    [desc] = [link for link in landing["links"] if link["rel"] == "service-desc"]
    assert desc["href"].endswith("/api/v1/openapi.json") and "openapi" in desc["type"]


@pytest.fixture
def api_schema(demo_app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", demo_app)


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_no_input_makes_a_server_error(api_schema, path, method):
    operation = api_schema[path][method]

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        case.call_and_validate(checks=[not_a_server_error])

    run()

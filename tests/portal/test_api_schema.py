"""The OpenAPI document: generated without a single warning, valid OpenAPI 3, honest
about errors and authentication, and served to anyone at /api/schema/."""

import json

import pytest
import yaml
from django.core.management import CommandError, call_command
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    """What CI runs: `manage.py spectacular --validate --fail-on-warn`, read back."""
    path = tmp_path_factory.mktemp("openapi") / "schema.yaml"
    # The warning cache is process-wide; start clean so only this generation counts.
    GENERATOR_STATS.reset()
    try:
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    except CommandError as error:
        found = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
        pytest.fail(f"manage.py spectacular refused the schema: {error}\n" + "\n".join(found), pytrace=False)
    return yaml.safe_load(path.read_text())


def _operations(document):
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def test_the_schema_is_openapi_3_with_the_api_title(document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Whistle API"
    assert document["info"]["version"]


def test_the_schema_documents_operations_under_api_v1(document):
    assert _operations(document), "no API operation is documented"
    assert all(path.startswith("/api/v1/") for path in document["paths"])


def test_every_operation_documents_at_least_one_client_error(document):
    undocumented = [
        f"{method} {path}"
        for method, path, operation in _operations(document)
        if not any(str(code).startswith("4") for code in operation["responses"])
    ]
    assert not undocumented, "operations without a documented 4xx response: " + ", ".join(undocumented)


def test_every_operation_that_needs_a_sign_in_documents_its_401(document):
    # An empty requirement ({}) in `security` means the operation is open to anyone.
    anonymous_allowed = [{}]
    missing = [
        f"{method} {path}"
        for method, path, operation in _operations(document)
        if not any(requirement == {} for requirement in operation.get("security", anonymous_allowed))
        and "401" not in {str(code) for code in operation["responses"]}
    ]
    assert not missing, "operations that need a sign-in but do not document 401: " + ", ".join(missing)


def test_token_and_session_authentication_are_declared(document):
    schemes = document["components"]["securitySchemes"]
    token = schemes["tokenAuth"]
    assert (token["type"], token["in"], token["name"]) == ("apiKey", "header", "Authorization")
    assert "Token <key>" in token["description"]
    assert schemes["cookieAuth"]["in"] == "cookie"


def test_open311_is_not_part_of_this_schema(document):
    # Open311 has its own published specification; documenting it here would
    # describe a second, different contract for the same endpoints.
    assert not [path for path in document["paths"] if "open311" in path.lower()]


def test_operation_ids_are_unique(document):
    ids = [operation["operationId"] for _, _, operation in _operations(document)]
    assert len(ids) == len(set(ids))


@pytest.mark.django_db
def test_anyone_may_read_the_schema_as_yaml_or_json():
    client = APIClient()
    as_yaml = client.get("/api/schema/")
    assert as_yaml.status_code == 200
    assert as_yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert yaml.safe_load(as_yaml.content)["info"]["title"] == "Whistle API"

    as_json = client.get("/api/schema/?format=json")
    assert as_json.status_code == 200
    assert as_json["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert json.loads(as_json.content)["openapi"].startswith("3.")


@pytest.mark.django_db
def test_the_served_schema_is_the_generated_one(document):
    served = json.loads(APIClient().get("/api/schema/?format=json").content)
    assert sorted(served["paths"]) == sorted(document["paths"])


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_anyone_may_open_the_api_docs(client, page):
    response = client.get(page)
    assert response.status_code == 200
    if page == "/api/docs/":
        # Swagger UI starts from a script file of its own (no inline script under the CSP).
        assert b'src="/api/docs/?script="' in response.content
        response = client.get(page, {"script": ""})
        assert response.status_code == 200
    assert b"/api/schema/" in response.content

"""The API's error shape, the same for every door: a path that does not exist, a
refusal from a service, a stale version, a missing record, bad input."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.exceptions import ParseError
from rest_framework.test import APIClient

from portal.api.errors import exception_handler
from portal.errors import ActionRefused, ChangedBySomeoneElse, NotFound


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unknown_api_path_answers_the_api_404_body(db, method):
    response = getattr(APIClient(), method)("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "/api/v1/no-such-thing/" in response.json()["detail"]


def test_a_missing_slash_says_where_to_send_the_request(db, settings):
    settings.ROOT_URLCONF = "tests.portal.api_urls"
    response = APIClient().post("/api/v1/echo", {}, format="json")
    assert response.status_code == 404
    assert "/api/v1/echo/" in response.json()["detail"]


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (ActionRefused("Sign for the order first."), 400, "refused"),
        (ChangedBySomeoneElse(), 409, "changed"),
        (NotFound(), 404, "not_found"),
        (ParseError("JSON parse error"), 400, "parse_error"),
    ],
)
def test_each_refusal_has_its_status_and_code(error, status, code):
    response = exception_handler(error, {})
    assert response.status_code == status
    assert response.data["code"] == code
    assert response.data["detail"]


def test_a_service_validation_error_names_its_fields():
    error = ValidationError({"category": ["Choose a sub-category."], "__all__": ["Check the form."]})
    response = exception_handler(error, {})
    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert response.data["fields"] == {"category": ["Choose a sub-category."], "non_field_errors": ["Check the form."]}


def test_an_unexpected_exception_is_left_to_django():
    assert exception_handler(RuntimeError("boom"), {}) is None


def test_a_body_over_the_limit_is_a_413_on_a_staff_endpoint_too(settings, submit, people):
    from knox.models import AuthToken

    complaint = submit()
    _, key = AuthToken.objects.create(user=people["donghuamen_handler"])
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = APIClient().post(
        f"/api/v1/orders/{complaint.tracking_number}/notes/",
        {"note": "x" * 5000},
        format="json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert complaint.events.count() == 2  # submitted and assigned: no note

"""One place where refusals become HTTP answers, for every API view.

Every error body has the same shape: `{"code": …, "detail": …}`, plus `fields`
(field name → list of messages) when the input was wrong. Services raise
Django's ValidationError, ActionRefused, ChangedBySomeoneElse and NotFound; the
views never catch them themselves.
"""

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.errors import ActionRefused, ChangedBySomeoneElse, NotAllowed, NotFound


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        # Django's own answer is a bare HTML 400 page; say what it is, in the API's shape.
        return error_response(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "too_large", _("The request body is too large.")
        )
    if isinstance(exc, ChangedBySomeoneElse):
        return error_response(status.HTTP_409_CONFLICT, "changed", str(exc.message))
    if isinstance(exc, NotAllowed):
        return error_response(status.HTTP_403_FORBIDDEN, "permission_denied", str(exc.message))
    if isinstance(exc, ActionRefused):
        if exc.field:
            return validation_response({exc.field: [str(exc.message)]})
        return error_response(status.HTTP_400_BAD_REQUEST, "refused", str(exc.message))
    if isinstance(exc, (NotFound, Http404)):
        return error_response(status.HTTP_404_NOT_FOUND, "not_found", _("Not found."))
    if isinstance(exc, DjangoValidationError):
        return validation_response(_django_fields(exc))
    if isinstance(exc, exceptions.ValidationError):
        return validation_response(exc.detail)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    response.data = {"code": code if isinstance(code, str) else "error", "detail": str(detail)}
    return response


def error_response(status_code: int, code: str, detail: str, **extra) -> Response:
    return Response({"code": code, "detail": detail, **extra}, status=status_code)


def validation_response(detail) -> Response:
    fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
    fields = {name: _messages(value) for name, value in fields.items()}
    return error_response(status.HTTP_400_BAD_REQUEST, "invalid", _("Some fields are missing or wrong."), fields=fields)


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [f"{key}: {message}" for key, inner in value.items() for message in _messages(inner)]
    if isinstance(value, (list, tuple)):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


def _django_fields(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if key == "__all__" else key): [str(m) for e in errors for m in e.messages]
            for key, errors in exc.error_dict.items()
        }
    return {"non_field_errors": [str(message) for message in exc.messages]}

"""Open311's error bodies, for every refusal on /open311/v2/.

`<errors><error><code>400</code><description>…</description></error></errors>`,
in JSON the list of `{"code": …, "description": …}`, in the format the URL
asked for. The code in the body is the HTTP status, which is what clients
written from the spec compare: 400 bad or missing field, 403 bad or missing
api_key, 404 unknown service, request, token or jurisdiction; and the precise
HTTP statuses where the spec's "basically 400" has a better one: 405 wrong
method, 413 body too large, 429 too many requests.
"""

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from complaints.open311.documents import Document, Items
from portal.errors import ActionRefused, NotFound

# Our services' field names, as the Open311 client knows them.
FIELD_NAMES = {"category": "service_code", "region": "address_id", "resident_phone": "phone", "photos": "media"}


class Open311Error(Exception):
    """A refusal with one or more descriptions, all under one HTTP status."""

    def __init__(self, status_code: int, *descriptions: str, headers: dict | None = None):
        super().__init__(*descriptions)
        self.status_code = status_code
        self.descriptions = [str(d) for d in descriptions]
        self.headers = headers or {}


def errors_document(*, status_code: int, descriptions: list[str]) -> Document:
    return Document(
        root="errors",
        body=Items(item="error", rows=[{"code": status_code, "description": d} for d in descriptions]),
    )


def exception_handler(exc, context) -> Response | None:
    error = open311_error_for(exc)
    if error is None:
        return None
    document = errors_document(status_code=error.status_code, descriptions=error.descriptions)
    return Response(document, status=error.status_code, headers=error.headers)


def open311_error_for(exc) -> Open311Error | None:
    if isinstance(exc, Open311Error):
        return exc
    if isinstance(exc, (NotFound, Http404)):
        return Open311Error(status.HTTP_404_NOT_FOUND, _("Not found."))
    if isinstance(exc, DjangoValidationError):
        return Open311Error(status.HTTP_400_BAD_REQUEST, *validation_descriptions(exc))
    if isinstance(exc, ActionRefused):
        field = FIELD_NAMES.get(exc.field, exc.field)
        return Open311Error(status.HTTP_400_BAD_REQUEST, f"{field}: {exc.message}" if field else str(exc.message))
    if isinstance(exc, RequestDataTooBig):
        return Open311Error(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, _("The request body is too large."))
    if isinstance(exc, TooManyFieldsSent):
        return Open311Error(status.HTTP_400_BAD_REQUEST, _("The request has too many fields."))
    if isinstance(exc, SuspiciousOperation):
        return Open311Error(status.HTTP_400_BAD_REQUEST, _("The request could not be read."))
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        return Open311Error(
            status.HTTP_429_TOO_MANY_REQUESTS,
            _("Too many requests from this client; try again in %(seconds)d seconds.") % {"seconds": wait},
            headers={"Retry-After": str(wait)},
        )
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed, exceptions.PermissionDenied)):
        return Open311Error(status.HTTP_403_FORBIDDEN, str(exc.detail))
    if isinstance(exc, exceptions.MethodNotAllowed):
        return Open311Error(status.HTTP_405_METHOD_NOT_ALLOWED, str(exc.detail))
    if isinstance(exc, exceptions.APIException):
        code = exc.status_code if 400 <= exc.status_code < 500 else status.HTTP_400_BAD_REQUEST
        return Open311Error(code, str(exc.detail))
    return None


def validation_descriptions(exc: DjangoValidationError) -> list[str]:
    """`field: message` for each message, with our field names put in Open311's:
    `answers.since` is the client's `attribute[since]`."""
    if not hasattr(exc, "error_dict"):
        return [str(message) for message in exc.messages]
    descriptions = []
    for key, errors in exc.error_dict.items():
        for message in (m for error in errors for m in error.messages):
            descriptions.append(message if key == "__all__" else f"{open311_field(key)}: {message}")
    return descriptions


def open311_field(name: str) -> str:
    if name.startswith("answers."):
        return f"attribute[{name.removeprefix('answers.')}]"
    return FIELD_NAMES.get(name, name)

"""The documented error bodies, so every endpoint's schema names its refusals."""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "code": serializers.CharField(help_text="A stable word: invalid, refused, changed, not_found, …"),
        "detail": serializers.CharField(help_text="What went wrong, in the reader's language."),
        "fields": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            required=False,
            help_text="Field name → messages, when the input was wrong.",
        ),
    },
)


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """`@extend_schema(responses={200: Out, **errors(400, 404)})`."""
    text = {
        400: "The input is wrong or the action is not allowed now; nothing changed.",
        401: "Not signed in, or a bad token.",
        403: "Signed in, but this role may not do that.",
        404: "No such record, or not one this user may see (the two look the same).",
        409: "The order changed since its `version` was read; nothing changed. Reload and try again.",
        413: "The body, or a photo in it, is larger than the server accepts; nothing changed.",
        429: "Too many requests; try again later.",
    }
    return {code: OpenApiResponse(ErrorSerializer, description=text[code]) for code in codes}


BAD_REQUEST = (
    "The request itself is refused before the endpoint reads it (a NUL character in a "
    "parameter, a body not in UTF-8), or the input is wrong; nothing changed."
)


def every_operation_may_refuse_bad_input(result, generator, request, public):
    """drf-spectacular post-processing hook: every operation documents a 400.

    The portal refuses some requests before any view runs (portal/middleware.py: a
    NUL anywhere in the path, query or body; a body declared in another charset), so
    even an endpoint that takes no input can answer 400 in the one error shape."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            operation["responses"].setdefault(
                "400",
                {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    "description": BAD_REQUEST,
                },
            )
    return result

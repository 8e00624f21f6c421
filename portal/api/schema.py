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

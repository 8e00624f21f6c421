"""Reading what Open311 clients send: the form body of a POST, exactly as the
spec shows it, and the fields every endpoint shares.

The body is `application/x-www-form-urlencoded`, or `multipart/form-data` for
clients that always send it and for those that attach photos as `media` parts
(the GeoReport v2 extension FixMyStreet and SeeClickFix use); files under any
other name are ignored. It is decoded as strict
UTF-8, as the spec says all input is, and refused whole when it is too large,
not UTF-8, or has too many fields, before anything else looks at it.
"""

import os
from urllib.parse import parse_qsl

from django.conf import settings
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from rest_framework import status

from complaints.models import MAX_PHOTOS
from complaints.open311.errors import Open311Error
from complaints.services.photos import photos_body_limit

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
MEDIA = "media"
NAME_SHOWN = 60


def form_of(request) -> MultiValueDict:
    """The POST body's fields, read once per request."""
    cached = getattr(request, "_open311_form", None)
    if cached is None:
        cached = _read_form(getattr(request, "_request", request))
        request._open311_form = cached
    return cached


def _read_form(request) -> MultiValueDict:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError as exc:
        raise Open311Error(status.HTTP_400_BAD_REQUEST, _("The Content-Length header is not a number.")) from exc
    content_type = (request.content_type or "").lower()
    # A multipart body may carry photos; its text fields are still held to Django's limit as it is read.
    limit = photos_body_limit() if content_type == MULTIPART else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if length > limit:
        raise Open311Error(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            _("The request body is too large: at most %(n)d bytes.") % {"n": limit},
        )
    if length <= 0:
        return MultiValueDict()
    if content_type == FORM:
        return _urlencoded(request.body)
    if content_type == MULTIPART:
        try:
            return MultiValueDict(request.POST.lists())
        except MultiPartParserError as exc:
            raise Open311Error(status.HTTP_400_BAD_REQUEST, _("The multipart body could not be read.")) from exc
    raise Open311Error(
        status.HTTP_400_BAD_REQUEST,
        _("Send the fields as application/x-www-form-urlencoded, not %(type)s.") % {"type": content_type[:100]},
    )


def media_of(request) -> list:
    """The photos a multipart POST attached as `media` (none for a form body): at
    most four, each within the size limit (413), checked before any is decoded.
    Call after `form_of`, which read the body."""
    request = getattr(request, "_request", request)
    if (request.content_type or "").lower() != MULTIPART or not int(request.META.get("CONTENT_LENGTH") or 0):
        return []
    files = request.FILES.getlist(MEDIA)
    if len(files) > MAX_PHOTOS:
        raise Open311Error(status.HTTP_400_BAD_REQUEST, _("media: at most %(max)d photos.") % {"max": MAX_PHOTOS})
    limit = settings.WHISTLE_PHOTO_MAX_BYTES
    for upload in files:
        if upload.size is not None and upload.size > limit:
            name = os.path.basename(upload.name or "")[:NAME_SHOWN] or MEDIA
            raise Open311Error(
                status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
                _("media: “%(name)s” is too large: a photo may be at most %(size)s MB.")
                % {"name": name, "size": f"{limit / (1024 * 1024):g}"},
            )
    return files


def _urlencoded(body: bytes) -> MultiValueDict:
    try:
        pairs = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        )
    except UnicodeDecodeError as exc:
        raise Open311Error(status.HTTP_400_BAD_REQUEST, _("The request body is not UTF-8.")) from exc
    except ValueError as exc:
        raise Open311Error(status.HTTP_400_BAD_REQUEST, _("The request has too many fields.")) from exc
    fields = MultiValueDict()
    for name, value in pairs:
        fields.appendlist(name, value)
    return fields


def field(fields, name: str, *, max_length: int | None = None) -> str:
    """One field, stripped; "" when absent or empty, which the spec says mean the
    same. Refuses a NUL character (no database stores one) and an overlong value."""
    value = (fields.get(name) or "").strip()
    if "\x00" in value:
        raise Open311Error(status.HTTP_400_BAD_REQUEST, _("%(field)s: contains a NUL character.") % {"field": name})
    if max_length is not None and len(value) > max_length:
        raise Open311Error(
            status.HTTP_400_BAD_REQUEST,
            _("%(field)s: at most %(n)d characters.") % {"field": name, "n": max_length},
        )
    return value


def listed(fields, name: str) -> list[str]:
    """A field "declared multiple times, comma delimited": `a,b` or `x=a&x=b`."""
    values = []
    for raw in fields.getlist(name):
        values += [part.strip() for part in raw.split(",") if part.strip()]
    return values


def jurisdiction_check(value: str) -> None:
    """One jurisdiction is served. When WHISTLE_OPEN311_JURISDICTION is set, a
    `jurisdiction_id` that is given must be it; leaving it out is fine, as the
    spec asks for it only of servers with several jurisdictions."""
    served = settings.WHISTLE_OPEN311_JURISDICTION
    if served and value and value.lower() != served.lower():
        raise Open311Error(
            status.HTTP_404_NOT_FOUND,
            _("jurisdiction_id %(given)s was not found; this server serves %(served)s.")
            % {"given": value[:100], "served": served},
        )

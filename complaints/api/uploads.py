"""Photos sent to the API as `multipart/form-data`, for every door that takes them
(filing a complaint, resolving an order): the body's size is checked from its
Content-Length before a byte of it is read, each file's declared size before it
is decoded, and files under any other name than `photos` are refused rather than
dropped. What a file *is* stays `complaints.services.photos`'s to decide."""

import os

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent, TooManyFilesSent
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser

from complaints.models import MAX_PHOTOS
from complaints.services.photos import photos_body_limit

FIELD = "photos"
PARSERS = [JSONParser, MultiPartParser]
NAME_SHOWN = 60


class PhotosTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = gettext_lazy("The request body is too large.")


@extend_schema_field({"type": "array", "items": {"type": "string", "format": "binary"}, "maxItems": MAX_PHOTOS})
class PhotosField(serializers.Field):
    """For the schema only: the files themselves are read by `photo_uploads`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            f"Up to {MAX_PHOTOS} images (JPEG, PNG, WebP or GIF), one `photos` part each. They are checked by their "
            "content, re-encoded, and their EXIF data (a phone's GPS position among it) is removed.",
        )
        super().__init__(**kwargs)

    def get_value(self, dictionary):
        return serializers.empty

    def to_internal_value(self, data):  # pragma: no cover - get_value never hands it anything
        return []


def photo_uploads(request) -> list:
    """The uploaded photos of a multipart request ([] for a JSON one). Call it
    before `request.data`: a body over the limit is a 413 before it is parsed."""
    if not request.content_type.startswith("multipart/"):
        return []
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = photos_body_limit()
    if length > limit:
        megabytes = limit / (1024 * 1024)
        raise PhotosTooLarge(_("The request body is too large: at most %(size)s MB.") % {"size": f"{megabytes:.0f}"})
    try:
        uploaded = request.FILES
    except (TooManyFieldsSent, TooManyFilesSent) as exc:
        raise serializers.ValidationError(
            {FIELD: [_("The request has too many fields or files: at most %(max)d photos.") % {"max": MAX_PHOTOS}]}
        ) from exc
    others = sorted(name for name in uploaded if name != FIELD)
    if others:
        message = _("Send photos as “photos” parts; no other field takes a file.")
        raise serializers.ValidationError({name[:NAME_SHOWN]: [message] for name in others})
    files = uploaded.getlist(FIELD)
    for upload in files:
        if upload.size is not None and upload.size > settings.WHISTLE_PHOTO_MAX_BYTES:
            raise PhotosTooLarge(_too_large(upload))
    return files


def _too_large(upload) -> str:
    name = os.path.basename(upload.name or "") or _("photo")
    megabytes = settings.WHISTLE_PHOTO_MAX_BYTES / (1024 * 1024)
    return _("“%(name)s” is too large: a photo may be at most %(size)s MB.") % {
        "name": name[:NAME_SHOWN],
        "size": f"{megabytes:g}",
    }

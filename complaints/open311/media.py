"""Open311's `media_url` is the public copy of the resident's first photo, and only
when the resident allowed public display; the same absolute URL the REST API gives
as `public_url`. The private copies are never named to a client that may not see them."""

from django.conf import settings
from django.urls import reverse

from complaints.models import Photo, PhotoKind


def photo_public_url(*, photo: Photo, request=None) -> str | None:
    if not (photo.public and photo.kind == PhotoKind.RESIDENT):
        return None
    if request is not None:
        return request.build_absolute_uri(reverse("complaints:public_photo", args=[photo.key]))
    return public_photo_url(key=photo.key)


def public_photo_url(*, key) -> str | None:
    """The absolute URL of a public photo by its key (None for none), on the site's own address."""
    if key is None:
        return None
    return settings.WHISTLE_SITE_URL + reverse("complaints:public_photo", args=[key])

"""Which photos a reader gets. Staff reach a complaint through dispatch's
`order_get_for`, residents through their session's grant; both then read here."""

import uuid

from django.db.models import Prefetch, QuerySet

from complaints.models import Complaint, Photo, PhotoKind
from portal.errors import NotFound


def photos_for(*, complaint: Complaint) -> list[Photo]:
    """Every photo of a complaint the caller may already see: the resident's first, then the reply's."""
    return list(Photo.objects.filter(complaint_id=complaint.pk).order_by("-kind", "slot"))


def photo_of(*, complaint: Complaint, key: str | uuid.UUID) -> Photo:
    photo = Photo.objects.filter(complaint_id=complaint.pk, key=key).first()
    if photo is None:
        raise NotFound
    return photo


def photo_public_get(*, key: str | uuid.UUID) -> Photo:
    """A photo anyone may see: one of the resident's, shown with their consent."""
    photo = _public().filter(key=key).first()
    if photo is None:
        raise NotFound
    return photo


def public_photos_prefetch() -> Prefetch:
    """For lists of complaints shown to the public: each row's `public_photos`, in one query."""
    return Prefetch("photos", queryset=_public().order_by("slot"), to_attr="public_photos")


def _public() -> QuerySet[Photo]:
    return Photo.objects.filter(public=True, kind=PhotoKind.RESIDENT)

"""Signed, short-lived links to a complaint's photos, and the serializer that gives
them to the complaint's resident (the tracking answer and the photo list)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from complaints.api.photo_output import PhotoSerializer
from complaints.models import Photo
from complaints.selectors.photos import photos_for
from portal.errors import NotFound

LINK_SALT = "complaints.api.photos.link"
LINK_SECONDS = 3600


def photo_link(*, photo: Photo) -> str:
    return signing.dumps(str(photo.key), salt=LINK_SALT, compress=True)


def photo_by_link(*, link: str) -> Photo:
    """The photo a link names while it is fresh; NotFound for a stale, altered or made-up one."""
    try:
        key = signing.loads(link, salt=LINK_SALT, max_age=LINK_SECONDS)
    except signing.BadSignature as exc:
        raise NotFound from exc
    photo = Photo.objects.filter(key=key).first() if isinstance(key, str) else None
    if photo is None:
        raise NotFound
    return photo


class ResidentPhotoSerializer(PhotoSerializer):
    class Meta:
        ref_name = "ResidentPhoto"

    url = serializers.SerializerMethodField(help_text=f"The stored copy; the link works for {LINK_SECONDS} seconds.")
    thumbnail_url = serializers.SerializerMethodField(help_text="A small copy; a link like `url`.")

    def get_url(self, photo) -> str:
        return self._absolute("complaints_api:photo_file", photo)

    def get_thumbnail_url(self, photo) -> str:
        return self._absolute("complaints_api:photo_thumbnail", photo)

    def _absolute(self, name: str, photo) -> str:
        path = reverse(name, args=[photo_link(photo=photo)])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else settings.WHISTLE_SITE_URL + path


@extend_schema_field(ResidentPhotoSerializer(many=True))
class ComplaintPhotosField(serializers.Field):
    """A complaint's photos as its resident sees them, for an output serializer
    that holds the complaint: `photos = ComplaintPhotosField(source="complaint")`."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs.setdefault("help_text", "The resident's photos, then the reply's, with links that work for an hour.")
        super().__init__(**kwargs)

    def to_representation(self, complaint):
        return ResidentPhotoSerializer(photos_for(complaint=complaint), many=True, context=self.context).data

"""A photo as the API shows it: its facts and where to fetch it. Output only; which
photos a reader gets, and where they may fetch them, is the caller's to say."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation

from complaints.models import Photo, PhotoKind
from complaints.open311.media import photo_public_url


class PhotoSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Photo"

    key = serializers.UUIDField(help_text="The photo's id in its URLs.")
    kind = serializers.ChoiceField(
        choices=PhotoKind.choices, help_text="`resident`: sent when filing; `reply`: sent with the unit's reply."
    )
    slot = serializers.IntegerField(help_text="Its position among the photos of its kind, 1–4.")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    content_type = serializers.CharField(help_text="`image/jpeg` or `image/png`: the re-encoded copy, no EXIF.")
    size = serializers.IntegerField(help_text="Bytes.")
    public = serializers.BooleanField(help_text="The resident allowed it on public pages.")
    created_at = serializers.DateTimeField()
    public_url = serializers.SerializerMethodField(
        help_text="The copy anyone may fetch, when the resident allowed it; else null."
    )

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_public_url(self, photo: Photo) -> str | None:
        return photo_public_url(photo=photo, request=self.context.get("request"))


class ImageOrJsonErrors(BaseContentNegotiation):
    """For views that answer with a photo's own bytes whatever the client accepts
    (an `<img>` asks for image/*): only refusals are rendered, always as the API's JSON."""

    def select_parser(self, request, parsers):
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type

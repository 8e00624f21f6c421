"""POST /api/v1/complaints/: a resident's app or another system files a complaint.

JSON, or `multipart/form-data` to send photos with it in the same request: one
request, so a refused photo files nothing, as on the web form, and an
Idempotency-Key retry never attaches them twice."""

import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.response import Response

from complaints.api.common import BODY_ERRORS, ResidentApiView
from complaints.api.fields import AnswersField, StrictCharField, StrictFloatField, TextField
from complaints.api.uploads import PARSERS, PhotosField, photo_uploads
from complaints.emergency import emergency_notice
from complaints.models import Channel, DemandType
from complaints.services.photos import complaint_intake_with_photos
from complaints.views.texts import place_path
from portal.api.schema import ErrorSerializer, errors

MAX_IDEMPOTENCY_KEY = 255

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "1–255 printable ASCII characters, e.g. a UUID the client makes once per complaint. A retry with the same "
        "key and the same phone number returns the complaint the first request filed (200, header "
        "`Idempotent-Replayed: true`) instead of filing another, whatever else the retry says. The key is "
        "combined with the phone, so another resident's request with the same key files its own complaint."
    ),
)

REPLAYED = OpenApiParameter(
    "Idempotent-Replayed",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    enum=["true"],
    description="This answer repeats the first request's: no second complaint was filed.",
)


MAX_ANSWERS_TEXT = 20_000


@extend_schema_field(
    {
        "type": "string",
        "description": 'The `answers` object written as JSON text, e.g. `{"noise_time": "night"}`.',
        "maxLength": MAX_ANSWERS_TEXT,
    }
)
class AnswersTextField(AnswersField):
    """`answers` in a multipart body, where a field can only be text."""

    default_error_messages = {"not_json": _lazy("Give the answers as a JSON object: question code → answer.")}

    def to_internal_value(self, data):
        if isinstance(data, str):
            if len(data) > MAX_ANSWERS_TEXT or "\x00" in data:
                self.fail("not_json")
            try:
                data = json.loads(data) if data.strip() else {}
            except ValueError:
                self.fail("not_json")
        return super().to_internal_value(data)


class ComplaintFileApi(ResidentApiView):
    parser_classes = PARSERS

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ComplaintFileInput"

        category = serializers.IntegerField(
            min_value=1, help_text="A sub-category's `id` from `GET /api/v1/categories/` (not a group's)."
        )
        demand_type = serializers.ChoiceField(
            choices=DemandType.choices,
            required=False,
            default=DemandType.COMPLAINT.value,
            help_text="What kind of demand it is (诉求类型); `complaint` when left out.",
        )
        region = StrictCharField(
            max_length=12,
            required=False,
            allow_blank=True,
            default="",
            help_text="The place's division code: a street or community (from `GET /api/v1/places/`). A district "
            "code, or none with a point, leaves the street to the point and the address; what stays unclear the "
            "12345 centre confirms (`place_to_confirm`).",
        )
        latitude = StrictFloatField(
            required=False, allow_null=True, default=None, help_text="WGS-84 (as GPS gives it), with `longitude`."
        )
        longitude = StrictFloatField(
            required=False, allow_null=True, default=None, help_text="WGS-84, with `latitude`."
        )
        address = TextField(max_length=200, help_text="The address or a landmark.")
        description = TextField(max_length=2000, help_text="What the problem is.")
        resident_name = TextField(max_length=50)
        resident_phone = TextField(
            max_length=30, help_text="A mainland China number; tracking asks its last four digits."
        )
        resident_email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")
        hide_name = serializers.BooleanField(default=False, help_text="Hide the name from the unit handling it.")
        answers = AnswersField(required=False, default=dict)

    class MultipartInputSerializer(InputSerializer):
        class Meta:
            ref_name = "ComplaintFileWithPhotosInput"

        answers = AnswersTextField(required=False, default=dict)
        photos = PhotosField()
        photos_public = serializers.BooleanField(
            default=False, help_text="The resident allows their photos on public pages (and Open311's media_url)."
        )

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ComplaintFiled"

        tracking_number = serializers.CharField(help_text="With the phone's last four digits, follows the complaint.")
        status = serializers.CharField()
        submitted_at = serializers.DateTimeField()
        place_to_confirm = serializers.BooleanField(
            help_text="Only the district is known; the centre confirms the rest."
        )
        category = serializers.IntegerField(source="category_id")
        region = serializers.CharField(source="region.code", help_text="The place it is filed under.")
        place = serializers.SerializerMethodField(help_text="District, street, community names, outermost first.")
        channel = serializers.ChoiceField(
            choices=Channel.choices, help_text="The door it came in through: always `api` here."
        )
        demand_type = serializers.ChoiceField(choices=DemandType.choices)
        demand_type_display = serializers.CharField(
            source="get_demand_type_display", help_text="The demand type in the request's language."
        )
        emergency_notice = serializers.SerializerMethodField(
            help_text="When the description or address mentions an emergency word: the 110/119/120 notice to show "
            "the resident, in the request's language (the complaint is filed as urgent). Otherwise null."
        )

        def get_place(self, complaint) -> list[str]:
            return place_path(complaint.region)

        def get_emergency_notice(self, complaint) -> str | None:
            return emergency_notice(words=complaint.emergency_words)

    @extend_schema(
        operation_id="complaint_file",
        summary="File a complaint",
        description="The web form's checks, every mistake at once (`fields`; answers as `answers.<code>`). "
        "A point outside Beijing is refused on `latitude`.\n\n"
        "Photos: send the same fields as `multipart/form-data` with up to four `photos` parts (`answers` as JSON "
        "text). A file that is not an image, a decompression bomb or a fifth photo is refused on `photos` (400); "
        "a photo over the size limit, or a body over four of them, is a 413. Any refusal files nothing.",
        tags=["resident"],
        parameters=[IDEMPOTENCY_KEY, REPLAYED],
        request={"application/json": InputSerializer, "multipart/form-data": MultipartInputSerializer},
        responses={
            201: OutputSerializer,
            200: OpenApiResponse(
                OutputSerializer, description="A retry with the same Idempotency-Key: the first complaint."
            ),
            **errors(400, 429),
            **BODY_ERRORS,
            415: OpenApiResponse(
                ErrorSerializer, description="The body is neither JSON nor multipart/form-data; nothing changed."
            ),
        },
        examples=[
            OpenApiExample(
                "Water off since this morning",
                request_only=True,
                value={
                    "category": 101,
                    "region": "110101001001",
                    "address": "东华门大街 1 号",
                    "description": "早上八点起停水，没有通知",
                    "resident_name": "张三",
                    "resident_phone": "13800138000",
                    "answers": {"outage_since": "2026-12-01T08:00+08:00"},
                },
            )
        ],
    )
    def post(self, request):
        key = idempotency_key(request)
        files = photo_uploads(request)
        multipart = request.content_type.startswith("multipart/")
        serializer = (self.MultipartInputSerializer if multipart else self.InputSerializer)(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("photos", None)
        filed = complaint_intake_with_photos(
            files=files,
            public=data.pop("photos_public", False),
            category_id=data.pop("category"),
            region_code=data.pop("region"),
            **data,
            channel=Channel.API,
            idempotency_key=key,
        )
        body = self.OutputSerializer(filed.complaint).data
        if filed.replayed:
            return Response(body, status=status.HTTP_200_OK, headers={"Idempotent-Replayed": "true"})
        return Response(body, status=status.HTTP_201_CREATED)


def idempotency_key(request) -> str | None:
    raw = request.headers.get("Idempotency-Key")
    if raw is None:
        return None
    if not 1 <= len(raw) <= MAX_IDEMPOTENCY_KEY or not all(" " <= ch <= "~" for ch in raw):
        raise serializers.ValidationError(
            {"Idempotency-Key": [_("Give 1 to 255 printable ASCII characters, or no Idempotency-Key header.")]}
        )
    return raw

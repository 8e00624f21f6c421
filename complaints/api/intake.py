"""POST /api/v1/complaints/: a resident's app or another system files a complaint."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from complaints.api.common import BODY_ERRORS, ResidentApiView
from complaints.api.fields import AnswersField, StrictCharField, StrictFloatField, TextField
from complaints.models import Channel
from complaints.services.intake import complaint_intake
from complaints.views.texts import place_path
from portal.api.schema import errors

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


class ComplaintFileApi(ResidentApiView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ComplaintFileInput"

        category = serializers.IntegerField(
            min_value=1, help_text="A sub-category's `id` from `GET /api/v1/categories/` (not a group's)."
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
        channel = serializers.CharField()

        def get_place(self, complaint) -> list[str]:
            return place_path(complaint.region)

    @extend_schema(
        operation_id="complaint_file",
        summary="File a complaint",
        description="The web form's checks, every mistake at once (`fields`; answers as `answers.<code>`). "
        "A point outside Beijing is refused on `latitude`.",
        tags=["resident"],
        parameters=[IDEMPOTENCY_KEY, REPLAYED],
        request=InputSerializer,
        responses={
            201: OutputSerializer,
            200: OpenApiResponse(
                OutputSerializer, description="A retry with the same Idempotency-Key: the first complaint."
            ),
            **errors(400, 429),
            **BODY_ERRORS,
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
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        filed = complaint_intake(
            category_id=serializer.validated_data.pop("category"),
            region_code=serializer.validated_data.pop("region"),
            **serializer.validated_data,
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

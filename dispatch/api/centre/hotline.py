"""The hotline desk (坐席受理) over the API, for a telephony system or a softphone
beside the 12345 centre's operator: the caller's history, filing the caller's
demand, and a consultation answered directly from the knowledge base. The same
selectors and services as /desk/hotline/, so a demand filed here is checked,
linked as a repeat and routed exactly as one filed on the page. To anyone outside
the centre these endpoints answer 404."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.api.fields import AnswersField, StrictCharField, TextField
from complaints.api.intake import IDEMPOTENCY_KEY, REPLAYED, idempotency_key
from complaints.forms.intake import MAX_DESCRIPTION
from complaints.models import Channel, Complaint, ComplaintStatus, DemandType, Priority
from complaints.selectors.place_search import beijing_place
from complaints.services.intake import idempotency_token, intake_category
from dispatch.api.handler.serializers import CategoryRefSerializer, PlaceSerializer
from dispatch.forms.hotline import CALLER_MAX_LENGTH, caller_phone
from dispatch.selectors.hotline import (
    HISTORY_DAYS,
    HISTORY_LIMIT,
    caller_history,
    hotline_check,
    repeat_matter,
    repeats_of,
)
from dispatch.services.hotline import HotlineDemand, consultation_answer_directly, hotline_file
from portal.api.schema import errors

NOT_A_PLACE = "Give the division code of a street or community of Beijing, from `GET /api/v1/places/`."


def _place(code: str):
    region = beijing_place(code=code)
    if region is None:
        raise serializers.ValidationError(_("Choose a street or community of Beijing."))
    return region


class HistoryRowSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    submitted_at = serializers.DateTimeField(help_text="When it was filed.")
    demand_type = serializers.ChoiceField(choices=DemandType.choices)
    category = CategoryRefSerializer()
    place = PlaceSerializer(source="region")
    status = serializers.ChoiceField(choices=ComplaintStatus.choices)
    holder = serializers.CharField(
        source="holder_name", allow_null=True, help_text="The unit holding it (or that last held it); null: none."
    )
    repeat_of = serializers.CharField(
        source="repeat_of.tracking_number",
        allow_null=True,
        default=None,
        help_text="The first demand of the matter this one repeats (重复件), or null.",
    )
    repeat_count = serializers.IntegerField(help_text="How many demands repeat this one.")
    description = serializers.CharField(help_text="What the caller said then.")

    class Meta:
        ref_name = "HotlineHistoryRow"


class RepeatMatterSerializer(serializers.Serializer):
    first = serializers.CharField(source="first.tracking_number", help_text="The matter's first demand.")
    first_submitted_at = serializers.DateTimeField(source="first.submitted_at")
    repeat_count = serializers.IntegerField(help_text="Repeats it has so far.")

    class Meta:
        ref_name = "HotlineRepeatMatter"


class HotlineHistoryApi(APIView):
    class FilterSerializer(serializers.Serializer):
        # No max_length: an over-long number gets the desk's own message.
        phone = serializers.CharField(trim_whitespace=False, help_text="The caller's number, as the line shows it.")
        category = serializers.IntegerField(
            required=False, min_value=1, help_text="With `region`: say whether a demand about it would be a repeat."
        )
        region = serializers.CharField(required=False, help_text=f"With `category`. {NOT_A_PLACE}")

        class Meta:
            ref_name = "HotlineHistoryFilter"

        def validate_phone(self, value):
            return caller_phone(value)

        def validate_category(self, value):
            return intake_category(category_id=value)

        def validate_region(self, value):
            return _place(value)

    class OutputSerializer(serializers.Serializer):
        phone = serializers.CharField(help_text="The number, normalised as demands store it.")
        total = serializers.IntegerField(
            source="history.total", help_text=f"Demands from it in the last {HISTORY_DAYS} days."
        )
        open_count = serializers.IntegerField(source="history.open_count", help_text="How many are still open.")
        rows = HistoryRowSerializer(
            source="history.rows", many=True, help_text=f"The newest {HISTORY_LIMIT} of them, newest first."
        )
        repeat = RepeatMatterSerializer(
            allow_null=True,
            help_text="With `category` and `region`: the matter a demand about them would be linked to as a "
            "repeat when filed, or null.",
        )

        class Meta:
            ref_name = "HotlineHistory"

    @extend_schema(
        operation_id="hotline_history",
        summary="The caller's history",
        description="The demands filed from the caller's number in the last 12 months, as the hotline desk shows "
        "them beside the form, and with `category` and `region` the matter a new demand would repeat. A number "
        "that is not a phone number is a 400 on `phone`. The 12345 centre only (404 for anyone else).",
        parameters=[FilterSerializer],
        responses={200: OutputSerializer, **errors(400, 401, 404)},
    )
    def get(self, request):
        hotline_check(user=request.user)
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        phone = query.validated_data["phone"]
        history = caller_history(user=request.user, phone=phone)
        category, region = query.validated_data.get("category"), query.validated_data.get("region")
        repeat = None
        if category is not None and region is not None and history.total:
            repeat = repeat_matter(user=request.user, phone=phone, category=category, region=region)
        answer = {"phone": phone, "history": history, "repeat": repeat}
        return Response(self.OutputSerializer(answer).data)


class DemandInputSerializer(serializers.Serializer):
    """What the operator takes down on the call, as on the desk's form."""

    caller_phone = TextField(max_length=CALLER_MAX_LENGTH, help_text="The caller's number, as the line shows it.")
    caller_name = TextField(max_length=50, help_text="How the caller wishes to be addressed, e.g. 张先生.")
    hide_name = serializers.BooleanField(default=False, help_text="The caller asked for confidentiality.")
    urgent = serializers.BooleanField(default=False, help_text="The operator marks it urgent.")
    demand_type = serializers.ChoiceField(
        choices=DemandType.choices, default=DemandType.COMPLAINT.value, help_text="诉求类型; `complaint` if left out."
    )
    category = serializers.IntegerField(
        min_value=1, help_text="A sub-category's `id` from `GET /api/v1/categories/` (not a group's)."
    )
    region = StrictCharField(max_length=12, help_text=NOT_A_PLACE)
    address = TextField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="The address or a landmark; needed unless the demand is a consultation.",
    )
    description = TextField(max_length=MAX_DESCRIPTION, help_text="What the caller asks or reports.")
    answers = AnswersField(required=False, default=dict)

    class Meta:
        ref_name = "HotlineDemandInput"

    def validate_caller_phone(self, value):
        return caller_phone(value)

    def validate_category(self, value):
        return intake_category(category_id=value)

    def validate_region(self, value):
        return _place(value)


class DirectAnswerInputSerializer(DemandInputSerializer):
    demand_type = None  # always a consultation
    article = serializers.IntegerField(
        min_value=1, help_text="The knowledge-base article read to the caller (`GET /api/v1/knowledge/`)."
    )

    class Meta:
        ref_name = "HotlineDirectAnswerInput"


class ArticleReadSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="article_id")
    title = serializers.CharField(source="article.title")
    version = serializers.IntegerField(source="article_version", help_text="The version read to the caller.")

    class Meta:
        ref_name = "HotlineArticleRead"


class FiledSerializer(serializers.Serializer):
    tracking_number = serializers.CharField(help_text="Read it to the caller.")
    status = serializers.ChoiceField(choices=ComplaintStatus.choices)
    submitted_at = serializers.DateTimeField()
    channel = serializers.ChoiceField(choices=Channel.choices, help_text="Always `hotline` here.")
    demand_type = serializers.ChoiceField(choices=DemandType.choices)
    priority = serializers.ChoiceField(choices=Priority.choices)
    category = CategoryRefSerializer()
    place = PlaceSerializer(source="region")
    answers = serializers.DictField(help_text="The answers to the category's questions, as stored.")
    repeat_of = serializers.CharField(
        source="repeat_of.tracking_number",
        allow_null=True,
        default=None,
        help_text="Linked as a repeat (重复件) of this demand, the matter's first; or null.",
    )
    repeat_count = serializers.SerializerMethodField(help_text="For a repeat: how many the matter has, this one too.")
    emergency_words = serializers.ListField(
        child=serializers.CharField(), help_text="Emergency words found in the description or address."
    )
    emergency_notice = serializers.SerializerMethodField(
        help_text="With emergency words: what to tell the caller (110/119/120), in the request's language. "
        "The demand is filed urgent. Otherwise null."
    )

    class Meta:
        ref_name = "HotlineFiled"

    def get_repeat_count(self, complaint) -> int:
        return repeats_of(complaint=complaint) if complaint.repeat_of_id else 0

    def get_emergency_notice(self, complaint) -> str | None:
        if not complaint.emergency_words:
            return None
        return _(
            "The caller mentioned an emergency (%(words)s). If anyone is in danger now, tell them to call "
            "110, 119 or 120 at once."
        ) % {"words": "、".join(complaint.emergency_words)}


class DirectlyAnsweredSerializer(FiledSerializer):
    article = ArticleReadSerializer(
        source="direct_answer",
        allow_null=True,
        help_text="Null only when an Idempotency-Key retry finds a demand that key filed as a routed one.",
    )

    class Meta:
        ref_name = "HotlineDirectlyAnswered"


def _demand(data: dict, *, user, key: str | None) -> HotlineDemand:
    # The key is the operator's own: another operator's retry with the same key,
    # for the same caller, files their own demand.
    token = idempotency_token(phone=data["caller_phone"], key=f"hotline:{user.pk}:{key}") if key else None
    return HotlineDemand(
        caller_phone=data["caller_phone"],
        caller_name=data["caller_name"],
        category=data["category"],
        region=data["region"],
        description=data["description"],
        address=data["address"].strip(),
        demand_type=data.get("demand_type", DemandType.CONSULTATION),
        hide_name=data["hide_name"],
        urgent=data["urgent"],
        submission_token=token,
        answers=data["answers"],
    )


def _filed_response(serializer_class, complaint: Complaint, *, replayed: bool) -> Response:
    complaint = Complaint.objects.select_related(
        "category__parent", "region__parent__parent", "repeat_of", "direct_answer__article"
    ).get(pk=complaint.pk)
    body = serializer_class(complaint).data
    if replayed:
        return Response(body, status=status.HTTP_200_OK, headers={"Idempotent-Replayed": "true"})
    return Response(body, status=status.HTTP_201_CREATED)


def _parsed(serializer_class, request) -> tuple[dict, str | None]:
    key = idempotency_key(request)
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data, key


def _replayed(demand: HotlineDemand) -> bool:
    token = demand.submission_token
    return token is not None and Complaint.objects.filter(submission_token=token).exists()


REPLAY_ANSWER = "A retry with the same Idempotency-Key (by the same operator, for the same number): the first demand."


class HotlineDemandFileApi(APIView):
    @extend_schema(
        operation_id="hotline_demand_file",
        summary="File the caller's demand",
        description="Channel `hotline`, filed by the signed-in operator: checked (the category's questions as "
        "`answers`, errors as `answers.<code>`), linked as a repeat of the caller's earlier demand about the same "
        "matter, made urgent by an emergency word and routed like any demand. Every mistake is a 400 with field "
        "errors and files nothing. The 12345 centre only (404 for anyone else).",
        parameters=[IDEMPOTENCY_KEY, REPLAYED],
        request=DemandInputSerializer,
        responses={
            201: FiledSerializer,
            200: OpenApiResponse(FiledSerializer, description=REPLAY_ANSWER),
            **errors(400, 401, 404),
        },
        examples=[
            OpenApiExample(
                "Construction noise at night",
                request_only=True,
                value={
                    "caller_phone": "13800138000",
                    "caller_name": "张先生",
                    "category": 12,
                    "region": "110101001001",
                    "address": "东华门大街 1 号",
                    "description": "凌晨两点还在施工，噪声很大",
                    "answers": {"noise_time": "night"},
                },
            )
        ],
    )
    def post(self, request):
        hotline_check(user=request.user)  # 404 before any word about the input
        data, key = _parsed(DemandInputSerializer, request)
        demand = _demand(data, user=request.user, key=key)
        replayed = _replayed(demand)
        complaint = hotline_file(user=request.user, data=demand)
        return _filed_response(FiledSerializer, complaint, replayed=replayed)


class HotlineDirectAnswerApi(APIView):
    @extend_schema(
        operation_id="hotline_direct_answer",
        summary="Answer a consultation directly",
        description="The caller's consultation, filed and closed at once as answered from the `article` read to "
        "them (直接答复): never routed; the article's use is counted and its version recorded. The category's "
        "questions need no answers (what is answered is still checked). An article that may not be given "
        "(expired, archived, unknown) is a 400 on `article`, an emergency word a 400: nothing is filed. "
        "The 12345 centre only (404 for anyone else).",
        parameters=[IDEMPOTENCY_KEY, REPLAYED],
        request=DirectAnswerInputSerializer,
        responses={
            201: DirectlyAnsweredSerializer,
            200: OpenApiResponse(DirectlyAnsweredSerializer, description=REPLAY_ANSWER),
            **errors(400, 401, 404),
        },
    )
    def post(self, request):
        hotline_check(user=request.user)
        data, key = _parsed(DirectAnswerInputSerializer, request)
        demand = _demand(data, user=request.user, key=key)
        replayed = _replayed(demand)
        complaint = consultation_answer_directly(user=request.user, article_id=data["article"], data=demand)
        return _filed_response(DirectlyAnsweredSerializer, complaint, replayed=replayed)

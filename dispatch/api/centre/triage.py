"""The 12345 centre's triage queue: orders no rule could route, returned orders and
disputes, emergencies first and then oldest first, each with where it probably belongs (as the triage page)."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from complaints.models import Channel, ComplaintStatus, DemandType, Priority
from dispatch.api.handler.serializers import CategoryRefSerializer, PlaceSerializer, UnitRefSerializer
from dispatch.filters import TriageFilter
from dispatch.models import TriageReason
from dispatch.selectors.triage import triage_page_list, triage_queue_ordered, triage_suggestions
from dispatch.services.returns import FLAG_AFTER_RETURNS
from portal.api.pagination import PagePagination
from portal.api.schema import errors


class RuleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()

    class Meta:
        ref_name = "TriageRule"


class SimilarUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="unit_id")
    code = serializers.CharField()
    name = serializers.CharField()
    orders = serializers.IntegerField(help_text="Orders of the same category it handled in the same street lately.")

    class Meta:
        ref_name = "TriageSimilarUnit"


class SuggestionSerializer(serializers.Serializer):
    rule = RuleSerializer(allow_null=True, help_text="The routing rule that would fire now, if any.")
    unit = UnitRefSerializer(allow_null=True, help_text="That rule's unit (units that returned the order left out).")
    similar = SimilarUnitSerializer(many=True, help_text="The units with the most similar orders in the street.")

    class Meta:
        ref_name = "TriageSuggestion"


class TriageQueueApi(APIView):
    pagination_class = PagePagination

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField(source="item.pk", help_text="The triage item.")
        tracking_number = serializers.CharField(source="item.complaint.tracking_number")
        status = serializers.ChoiceField(source="item.complaint.status", choices=ComplaintStatus.choices)
        version = serializers.IntegerField(
            source="item.complaint.version", help_text="Send it with a centre action on this order."
        )
        priority = serializers.ChoiceField(source="item.complaint.priority", choices=Priority.choices)
        demand_type = serializers.ChoiceField(source="item.complaint.demand_type", choices=DemandType.choices)
        channel = serializers.ChoiceField(source="item.complaint.channel", choices=Channel.choices)
        category = CategoryRefSerializer(source="item.complaint.category")
        place = PlaceSerializer(source="item.complaint.region")
        place_to_confirm = serializers.BooleanField(
            source="item.complaint.place_to_confirm", help_text="Only the district is known; confirm the place."
        )
        emergency_words = serializers.ListField(
            source="item.complaint.emergency_words",
            child=serializers.CharField(),
            help_text="The emergency words the resident wrote (such orders come first); empty for none.",
        )
        reason = serializers.ChoiceField(source="item.reason", choices=TriageReason.choices)
        reason_label = serializers.CharField(source="item.get_reason_display")
        note = serializers.CharField(source="item.note")
        waiting_since = serializers.DateTimeField(source="item.created_at")
        returns = serializers.IntegerField(source="item.returns", help_text="How many times units returned it.")
        flagged = serializers.SerializerMethodField(help_text="Returned often enough that routing keeps missing it.")
        suggestion = SuggestionSerializer()

        class Meta:
            ref_name = "TriageItem"

        def get_flagged(self, row) -> bool:
            return row["item"].returns >= FLAG_AFTER_RETURNS

    @extend_schema(
        summary="The triage queue",
        description="Open triage items, those with emergency words first, then oldest first, for the 12345 centre "
        "only (404 for anyone else). A bad filter value is a 400 naming it.",
        parameters=[
            OpenApiParameter(
                "demand_type", str, enum=DemandType.values, description="Only orders of this demand type."
            ),
            OpenApiParameter("channel", str, enum=Channel.values, description="Only orders that came in this way."),
        ],
        responses={200: OutputSerializer(many=True), **errors(400, 401, 404)},
    )
    def get(self, request):
        filterset = TriageFilter(request.query_params, queryset=triage_queue_ordered(user=request.user))
        if not filterset.is_valid():
            raise serializers.ValidationError({name: list(messages) for name, messages in filterset.errors.items()})
        items = triage_page_list(ordered=filterset.qs, unfiltered_for=None if filterset.is_filtered else request.user)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(items, request, view=self)
        suggestions = triage_suggestions(complaints=[item.complaint for item in page], now=timezone.now())
        rows = [{"item": item, "suggestion": suggestions[item.complaint_id]} for item in page]
        return paginator.get_paginated_response(self.OutputSerializer(rows, many=True).data)

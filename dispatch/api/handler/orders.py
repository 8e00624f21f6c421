"""An order as a member of staff sees it: the complaint, who has it and by when,
the summoned units, the requests for more time, the timeline, and the actions
this user may take now. The same reads as the order page, through the same door."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.models import Channel, ComplaintStatus, DemandType, EventKind, Priority
from dispatch.api.handler.serializers import (
    AssignmentSerializer,
    CategoryRefSerializer,
    PlaceSerializer,
    UnitRefSerializer,
)
from dispatch.models import ExtensionStatus, PersonalDataDoor, ReturnReason
from dispatch.selectors import OrderView, order_get_for, report_state, summoned_for
from dispatch.selectors.actions import ACTIONS, order_actions_for
from dispatch.selectors.extensions import extension_history
from dispatch.selectors.personal import order_timeline, resident_shown
from dispatch.selectors.triage import return_history
from dispatch.services.audit import personal_data_view_record_if_shown
from portal.api.schema import errors

TRACKING_NUMBER = OpenApiParameter("tracking_number", str, OpenApiParameter.PATH, description="The order's number.")
REPORT_STATES = ["reported", "reported_late", "late", "waiting", "not_reported"]


class ResidentSerializer(serializers.Serializer):
    name = serializers.CharField(allow_null=True, help_text="Masked unless you handle the order; null when hidden.")
    phone = serializers.CharField(help_text="Masked unless you handle the order.")
    email = serializers.CharField(allow_null=True, help_text="Only for those who handle the order.")
    masked = serializers.BooleanField()


class SummonsSerializer(AssignmentSerializer):
    """A unit summoned to help (吹哨报到) and where its report stands."""

    summons_message = serializers.CharField(help_text="What the lead unit asked for.")
    reported_at = serializers.DateTimeField(allow_null=True)
    report_note = serializers.CharField()
    report_state = serializers.ChoiceField(choices=REPORT_STATES)


class ExtensionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ExtensionStatus.choices)
    lapsed = serializers.BooleanField(help_text="Waiting on an assignment that is over: nobody can decide it now.")
    reason = serializers.CharField()
    previous_due = serializers.DateTimeField()
    requested_due = serializers.DateTimeField()
    requested_at = serializers.DateTimeField()
    requested_by = serializers.CharField(source="requested_by.get_username", allow_null=True, default=None)
    decided_at = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.CharField(source="decided_by.get_username", allow_null=True, default=None)
    decision_note = serializers.CharField()


class ReturnSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    returned_at = serializers.DateTimeField()
    reason = serializers.ChoiceField(source="return_reason", choices=ReturnReason.choices)
    note = serializers.CharField(source="return_note")


class EventSerializer(serializers.Serializer):
    """A line of the staff timeline, rendered in the request's language."""

    kind = serializers.ChoiceField(choices=EventKind.choices)
    fact = serializers.CharField(help_text="The kind's variant (`assigned`, `whistle_report`, … or `legacy`).")
    text = serializers.CharField(help_text="The line in the reader's language; text a person typed is verbatim.")
    public = serializers.BooleanField(help_text="Whether the resident sees this line.")
    is_public = serializers.BooleanField(source="public", help_text="The same as `public` (kept for old clients).")
    actor_label = serializers.CharField(source="actor", help_text="The unit, or '12345 centre', 'Resident', 'System'.")
    person = serializers.CharField(help_text="The member of staff who acted; empty for the portal and residents.")
    created_at = serializers.DateTimeField()


class OrderSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Order"

    tracking_number = serializers.CharField(source="complaint.tracking_number")
    status = serializers.ChoiceField(source="complaint.status", choices=ComplaintStatus.choices)
    version = serializers.IntegerField(
        source="complaint.version", help_text="The complaint's version (the 12345 centre's actions carry it)."
    )
    priority = serializers.ChoiceField(source="complaint.priority", choices=Priority.choices)
    channel = serializers.ChoiceField(source="complaint.channel", choices=Channel.choices)
    demand_type = serializers.ChoiceField(source="complaint.demand_type", choices=DemandType.choices)
    category = CategoryRefSerializer(source="complaint.category")
    place = PlaceSerializer(source="complaint.region")
    place_to_confirm = serializers.BooleanField(source="complaint.place_to_confirm")
    address = serializers.CharField(source="complaint.address")
    latitude = serializers.FloatField(source="complaint.latitude", allow_null=True)
    longitude = serializers.FloatField(source="complaint.longitude", allow_null=True)
    description = serializers.CharField(source="complaint.description")
    answers = serializers.DictField(
        source="complaint.answers", child=serializers.JSONField(), help_text="The category's questions: code → answer."
    )
    submitted_at = serializers.DateTimeField(source="complaint.submitted_at")
    resolved_at = serializers.DateTimeField(source="complaint.resolved_at", allow_null=True)
    closed_at = serializers.DateTimeField(source="complaint.closed_at", allow_null=True)
    resident = ResidentSerializer()
    assignment = AssignmentSerializer(
        allow_null=True, help_text="The lead unit's live assignment, else its latest; its version goes with actions."
    )
    summons = SummonsSerializer(
        allow_null=True, help_text="Your unit's own summons, when that is how you reach the order; report with it."
    )
    summoned = SummonsSerializer(many=True, help_text="Every unit the lead has summoned, first summoned first.")
    extensions = ExtensionSerializer(many=True, help_text="Requests for more time, newest first.")
    returns = ReturnSerializer(many=True, help_text="Units that returned the order (退单), oldest first.")
    timeline = EventSerializer(many=True, help_text="Every event, internal ones included, oldest first.")
    actions = serializers.ListField(
        source="actions.allowed",
        child=serializers.ChoiceField(choices=ACTIONS),
        help_text="What you may do now; each has its endpoint under this order.",
    )
    hand_down_targets = UnitRefSerializer(source="actions.hand_down_targets", many=True)
    whistle_targets = UnitRefSerializer(source="actions.whistle_targets", many=True)
    return_until = serializers.DateTimeField(source="actions.return_until", allow_null=True)


def order_data(*, user, view: OrderView) -> dict:
    """What OrderSerializer reads: the order page's reads, made once."""
    now = timezone.now()
    extensions = extension_history(assignment=view.assignment)
    summoned = summoned_for(lead=view.lead) if view.lead is not None else []
    summons = [view.co_handling] if view.co_handling is not None else []
    for co in [*summoned, *summons]:
        co.report_state = report_state(co=co, now=now)
    return {
        "complaint": view.complaint,
        "resident": resident_shown(view=view),
        "assignment": view.lead,
        "summons": view.co_handling,
        "summoned": summoned,
        "extensions": extensions,
        "returns": list(return_history(complaint_id=view.complaint.pk)),
        "timeline": order_timeline(view=view),
        "actions": order_actions_for(user=user, view=view, extensions=extensions, now=now),
    }


def order_response(*, user, view: OrderView) -> dict:
    """The order as the API answers it; every answer carrying the resident's full
    details (the read and each action's result) is written to the personal data log."""
    data = OrderSerializer(order_data(user=user, view=view)).data
    personal_data_view_record_if_shown(user=user, view=view, door=PersonalDataDoor.ORDER_API)
    return data


class OrderDetailApi(APIView):
    @extend_schema(
        operation_id="order_read",
        summary="An order with its timeline and the actions you may take",
        description=(
            "For the units handling the order (and those summoned to it), the 12345 centre, and supervisors "
            "of the units that hold it. Personal data is masked for supervisors. Anyone else gets 404, "
            "whether or not the order exists."
        ),
        parameters=[TRACKING_NUMBER],
        responses={200: OrderSerializer, **errors(401, 404)},
    )
    def get(self, request, tracking_number: str):
        view = order_get_for(user=request.user, tracking_number=tracking_number)
        return Response(order_response(user=request.user, view=view))

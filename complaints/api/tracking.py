"""POST /api/v1/complaints/track/: a complaint's public view, for the resident who
proves the tracking number with the phone's last four digits. POST, so the digits
stay out of URLs and access logs."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from complaints.api.common import BODY_ERRORS, ResidentApiView
from complaints.api.photo_links import ComplaintPhotosField
from complaints.forms import category_label
from complaints.models import Channel, DemandType
from complaints.selectors import complaint_track
from complaints.selectors.tracking import complaint_public_view, tracking_number_normal
from complaints.views.texts import LEAD_STATUS_HELP, STATUS_HELP, place_path
from portal.api.schema import errors
from portal.errors import NotFound


class ProofSerializer(serializers.Serializer):
    """The tracking number and the phone's last four digits, checked for form only:
    whether they match is the selector's answer, the same 404 for a wrong pair and
    for a number that does not exist."""

    class Meta:
        ref_name = "TrackingProof"

    tracking_number = serializers.CharField(max_length=40, help_text="Spaces and dashes are ignored.")
    phone_last4 = serializers.CharField(
        max_length=4,
        validators=[RegexValidator(r"^\d{4}$", _("Enter the last four digits of your phone."))],
        help_text="The last four digits of the phone given when filing.",
    )

    def validate_tracking_number(self, value: str) -> str:
        return tracking_number_normal(value)


def complaint_proven(request, serializer_class=ProofSerializer):
    """The input, and the complaint it proves; NotFound (404) when it proves none."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    complaint = complaint_track(tracking_number=data["tracking_number"], phone_last4=data["phone_last4"])
    if complaint is None:
        raise NotFound
    return complaint, data


class EventSerializer(serializers.Serializer):
    """A line of the public timeline, rendered in the request's language."""

    class Meta:
        ref_name = "PublicEvent"

    kind = serializers.CharField(help_text="What happened: submitted, assigned, resolved, rated, …")
    kind_display = serializers.CharField(source="kind_label", help_text="The kind in the reader's language.")
    text = serializers.CharField(help_text="The line in the reader's language; text a person typed is verbatim.")
    actor_label = serializers.CharField(
        source="actor", help_text="Who acted, as the resident sees it: a unit, '12345 centre', 'Resident', 'System'."
    )
    public = serializers.BooleanField(help_text="Always true here: the resident sees only public lines.")
    created_at = serializers.DateTimeField()


class LeadSerializer(serializers.Serializer):
    class Meta:
        ref_name = "FollowedOrder"

    tracking_number = serializers.CharField(source="lead.tracking_number")
    status = serializers.CharField(source="lead.status")
    status_display = serializers.CharField(source="lead.get_status_display")
    status_help = serializers.SerializerMethodField()
    timeline = EventSerializer(many=True, help_text="Its public lines, less those about its own resident.")
    rated = serializers.BooleanField(help_text="You have rated its result.")

    def get_status_help(self, progress) -> str:
        return str(LEAD_STATUS_HELP.get(progress.lead.status, ""))


class ComplaintTrackApi(ResidentApiView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ComplaintPublic"

        tracking_number = serializers.CharField(source="complaint.tracking_number")
        status = serializers.CharField(source="complaint.status")
        status_display = serializers.CharField(source="complaint.get_status_display")
        status_help = serializers.SerializerMethodField()
        submitted_at = serializers.DateTimeField(source="complaint.submitted_at")
        demand_type = serializers.ChoiceField(source="complaint.demand_type", choices=DemandType.choices)
        demand_type_display = serializers.CharField(
            source="complaint.get_demand_type_display", help_text="The demand type in the request's language."
        )
        channel = serializers.ChoiceField(
            source="complaint.channel", choices=Channel.choices, help_text="The door it came in through."
        )
        category = serializers.SerializerMethodField()
        place = serializers.SerializerMethodField(help_text="District, street, community names, outermost first.")
        address = serializers.CharField(source="complaint.address")
        description = serializers.CharField(source="complaint.description")
        photos = ComplaintPhotosField(source="complaint")
        timeline = EventSerializer(many=True)
        rejected_reason = serializers.CharField(help_text="Why it cannot be handled here; empty unless rejected.")
        can_rate = serializers.BooleanField(help_text="`POST /api/v1/complaints/rate/` is open now.")
        lead = LeadSerializer(
            source="follower", allow_null=True, help_text="For a complaint merged into another order: that order."
        )

        def get_status_help(self, view) -> str:
            return str(STATUS_HELP.get(view.complaint.status, ""))

        def get_category(self, view) -> str:
            category = view.complaint.category
            parts = [category.parent, category] if category.parent_id else [category]
            return " / ".join(category_label(c) for c in parts)

        def get_place(self, view) -> list[str]:
            return place_path(view.complaint.region)

    @extend_schema(
        operation_id="complaint_track",
        summary="Follow a complaint",
        description="A wrong pair and an unknown tracking number get the same 404.",
        tags=["resident"],
        request=ProofSerializer,
        responses={200: OutputSerializer, **errors(400, 404, 429), **BODY_ERRORS},
    )
    def post(self, request):
        complaint, _data = complaint_proven(request)
        return Response(self.OutputSerializer(complaint_public_view(complaint=complaint)).data)

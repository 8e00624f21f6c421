"""Asking for more time (延期). Deciding on it is the 12345 centre's and the
supervisors' (dispatch.api.centre)."""

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.views import APIView

from dispatch.api.handler.common import VersionedInput, action_done, action_schema, order_for_lead_action, parsed
from dispatch.selectors.actions import acting_assignment
from dispatch.services.extensions import extension_request, shown


class MoreTimeApi(APIView):
    class InputSerializer(VersionedInput):
        class Meta:
            ref_name = "OrderMoreTime"

        resolve_due = serializers.DateTimeField(
            help_text="The new resolution time (ISO 8601; without an offset it is Beijing time)."
        )
        reason = serializers.CharField(
            required=False, default="", allow_blank=True, help_text="Why more time is needed (required)."
        )

    @action_schema(
        operation_id="order_more_time",
        summary="Ask for more time to resolve",
        description="The 12345 centre or a supervisor of the unit decides. One request waits at a time; "
        "asking does not change the assignment's `version`.",
        request=InputSerializer,
    )
    def post(self, request, tracking_number: str):
        view = order_for_lead_action(user=request.user, tracking_number=tracking_number)
        data = parsed(self.InputSerializer, request)
        extension = extension_request(
            user=request.user,
            assignment_id=acting_assignment(view).pk,
            requested_due=data["resolve_due"],
            reason=data["reason"],
            version=data["version"],
        )
        detail = _("More time asked for, until %(due)s. The 12345 centre or a supervisor will decide.") % {
            "due": shown(extension.requested_due)
        }
        return action_done(request, tracking_number=tracking_number, detail=detail)

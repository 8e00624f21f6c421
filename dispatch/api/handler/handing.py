"""Where the work sits: hand it down to a community, take it back or hand it up,
or return the order to the 12345 centre (退单). The same services as the page."""

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.views import APIView

from dispatch.api.handler.common import (
    VersionedInput,
    action_done,
    action_schema,
    order_for_lead_action,
    parsed,
    template_field,
)
from dispatch.models import ReturnReason, TemplatePurpose
from dispatch.selectors.actions import acting_assignment, hand_down_target_find
from dispatch.selectors.reply_templates import order_text_with_template
from dispatch.services.assignments import assignment_hand_down, assignment_recall
from dispatch.services.returns import assignment_return


class HandDownApi(APIView):
    class InputSerializer(VersionedInput):
        class Meta:
            ref_name = "OrderHandDown"

        community = serializers.CharField(
            help_text="The community's unit code or id: one of the order's `hand_down_targets`."
        )

    @action_schema(
        operation_id="order_hand_down",
        summary="Hand the order down to a community",
        description="A street office passes the work to one of its communities; it stays accountable and "
        "the due times do not move.",
        request=InputSerializer,
    )
    def post(self, request, tracking_number: str):
        view = order_for_lead_action(user=request.user, tracking_number=tracking_number)
        data = parsed(self.InputSerializer, request)
        assignment = acting_assignment(view)
        community = hand_down_target_find(assignment=assignment, value=data["community"])
        assignment_hand_down(
            user=request.user, assignment_id=assignment.pk, community_id=community.pk, version=data["version"]
        )
        return action_done(
            request, tracking_number=tracking_number, detail=_("Handed down to %(unit)s.") % {"unit": community.name}
        )


class RecallApi(APIView):
    class InputSerializer(VersionedInput):
        class Meta:
            ref_name = "OrderRecall"

    @action_schema(
        operation_id="order_recall",
        summary="Take the order back, or hand it up",
        description="The work goes back to the accountable street office: the street takes it back, or the "
        "community hands it up. A community that hands it up no longer sees the order (`order` is null).",
        request=InputSerializer,
    )
    def post(self, request, tracking_number: str):
        view = order_for_lead_action(user=request.user, tracking_number=tracking_number)
        data = parsed(self.InputSerializer, request)
        assignment = assignment_recall(
            user=request.user, assignment_id=acting_assignment(view).pk, version=data["version"]
        )
        return action_done(
            request, tracking_number=tracking_number, detail=_("Back with %(unit)s.") % {"unit": assignment.holder.name}
        )


class ReturnApi(APIView):
    class InputSerializer(VersionedInput):
        class Meta:
            ref_name = "OrderReturn"

        reason = serializers.ChoiceField(choices=ReturnReason.choices, help_text="Why the order is not yours.")
        note = serializers.CharField(
            required=False,
            default="",
            allow_blank=True,
            help_text="For the 12345 centre; required when the reason is `other` (unless `template` gives it).",
        )
        template = template_field(TemplatePurpose.RETURN)

    @action_schema(
        operation_id="order_return",
        summary="Return the order to the 12345 centre (退单)",
        description="Only before signing for it, and only within the return window after assignment "
        "(the order's `return_until`).",
        request=InputSerializer,
    )
    def post(self, request, tracking_number: str):
        view = order_for_lead_action(user=request.user, tracking_number=tracking_number)
        data = parsed(self.InputSerializer, request)
        note = order_text_with_template(
            view=view, purpose=TemplatePurpose.RETURN, template_id=data["template"], text=data["note"]
        )
        assignment_return(
            user=request.user,
            assignment_id=acting_assignment(view).pk,
            reason=data["reason"],
            note=note,
            version=data["version"],
        )
        return action_done(request, tracking_number=tracking_number, detail=_("Returned to the 12345 centre."))

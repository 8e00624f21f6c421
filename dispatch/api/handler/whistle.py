"""Whistle to Respond (吹哨报到): the lead unit summons departments or utilities,
and each summoned unit reports what it did. The same services as the page."""

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.views import APIView

from dispatch.api.handler.common import (
    VersionedInput,
    action_done,
    action_schema,
    order_for_lead_action,
    order_for_report,
    parsed,
)
from dispatch.selectors.actions import reporting_summons, whistling_lead
from dispatch.services.whistle import whistle_blow, whistle_report

# A whistle summons a few units; a longer list is a client's mistake, not a request.
MAX_UNITS = 50


class WhistleApi(APIView):
    class InputSerializer(VersionedInput):
        class Meta:
            ref_name = "OrderWhistle"

        units = serializers.ListField(
            child=serializers.IntegerField(min_value=1),
            max_length=MAX_UNITS,
            help_text="Unit ids to summon: some of the order's `whistle_targets`.",
        )
        message = serializers.CharField(
            required=False, default="", allow_blank=True, help_text="What the summoned units are needed for (required)."
        )

    @action_schema(
        operation_id="order_whistle",
        summary="Blow the whistle: summon departments or utilities",
        description="Each summoned unit gets the order in its own queue and must report within the policy's "
        "time (30 minutes unless set otherwise). All or nothing: one unit that cannot be summoned refuses "
        "the whole call, naming it. Your unit stays in charge and resolves the order.",
        request=InputSerializer,
    )
    def post(self, request, tracking_number: str):
        view = order_for_lead_action(user=request.user, tracking_number=tracking_number)
        data = parsed(self.InputSerializer, request)
        summoned = whistle_blow(
            user=request.user,
            assignment_id=whistling_lead(view).pk,
            unit_ids=data["units"],
            message=data["message"],
            version=data["version"],
        )
        detail = _("Summoned: %(units)s.") % {"units": ", ".join(co.unit.name for co in summoned)}
        return action_done(request, tracking_number=tracking_number, detail=detail)


class WhistleReportApi(APIView):
    class InputSerializer(VersionedInput):
        class Meta:
            ref_name = "OrderWhistleReport"

        note = serializers.CharField(
            required=False,
            default="",
            allow_blank=True,
            help_text="What your unit has done (required). Internal: the resident does not see it.",
        )
        publish = serializers.BooleanField(
            required=False,
            default=False,
            help_text="Also tell the resident, on the public timeline, that your unit has reported.",
        )
        public_line = serializers.CharField(
            required=False,
            default="",
            allow_blank=True,
            max_length=500,
            help_text="With `publish`: an optional line for the resident. The resident sees it.",
        )

    @action_schema(
        operation_id="order_whistle_report",
        summary="Report (报到) as a summoned unit",
        description="Only a unit summoned to the order reports, once, with its summons' `version` "
        "(the order's `summons.version`).",
        request=InputSerializer,
    )
    def post(self, request, tracking_number: str):
        view = order_for_report(user=request.user, tracking_number=tracking_number)
        data = parsed(self.InputSerializer, request)
        whistle_report(
            user=request.user,
            assignment_id=reporting_summons(view).pk,
            note=data["note"],
            version=data["version"],
            publish=data["publish"],
            public_line=data["public_line"],
        )
        return action_done(request, tracking_number=tracking_number, detail=_("Reported. The lead unit can see it."))

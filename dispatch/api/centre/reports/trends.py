from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dispatch.api.centre.reports.common import ERRORS, UNIT_PARAMETER, ScopeSerializer, checked, scope_of
from dispatch.forms.reports import TRENDS_DEFAULT_DAYS, TrendsForm
from dispatch.reports.breakdown import received_breakdown
from dispatch.reports.trends import BY_DAY, BY_WEEK, trend_rows


class TrendRowSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="The day, or the Monday of the ISO week.")
    label = serializers.CharField(help_text="2026-11-26, or 2026-W48.")
    orders_in = serializers.IntegerField(help_text="Assignments made (a reopened or re-dispatched order comes again).")
    closed = serializers.IntegerField(help_text="Assignments resolved.")
    missed = serializers.IntegerField(help_text="Contact and resolution deadlines that fell in it and were missed.")

    class Meta:
        ref_name = "TrendRow"


class ShareSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The demand type's or channel's code.")
    label = serializers.CharField(help_text="Its name in the request's language.")
    count = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True, help_text="Per cent of the orders received; null when none were.")

    class Meta:
        ref_name = "ReceivedShare"


class BreakdownSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Orders received in the range, each counted once.")
    demand_types = ShareSerializer(many=True, help_text="Every demand type, zeros included.")
    channels = ShareSerializer(many=True, help_text="Every channel, zeros included.")

    class Meta:
        ref_name = "ReceivedBreakdown"


class TrendsReportApi(APIView):
    class OutputSerializer(serializers.Serializer):
        scope = ScopeSerializer()
        by = serializers.ChoiceField(choices=[BY_DAY, BY_WEEK])
        rows = TrendRowSerializer(many=True, help_text="Every day or week of the range, zeros included.")
        breakdown = BreakdownSerializer(
            help_text="Demands filed in the range by demand type and by channel: city-wide every one (those "
            "answered directly on the call included); for a part of the city, those a unit in it was made lead of."
        )

        class Meta:
            ref_name = "TrendsReport"

        def get_fields(self):
            # "from" is a Python keyword, so the range is added here rather than declared.
            return {"from": serializers.DateField(), "to": serializers.DateField(), **super().get_fields()}

    @extend_schema(
        summary="Trends",
        description="Orders in, closed and deadlines missed, per Beijing day or ISO week; and the orders received "
        "in the range by demand type and by channel.",
        parameters=[
            OpenApiParameter(
                "from", str, description=f"YYYY-MM-DD; default {TRENDS_DEFAULT_DAYS - 1} days before `to`."
            ),
            OpenApiParameter("to", str, description="YYYY-MM-DD; default today (Beijing time)."),
            OpenApiParameter("by", str, enum=[BY_DAY, BY_WEEK], description=f"Default `{BY_DAY}`."),
            UNIT_PARAMETER,
        ],
        responses={200: OutputSerializer, **ERRORS},
    )
    def get(self, request):
        scope = scope_of(request)
        now = timezone.now()
        params = checked(TrendsForm, request, now=now)
        rows = trend_rows(scope=scope, first=params["from"], last=params["to"], by=params["by"], now=now)
        breakdown = received_breakdown(scope=scope, first=params["from"], last=params["to"])
        report = {
            "from": params["from"],
            "to": params["to"],
            "by": params["by"],
            "scope": scope,
            "rows": rows,
            "breakdown": breakdown,
        }
        return Response(self.OutputSerializer(report).data)

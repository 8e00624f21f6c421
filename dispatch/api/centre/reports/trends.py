from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dispatch.api.centre.reports.common import ERRORS, UNIT_PARAMETER, ScopeSerializer, checked, scope_of
from dispatch.forms.reports import TRENDS_DEFAULT_DAYS, TrendsForm
from dispatch.reports.trends import BY_DAY, BY_WEEK, trend_rows


class TrendRowSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="The day, or the Monday of the ISO week.")
    label = serializers.CharField(help_text="2026-11-26, or 2026-W48.")
    orders_in = serializers.IntegerField(help_text="Assignments made (a reopened or re-dispatched order comes again).")
    closed = serializers.IntegerField(help_text="Assignments resolved.")
    missed = serializers.IntegerField(help_text="Contact and resolution deadlines that fell in it and were missed.")

    class Meta:
        ref_name = "TrendRow"


class TrendsReportApi(APIView):
    class OutputSerializer(serializers.Serializer):
        scope = ScopeSerializer()
        by = serializers.ChoiceField(choices=[BY_DAY, BY_WEEK])
        rows = TrendRowSerializer(many=True, help_text="Every day or week of the range, zeros included.")

        class Meta:
            ref_name = "TrendsReport"

        def get_fields(self):
            # "from" is a Python keyword, so the range is added here rather than declared.
            return {"from": serializers.DateField(), "to": serializers.DateField(), **super().get_fields()}

    @extend_schema(
        summary="Trends",
        description="Orders in, closed and deadlines missed, per Beijing day or ISO week.",
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
        report = {"from": params["from"], "to": params["to"], "by": params["by"], "scope": scope, "rows": rows}
        return Response(self.OutputSerializer(report).data)

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dispatch.api.centre.reports.common import ERRORS, UNIT_PARAMETER, ScopeSerializer, checked, scope_of
from dispatch.forms.reports import HotspotsForm
from dispatch.reports.hotspots import category_rises, street_rises


class RiseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="key", help_text="The top-level category's or the street's id.")
    name = serializers.CharField()
    previous = serializers.IntegerField(help_text="New orders the month before.")
    current = serializers.IntegerField(help_text="New orders in the month.")
    change = serializers.IntegerField()
    percent = serializers.SerializerMethodField(help_text="Rise in per cent, one decimal; null: nothing before.")

    class Meta:
        ref_name = "HotspotRise"

    def get_percent(self, rise) -> float | None:
        return None if rise.percent is None else round(rise.percent, 1)


class HotspotsReportApi(APIView):
    class OutputSerializer(serializers.Serializer):
        scope = ScopeSerializer()
        month = serializers.CharField(help_text="YYYY-MM, Beijing time.")
        previous_month = serializers.CharField()
        categories = RiseSerializer(many=True, help_text="Top-level categories that rose most, largest first.")
        streets = RiseSerializer(many=True, help_text="Streets that rose most, largest first.")

        class Meta:
            ref_name = "HotspotsReport"

    @extend_schema(
        summary="Hot spots",
        description="The categories and streets whose new orders rose most against the previous month.",
        parameters=[
            OpenApiParameter("month", str, description="YYYY-MM; default this month (Beijing time)."),
            UNIT_PARAMETER,
        ],
        responses={200: OutputSerializer, **ERRORS},
    )
    def get(self, request):
        scope = scope_of(request)
        month = checked(HotspotsForm, request, now=timezone.now())["month"]
        report = {
            "scope": scope,
            "month": str(month),
            "previous_month": str(month.previous),
            "categories": category_rises(scope=scope, month=month),
            "streets": street_rises(scope=scope, month=month),
        }
        return Response(self.OutputSerializer(report).data)

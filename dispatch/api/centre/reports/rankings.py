from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dispatch.api.centre.reports.common import (
    ERRORS,
    PAGE_PARAMETERS,
    UNIT_PARAMETER,
    PageSerializer,
    ScopeSerializer,
    checked,
    page_envelope,
    scope_of,
)
from dispatch.api.handler.serializers import UnitRefSerializer
from dispatch.forms.reports import RankingsForm
from dispatch.models import UnitKind
from dispatch.reports.formulas import current_weights, formula_texts
from dispatch.reports.rankings import RANKED_KINDS, unit_rankings
from portal.api.pagination import PagePagination

PERCENT = "Per cent, one decimal; null when there was nothing to divide by."


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True, help_text="Equal scores share a rank; null: no data, unranked.")
    unit = UnitRefSerializer()
    composite = serializers.FloatField(source="composite_pct", allow_null=True, help_text=PERCENT)
    response_rate = serializers.FloatField(source="response_pct", allow_null=True, help_text=PERCENT)
    resolution_rate = serializers.FloatField(source="resolution_pct", allow_null=True, help_text=PERCENT)
    satisfaction_rate = serializers.FloatField(source="satisfaction_pct", allow_null=True, help_text=PERCENT)
    whistle_response_rate = serializers.FloatField(source="whistle_response_pct", allow_null=True, help_text=PERCENT)
    due = serializers.IntegerField(help_text="Contact deadlines that fell in the month (up to now).")
    met = serializers.IntegerField(help_text="… of which the resident was contacted in time.")
    received = serializers.IntegerField()
    resolved = serializers.IntegerField()
    overdue_now = serializers.IntegerField()
    reopened = serializers.IntegerField()
    returned = serializers.IntegerField()
    summoned = serializers.IntegerField(help_text="Whistle summonses whose report deadline fell in the month.")
    reported_in_time = serializers.IntegerField()
    extensions = serializers.IntegerField(help_text="Extensions approved in the month.")
    rated = serializers.IntegerField()
    solved = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    basically = serializers.IntegerField(help_text="Ratings of “basically satisfied”.")

    class Meta:
        ref_name = "RankingRow"


class WeightsSerializer(serializers.Serializer):
    response = serializers.FloatField()
    resolution = serializers.FloatField()
    satisfaction = serializers.FloatField()
    satisfied = serializers.FloatField(help_text="Weight of a “satisfied” rating in the satisfaction rate.")
    basically = serializers.FloatField(help_text="Weight of a “basically satisfied” rating.")

    class Meta:
        ref_name = "RankingWeights"


class FormulasSerializer(serializers.Serializer):
    response = serializers.CharField()
    resolution = serializers.CharField()
    satisfaction = serializers.CharField()
    composite = serializers.CharField()

    class Meta:
        ref_name = "RankingFormulas"


class RankingsReportApi(APIView):
    pagination_class = PagePagination

    class OutputSerializer(PageSerializer):
        scope = ScopeSerializer()
        month = serializers.CharField(help_text="YYYY-MM, Beijing time.")
        kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in RANKED_KINDS])
        kind_label = serializers.CharField()
        weights = WeightsSerializer()
        formulas = FormulasSerializer(help_text="How each rate is computed, in the reader's language.")
        results = RankingRowSerializer(many=True, help_text="Best first, ranked across the whole scope.")

        class Meta:
            ref_name = "RankingsReport"

    @extend_schema(
        summary="Monthly rankings",
        description="The units of one kind in your part of the city, ranked by the composite of the three rates.",
        parameters=[
            OpenApiParameter("month", str, description="YYYY-MM; default this month (Beijing time)."),
            OpenApiParameter("kind", str, enum=[k.value for k in RANKED_KINDS], description="Default `street_office`."),
            UNIT_PARAMETER,
            *PAGE_PARAMETERS,
        ],
        responses={200: OutputSerializer, **ERRORS},
    )
    def get(self, request):
        scope = scope_of(request)
        now = timezone.now()
        params = checked(RankingsForm, request, now=now)
        rows = unit_rankings(scope=scope, kind=params["kind"], month=params["month"], now=now)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        weights = current_weights()
        report = {
            **page_envelope(paginator),
            "scope": scope,
            "month": str(params["month"]),
            "kind": params["kind"],
            "kind_label": UnitKind(params["kind"]).label,
            "weights": weights,
            "formulas": formula_texts(weights),
            "results": page,
        }
        return Response(self.OutputSerializer(report).data)

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.models import Channel, DemandType
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
from dispatch.forms.reports import OverdueForm
from dispatch.models import AssignmentStatus
from dispatch.reports.overdue import DEFAULT_SORT, SORTS, overdue_now, overdue_summary
from dispatch.templatetags.desk import place
from portal.api.pagination import PagePagination


class OverdueRowSerializer(serializers.Serializer):
    """One overdue order, as the page and its export list it: no resident's personal data."""

    tracking_number = serializers.CharField(source="complaint.tracking_number")
    unit = serializers.CharField(source="unit.name", help_text="The accountable unit.")
    unit_id = serializers.IntegerField()
    holder = serializers.CharField(source="holder.name", help_text="Who works it now.")
    category = serializers.CharField(source="complaint.category")
    demand_type = serializers.ChoiceField(source="complaint.demand_type", choices=DemandType.choices)
    channel = serializers.ChoiceField(source="complaint.channel", choices=Channel.choices)
    place = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=AssignmentStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    was_due = serializers.DateTimeField(source="next_due")
    hours_overdue = serializers.SerializerMethodField()

    class Meta:
        ref_name = "OverdueRow"

    def get_place(self, assignment) -> str:
        return place(assignment.complaint.region)

    def get_hours_overdue(self, assignment) -> float:
        return round((self.context["now"] - assignment.next_due).total_seconds() / 3600, 1)


class OverdueUnitSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField()
    unit = serializers.CharField(source="unit__name")
    count = serializers.IntegerField()
    oldest_due = serializers.DateTimeField()

    class Meta:
        ref_name = "OverdueUnit"


class OverdueReportApi(APIView):
    pagination_class = PagePagination

    class OutputSerializer(PageSerializer):
        scope = ScopeSerializer()
        sort = serializers.ChoiceField(choices=list(SORTS))
        summary = OverdueUnitSerializer(many=True, help_text="Per accountable unit: how many, and the oldest.")
        results = OverdueRowSerializer(many=True)

        class Meta:
            ref_name = "OverdueReport"

    @extend_schema(
        summary="Overdue now",
        description="Every open order past its next due time in your part of the city, with a count per unit.",
        parameters=[
            OpenApiParameter("sort", str, enum=list(SORTS), description=f"Row order; default `{DEFAULT_SORT}`."),
            OpenApiParameter(
                "demand_type", str, enum=DemandType.values, description="Only orders of this demand type."
            ),
            OpenApiParameter("channel", str, enum=Channel.values, description="Only orders that came in this way."),
            UNIT_PARAMETER,
            *PAGE_PARAMETERS,
        ],
        responses={200: OutputSerializer, **ERRORS},
    )
    def get(self, request):
        scope = scope_of(request)
        now = timezone.now()
        params = checked(OverdueForm, request, now=now)
        sort, kinds = params["sort"], {"demand_type": params["demand_type"], "channel": params["channel"]}
        paginator = self.pagination_class()
        rows = paginator.paginate_queryset(overdue_now(scope=scope, now=now, sort=sort, **kinds), request, view=self)
        report = {
            **page_envelope(paginator),
            "scope": scope,
            "sort": sort,
            "summary": list(overdue_summary(scope=scope, now=now, **kinds)),
            "results": rows,
        }
        return Response(self.OutputSerializer(report, context={"now": now}).data)

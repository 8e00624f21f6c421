"""A handler unit's queue of open orders: filtered in SQL, cursor-paginated, so a
page costs the same at any depth and whatever the queue's length."""

from django.db.models.functions import Coalesce
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from complaints.models import Channel, DemandType, Priority
from dispatch.api.handler.filters import DEFAULT_ORDERING, ORDERINGS, QueueFilterSet
from dispatch.api.handler.serializers import AssignmentSerializer, CategoryRefSerializer, PlaceSerializer
from dispatch.models import Assignment, Unit
from dispatch.selectors import queue_for
from dispatch.selectors.attached import attach_to_complaints_of
from dispatch.selectors.desk import queue_rows, with_urgency
from dispatch.selectors.paging import joined_like
from portal.api.pagination import DueCursorPagination
from portal.api.schema import errors
from portal.errors import NotFound

# The cursor needs a due time on every row: a summoned unit that has reported owes nothing more.
DUE_ORDER = Coalesce("next_due", "resolve_due")


class QueueCursorPagination(DueCursorPagination):
    """The cursor follows the `ordering` the filter set has already checked."""

    def get_ordering(self, request, queryset, view):
        return ORDERINGS.get(request.query_params.get("ordering") or DEFAULT_ORDERING, ORDERINGS[DEFAULT_ORDERING])


class QueueFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend, which builds and validates the filter set on every request,
    even one that names no filter (where every filter is a no-op): building its form
    copies each field and its choices, a tenth of the list's time. Such a request's
    queryset is the filter set's own."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not any(
            key.startswith(name) for key in request.query_params for name in filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


class UnitQueueApi(ListAPIView):
    class OutputSerializer(AssignmentSerializer):
        class Meta:
            ref_name = "QueueRow"

        tracking_number = serializers.CharField(source="complaint.tracking_number")
        category = CategoryRefSerializer(source="complaint.category")
        place = PlaceSerializer(source="complaint.region")
        priority = serializers.ChoiceField(source="complaint.priority", choices=Priority.choices)
        demand_type = serializers.ChoiceField(source="complaint.demand_type", choices=DemandType.choices)
        channel = serializers.ChoiceField(source="complaint.channel", choices=Channel.choices)
        urgency = serializers.ChoiceField(
            choices=[("overdue", "overdue"), ("due_soon", "due_soon"), ("", "")],
            help_text="overdue: past its next due time; due_soon: due within the portal's warning time; else empty.",
        )

    serializer_class = OutputSerializer
    pagination_class = QueueCursorPagination
    filter_backends = [QueueFilterBackend]
    filterset_class = QueueFilterSet
    queryset = Assignment.objects.none()  # the schema's model; get_queryset is the door

    @extend_schema(
        operation_id="unit_queue",
        summary="A unit's open orders",
        description="Those it is accountable for and those handed down to it, summonses included "
        "(`role` co_handler). Earliest due first unless `ordering` says otherwise. 404 for a unit you do "
        "not handle.",
        parameters=[OpenApiParameter("unit_id", int, OpenApiParameter.PATH, description="The unit's id.")],
        responses={200: OutputSerializer(many=True), **errors(400, 401, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        unit = Unit.objects.filter(pk=self.kwargs["unit_id"]).first()
        if unit is None:
            raise NotFound
        # The page is read from the assignments alone; its rows are joined after (paginate_queryset).
        assignments = queue_for(user=self.request.user, unit=unit).select_related(None).annotate(due_order=DUE_ORDER)
        self.now = timezone.now()
        return with_urgency(assignments, now=self.now)

    def paginate_queryset(self, queryset):
        """The page first, from the assignments alone (the cursor needs nothing else),
        then its rows joined to their complaints: the cost does not grow with the queue."""
        page = super().paginate_queryset(queryset)
        rows = joined_like(queue_rows(now=self.now).annotate(due_order=DUE_ORDER), page)
        attach_to_complaints_of(rows)
        return rows

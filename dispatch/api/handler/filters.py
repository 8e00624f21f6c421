"""The queue's filters for API clients. Unlike the page's QueueFilter, a bad value
is a 400 with the field's message, never silently dropped: a client that sends
one has a bug it should hear about."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from complaints.models import Category, Channel, DemandType, Priority, Region, RegionLevel
from dispatch.models import ACTIVE_STATUSES, Assignment

# `ordering` value → the cursor's ordering; the annotation `due_order` is next_due,
# or the resolution due time once nothing else is due (a summoned unit that has
# reported), so the cursor never has to compare against an empty due time.
ORDERINGS = {
    "next_due": ("due_order", "pk"),
    "-next_due": ("-due_order", "-pk"),
    "assigned_at": ("assigned_at", "pk"),
    "-assigned_at": ("-assigned_at", "-pk"),
}
DEFAULT_ORDERING = "next_due"

TRUE, FALSE = ("true", "1"), ("false", "0")


class StrictBooleanField(forms.Field):
    """`true`/`false` (or 1/0); anything else is an error, not "no filter"."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise forms.ValidationError(_("Give true or false."))


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class QueueFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=[(s.value, s.label) for s in ACTIVE_STATUSES])
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(),
        to_field_name="code",
        method="filter_category",
        help_text="A category code; a top-level category matches its sub-categories too.",
    )
    community = django_filters.ModelChoiceFilter(
        queryset=Region.objects.filter(level=RegionLevel.COMMUNITY),
        to_field_name="code",
        method="filter_community",
        help_text="A community's division code: orders placed there.",
    )
    priority = django_filters.ChoiceFilter(field_name="complaint__priority", choices=Priority.choices)
    demand_type = django_filters.ChoiceFilter(
        field_name="complaint__demand_type", choices=DemandType.choices, help_text="Only orders of this demand type."
    )
    channel = django_filters.ChoiceFilter(
        field_name="complaint__channel", choices=Channel.choices, help_text="Only orders that came in this way."
    )
    overdue = StrictBooleanFilter(
        method="filter_overdue", help_text="true: only orders past their next due time; false: only the others."
    )
    due_before = django_filters.IsoDateTimeFilter(
        field_name="next_due", lookup_expr="lt", help_text="Next due time before this moment (ISO 8601)."
    )
    due_after = django_filters.IsoDateTimeFilter(
        field_name="next_due", lookup_expr="gte", help_text="Next due time at or after this moment (ISO 8601)."
    )
    # Checked here, applied by the cursor pagination (which must know the ordering).
    ordering = django_filters.ChoiceFilter(
        choices=[(key, key) for key in ORDERINGS],
        method="filter_ordering",
        help_text="next_due (the default), -next_due, assigned_at or -assigned_at.",
    )

    class Meta:
        model = Assignment
        fields = []

    def filter_category(self, queryset, name, value: Category):
        if value.parent_id is None:
            # The taxonomy has two levels: a group matches itself and its children.
            return queryset.filter(Q(complaint__category=value) | Q(complaint__category__parent=value))
        return queryset.filter(complaint__category=value)

    def filter_community(self, queryset, name, value: Region):
        return queryset.filter(complaint__region__code__startswith=value.code)

    def filter_overdue(self, queryset, name, value: bool):
        # The same test as the urgency column (dispatch.selectors.desk.with_urgency).
        if value:
            return queryset.filter(urgency="overdue")
        return queryset.exclude(urgency="overdue")

    def filter_ordering(self, queryset, name, value: str):
        return queryset

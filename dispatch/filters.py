"""Filters of the unit queue. Applied in SQL to the selector's queryset; a field
with a bad value shows its error and is left out, so the list never shows garbage."""

import django_filters
from django.utils.translation import gettext_lazy as _

from complaints.models import Channel, DemandType
from complaints.services.categories import category_tree
from dispatch.forms.list_filters import ListFilterForm
from dispatch.models import ACTIVE_STATUSES, Assignment, TriageItem, Unit
from dispatch.selectors.desk import community_choices_of


def _category_groups() -> list[tuple[str, str]]:
    """Every top-level category (code, name), in the form's order, from the process's copy of the tree."""
    return [
        (category.code, str(category)) for category in category_tree().by_code.values() if category.parent_id is None
    ]


class QueueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=[(s.value, s.label) for s in ACTIVE_STATUSES], empty_label=_("Any")
    )
    group = django_filters.ChoiceFilter(
        label=_("Category"), choices=_category_groups, method="filter_group", empty_label=_("Any")
    )
    community = django_filters.ChoiceFilter(label=_("Community"), method="filter_community", empty_label=_("Any"))
    demand_type = django_filters.ChoiceFilter(
        label=_("Demand type"), field_name="complaint__demand_type", choices=DemandType.choices, empty_label=_("Any")
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), field_name="complaint__channel", choices=Channel.choices, empty_label=_("Any")
    )

    class Meta:
        model = Assignment
        fields = []
        form = ListFilterForm

    def __init__(self, data=None, queryset=None, *, unit: Unit, **kwargs):
        super().__init__(data, queryset, **kwargs)
        communities = community_choices_of(unit=unit)
        if communities:
            self.filters["community"].extra["choices"] = communities
        else:
            # Only a street office splits its work by community.
            del self.filters["community"]

    def filter_group(self, queryset, name, value):
        tree = category_tree()
        group = tree.by_code.get(value)
        if group is None:
            return queryset
        # The taxonomy has two levels: a group matches itself and its children (on the
        # complaints' own column, no join to the categories).
        members = [group.pk, *(child.pk for child in tree.children.get(group.pk, ()))]
        return queryset.filter(complaint__category_id__in=members)

    def filter_community(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(complaint__region__code__startswith=value)


class TriageFilter(django_filters.FilterSet):
    """Filters of the triage queue, page and API alike: what kind of demand, and how it came in."""

    demand_type = django_filters.ChoiceFilter(
        label=_("Demand type"),
        field_name="complaint__demand_type",
        choices=DemandType.choices,
        empty_label=_("Any"),
        help_text=_("Only orders of this demand type."),
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"),
        field_name="complaint__channel",
        choices=Channel.choices,
        empty_label=_("Any"),
        help_text=_("Only orders that came in this way."),
    )

    class Meta:
        model = TriageItem
        fields = []
        form = ListFilterForm

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.form.fields)

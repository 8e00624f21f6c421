"""Overdue now: every open assignment past its next due time, in the scope."""

from datetime import datetime

from django.db.models import Count, Min, QuerySet

from dispatch.models import Assignment
from dispatch.reports.scope import ReportScope

# ?sort= value → ORDER BY. "overdue" (the default) puts the longest overdue first.
SORTS = {
    "overdue": ("next_due", "pk"),
    "unit": ("unit__path", "next_due", "pk"),
    "category": ("complaint__category__code", "next_due", "pk"),
}
DEFAULT_SORT = "overdue"


def sort_key(value: str | None) -> str:
    """The requested sort if it is one we offer, else the default (never an error)."""
    return value if value in SORTS else DEFAULT_SORT


def _overdue(*, scope: ReportScope, now: datetime, demand_type: str, channel: str) -> QuerySet[Assignment]:
    """`next_due` is empty once an assignment is met or closed, so "past it" means open
    and overdue. An empty demand type or channel means any."""
    assignments = Assignment.objects.filter(scope.q(), next_due__lt=now)
    if demand_type:
        assignments = assignments.filter(complaint__demand_type=demand_type)
    if channel:
        assignments = assignments.filter(complaint__channel=channel)
    return assignments


def overdue_now(
    *, scope: ReportScope, now: datetime, sort: str = DEFAULT_SORT, demand_type: str = "", channel: str = ""
) -> QuerySet[Assignment]:
    return (
        _overdue(scope=scope, now=now, demand_type=demand_type, channel=channel)
        .select_related("complaint__category__parent", "complaint__region__parent", "unit", "holder")
        .order_by(*SORTS[sort_key(sort)])
    )


def overdue_summary(*, scope: ReportScope, now: datetime, demand_type: str = "", channel: str = "") -> QuerySet:
    """One row per accountable unit: how many overdue orders, and the oldest due time.
    Counting `*` rather than the id lets the open-due index (which carries the unit)
    answer without the table, unless a demand type or channel is asked for."""
    return (
        _overdue(scope=scope, now=now, demand_type=demand_type, channel=channel)
        .order_by()
        .values("unit_id", "unit__name", "unit__path")
        .annotate(count=Count("*"), oldest_due=Min("next_due"))
        .order_by("-count", "unit__path")
    )

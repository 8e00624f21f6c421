"""Trends: orders in, closed, and deadlines missed, per Beijing day or ISO week.

- in:     assignments created in the scope (a reopened or re-dispatched order comes in again);
- closed: assignments resolved (shown as "Resolved by the unit": residents read
  "closed" as the order's end, after their rating);
- missed: deadlines that fell in the period and were not met by then, a missed
          contact deadline and a missed resolution deadline counting once each;
          only deadlines already past, and not those of re-dispatched assignments.

Four GROUP BY queries (one per series, two for the two kinds of deadline); every
day or week of the range gets a row, with zeros where nothing happened. Each
reads a range of its own date column's index (Assignment.Meta.indexes), which
carries the unit and the times compared, so a short range never reads the table
and counting `*` rather than the id lets it come from the index alone.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDay, TruncWeek

from dispatch.models import Assignment, AssignmentRole, AssignmentStatus
from dispatch.reports.periods import BEIJING, day_start, week_start
from dispatch.reports.scope import ReportScope

BY_DAY, BY_WEEK = "day", "week"


@dataclass(frozen=True)
class TrendRow:
    start: date
    label: str
    orders_in: int
    closed: int
    missed: int


def trend_rows(*, scope: ReportScope, first: date, last: date, by: str, now: datetime) -> list[TrendRow]:
    start, end = day_start(first), day_start(last + timedelta(days=1))
    trunc = TruncWeek if by == BY_WEEK else TruncDay
    base = Assignment.objects.filter(scope.q(), role=AssignmentRole.LEAD)
    live = ~Q(status=AssignmentStatus.SUPERSEDED)
    until = min(end, now)

    def per_period(field: str, *conditions: Q, upper: datetime = end) -> dict[date, int]:
        rows = (
            base.filter(*conditions, **{f"{field}__gte": start, f"{field}__lt": upper})
            .order_by()
            .annotate(period=trunc(field, tzinfo=BEIJING))
            .values("period")
            .annotate(n=Count("*"))
        )
        return {row["period"].astimezone(BEIJING).date(): row["n"] for row in rows}

    orders_in = per_period("assigned_at")
    closed = per_period("resolved_at")
    contact_missed = per_period(
        "contact_due", live, Q(contacted_at__isnull=True) | Q(contacted_at__gt=F("contact_due")), upper=until
    )
    resolve_missed = per_period(
        "resolve_due", live, Q(resolved_at__isnull=True) | Q(resolved_at__gt=F("resolve_due")), upper=until
    )
    return [
        TrendRow(
            start=period,
            label=_label(period, by=by),
            orders_in=orders_in.get(period, 0),
            closed=closed.get(period, 0),
            missed=contact_missed.get(period, 0) + resolve_missed.get(period, 0),
        )
        for period in periods(first=first, last=last, by=by)
    ]


def periods(*, first: date, last: date, by: str) -> list[date]:
    """The first day of every day or ISO week (its Monday) that the range touches."""
    step = timedelta(days=7 if by == BY_WEEK else 1)
    current = week_start(first) if by == BY_WEEK else first
    out = []
    while current <= last:
        out.append(current)
        current += step
    return out


def _label(period: date, *, by: str) -> str:
    if by == BY_WEEK:
        year, week, _ = period.isocalendar()
        return f"{year}-W{week:02d}"
    return period.isoformat()

"""Trends: orders in, closed, and deadlines missed, per Beijing day or ISO week.

- in:     assignments created in the scope (a reopened or re-dispatched order comes in again);
- closed: assignments resolved (shown as "Resolved by the unit": residents read
  "closed" as the order's end, after their rating);
- missed: deadlines that fell in the period and were not met by then, a missed
          contact deadline and a missed resolution deadline counting once each;
          only deadlines already past, and not those of re-dispatched assignments.

The summed days come from the rollup, one row a day for the scope's subtree (a
scope of several subtrees adds their rows); the other days (today, a day changed
since the last refresh) are counted live, by four GROUP BY queries (one per
series, two for the two kinds of deadline) over those days only. Each reads a
range of its own date column's index (Assignment.Meta.indexes), which carries the
unit and the times compared, so it never reads the table, and counting `*`
rather than the id lets it come from the index alone. Every day or week of the
range gets a row, with zeros where nothing happened.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Q, Sum

from dispatch.models import Assignment, RollupTrendDay
from dispatch.reports.periods import BeijingDate, week_start
from dispatch.reports.rankings import LEAD, NOT_REDISPATCHED, received_q, resolved_q
from dispatch.reports.rollup.days import DaySplit, all_live, cut_at, day_split, days_q, in_windows, subtree_roots
from dispatch.reports.scope import ReportScope

BY_DAY, BY_WEEK = "day", "week"
SERIES = ("orders_in", "closed", "contact_missed", "resolve_missed")
CONTACT_MISSED = Q(contacted_at__isnull=True) | Q(contacted_at__gt=F("contact_due"))
RESOLVE_MISSED = Q(resolved_at__isnull=True) | Q(resolved_at__gt=F("resolve_due"))


@dataclass(frozen=True)
class TrendRow:
    start: date
    label: str
    orders_in: int
    closed: int
    missed: int


def contact_missed_q(windows) -> Q:
    """Contact deadlines in the windows (cut at now) not met: never contacted, or late."""
    return LEAD & NOT_REDISPATCHED & in_windows("contact_due", windows) & CONTACT_MISSED


def resolve_missed_q(windows) -> Q:
    """Resolution deadlines in the windows (cut at now) not met: unresolved, or late."""
    return LEAD & NOT_REDISPATCHED & in_windows("resolve_due", windows) & RESOLVE_MISSED


def trend_rows(
    *, scope: ReportScope, first: date, last: date, by: str, now: datetime, split: DaySplit | None = None
) -> list[TrendRow]:
    """`split`: the range's days as `report_day_split` read them for the page, if it did."""
    roots = subtree_roots(scope.paths)
    if roots is None:
        split = all_live(first=first, last=last)
    elif split is None:
        split = day_split(first=first, last=last, now=now)
    # Per period: orders in, closed, and the two kinds of deadline missed added up.
    orders_in, closed, missed = Counter(), Counter(), Counter()
    period_of = week_start if by == BY_WEEK else _same_day
    for day, n_in, n_closed, n_missed in _summed_series(roots=roots, days=split.summed):
        period = period_of(day)
        orders_in[period] += n_in
        closed[period] += n_closed
        missed[period] += n_missed
    live, until_now = split.live, cut_at(split.live, now)
    for counts, field, condition in (
        (orders_in, "assigned_at", received_q(live)),
        (closed, "resolved_at", resolved_q(live)),
        (missed, "contact_due", contact_missed_q(until_now)),
        (missed, "resolve_due", resolve_missed_q(until_now)),
    ):
        for day, n in _live_per_day(scope=scope, field=field, condition=condition):
            counts[period_of(day)] += n
    return [
        TrendRow(
            start=period,
            label=_label(period, by=by),
            orders_in=orders_in[period],
            closed=closed[period],
            missed=missed[period],
        )
        for period in periods(first=first, last=last, by=by)
    ]


def _same_day(day: date) -> date:
    return day


def _summed_series(*, roots, days):
    """(day, orders in, closed, deadlines missed) per summed day, added up over the roots in SQL."""
    if not days:
        return []
    return (
        RollupTrendDay.objects.filter(days_q(days), root__in=roots)
        .order_by()
        .values("day")
        .annotate(
            orders_in=Sum("orders_in"), closed=Sum("closed"), missed=Sum("contact_missed") + Sum("resolve_missed")
        )
        .values_list("day", "orders_in", "closed", "missed")
    )


def _live_per_day(*, scope: ReportScope, field: str, condition: Q):
    """(Beijing day of `field`, count) for one series counted live (nothing is asked when no day is live)."""
    return (
        Assignment.objects.filter(scope.q(), condition)
        .order_by()
        .annotate(day=BeijingDate(field))
        .values("day")
        .annotate(n=Count("*"))
        .values_list("day", "n")
    )


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

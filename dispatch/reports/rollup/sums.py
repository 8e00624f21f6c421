"""What the rollup's rows hold: the live reports' own conditions, grouped by Beijing day.

Each count is grouped by the day of the date column the reports count it by (a
contact deadline on the day of `contact_due`, an order in on the day of
`assigned_at`), so summing a month's rows gives what the month's live query gives.
The conditions are the ones the live reports use (rankings.py, trends.py,
hotspots.py): one definition, so the two cannot drift apart.
"""

from collections import Counter, defaultdict
from datetime import date

from django.db.models import Count, F
from django.db.models.functions import TruncDate

from complaints.models import Complaint
from dispatch.models import Assignment, AssignmentRole, RollupReceivedDay, Unit
from dispatch.reports.hotspots import CATEGORY_KEY, STREET_KEY
from dispatch.reports.periods import BEIJING, Month, day_start
from dispatch.reports.rankings import (
    MET,
    RATING_COUNTS,
    REOPENED,
    REPORTED_IN_TIME,
    approved_extensions,
    due_q,
    judged_ratings,
    received_q,
    resolved_q,
    returned_q,
    summoned_q,
)
from dispatch.reports.rollup.days import in_windows, path_roots, windows_of
from dispatch.reports.trends import resolve_missed_q

UnitDayKey = tuple[date, int]


def unit_day_counts(days) -> dict[UnitDayKey, Counter]:
    """Per (day, unit): the unit's own counts, each on its column's day. Days that are over:
    no deadline in them is still ahead, so nothing is cut at "now"."""
    windows = windows_of(days)
    counts: dict[UnitDayKey, Counter] = defaultdict(Counter)
    for field, condition, annotations in (
        ("contact_due", due_q(windows), {"due": Count("pk"), "met": Count("pk", filter=MET)}),
        ("assigned_at", received_q(windows), {"received": Count("pk"), "reopened": Count("pk", filter=REOPENED)}),
        ("resolved_at", resolved_q(windows), {"resolved": Count("pk")}),
        ("returned_at", returned_q(windows), {"returned": Count("pk")}),
        (
            "report_due",
            summoned_q(windows),
            {"summoned": Count("pk"), "reported_in_time": Count("pk", filter=REPORTED_IN_TIME)},
        ),
        ("resolve_due", resolve_missed_q(windows), {"resolve_missed": Count("pk")}),
    ):
        rows = (
            Assignment.objects.filter(condition)
            .order_by()
            .values(day=TruncDate(field, tzinfo=BEIJING), unit_key=F("unit_id"))
            .annotate(**annotations)
        )
        _add(counts, rows)
    _add(
        counts,
        approved_extensions(windows)
        .order_by()
        .values(day=TruncDate("decided_at", tzinfo=BEIJING), unit_key=F("assignment__unit_id"))
        .annotate(extensions=Count("pk")),
    )
    ratings = (
        judged_ratings(windows)
        .order_by()
        .values("unit_key", day=TruncDate("created_at", tzinfo=BEIJING))
        .annotate(**RATING_COUNTS)
    )
    _add(counts, ratings)
    return counts


def unit_day_rows(counts: dict[UnitDayKey, Counter]) -> list[dict]:
    return [{"day": day, "unit_id": unit_id, **values} for (day, unit_id), values in counts.items()]


def trend_day_rows(counts: dict[UnitDayKey, Counter]) -> list[dict]:
    """The units' trend series added up for every subtree holding them, and the city."""
    paths = dict(Unit.objects.values_list("pk", "path"))
    trends: dict[tuple[date, str], Counter] = defaultdict(Counter)
    for (day, unit_id), values in counts.items():
        series = Counter(
            orders_in=values["received"],
            closed=values["resolved"],
            contact_missed=values["due"] - values["met"],
            resolve_missed=values["resolve_missed"],
        )
        for root in path_roots(paths[unit_id]):
            trends[day, root].update(series)
    return [{"day": day, "root": root, **values} for (day, root), values in trends.items() if any(values.values())]


def hot_spot_month_rows(month: Month) -> list[dict]:
    """Distinct complaints per (root, top-level category, street) in one month: every
    complaint counted once in each subtree any of its lead assignments lies in."""
    rows = (
        Assignment.objects.filter(in_windows("assigned_at", [(month.start, month.end)]), role=AssignmentRole.LEAD)
        .order_by()
        .values_list("complaint_id", "unit__path", CATEGORY_KEY, STREET_KEY)
        .distinct()
    )
    pair_of: dict[int, tuple[int, int | None]] = {}
    roots_of: dict[int, set[str]] = defaultdict(set)
    for complaint_id, path, category_id, street_id in rows:
        pair_of[complaint_id] = (category_id, street_id)
        roots_of[complaint_id].update(path_roots(path))
    totals: Counter = Counter()
    for complaint_id, roots in roots_of.items():
        category_id, street_id = pair_of[complaint_id]
        for root in roots:
            totals[root, category_id, street_id] += 1
    return [
        {"month": month.start.date(), "root": root, "category_id": category_id, "street_id": street_id, "complaints": n}
        for (root, category_id, street_id), n in totals.items()
    ]


def received_day_rows(days) -> list[dict]:
    """Demands filed on each day per (demand type, channel): all of them, and per subtree
    those with a lead assignment in it made on or after their filing day (as the
    breakdown counts them: a lead is made after its demand is filed)."""
    windows = windows_of(days)
    filed = (
        Complaint.objects.filter(in_windows("submitted_at", windows))
        .order_by()
        .values("demand_type", "channel", day=TruncDate("submitted_at", tzinfo=BEIJING))
        .annotate(n=Count("pk"))
    )
    totals: Counter = Counter()
    for row in filed:
        totals[row["day"], RollupReceivedDay.ALL_FILED, row["demand_type"], row["channel"]] += row["n"]
    leads = (
        Assignment.objects.filter(in_windows("complaint__submitted_at", windows), role=AssignmentRole.LEAD)
        .filter(assigned_at__gte=windows[0][0])
        .order_by()
        .values_list(
            "complaint_id",
            TruncDate("complaint__submitted_at", tzinfo=BEIJING),
            "complaint__demand_type",
            "complaint__channel",
            "unit__path",
            "assigned_at",
        )
    )
    kinds: dict[int, tuple] = {}
    roots_of: dict[int, set[str]] = defaultdict(set)
    for complaint_id, day, demand_type, channel, path, assigned_at in leads:
        if assigned_at >= day_start(day):
            kinds[complaint_id] = (day, demand_type, channel)
            roots_of[complaint_id].update(path_roots(path))
    for complaint_id, roots in roots_of.items():
        day, demand_type, channel = kinds[complaint_id]
        for root in roots:
            totals[day, root, demand_type, channel] += 1
    return [
        {"day": day, "root": root, "demand_type": demand_type, "channel": channel, "complaints": n}
        for (day, root, demand_type, channel), n in totals.items()
    ]


def _add(counts: dict[UnitDayKey, Counter], rows) -> None:
    """Rows of one GROUP BY into the per (day, unit) counts; a rating no resolution came
    before (no unit to judge) counts for none, as in the rankings."""
    for row in rows:
        key = (row.pop("day"), row.pop("unit_key"))
        if key[1] is not None:
            counts[key].update({name: n for name, n in row.items() if n})

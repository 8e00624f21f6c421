"""Monthly rankings of the units of one kind in the scope, by the three rates.

The per-unit counts are the rollup's for the month's summed days plus the live
count of the rest (dispatch/reports/rollup/), so the figures are exactly those of
the live queries alone. Five queries at most whatever the data: the units, which
days are summed, the rollup's sums, then the live GROUP BY aggregates of the
other days (the units' assignments, with "overdue now", always live; their
approved extensions; the ratings attributed to them), the last two left out when
every day of the month is summed. The rates and the order are computed from the
summed counts.

Each condition of the assignments' aggregate is a range on its own indexed
column (see Assignment.Meta.indexes), so PostgreSQL reads the live days through
a BitmapOr of those indexes, never the whole table.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum

from complaints.models import Rating, Satisfaction
from dispatch.models import (
    Assignment,
    AssignmentReason,
    AssignmentRole,
    AssignmentStatus,
    Extension,
    ExtensionStatus,
    RollupUnitDay,
    Unit,
    UnitKind,
)
from dispatch.reports.formulas import RatePercents, composite_score, percent, ratio, satisfaction_rate
from dispatch.reports.periods import Month
from dispatch.reports.rollup.days import ONE_DAY, cut_at, day_split, days_q, in_windows
from dispatch.reports.scope import ReportScope

RANKED_KINDS = (UnitKind.STREET_OFFICE, UnitKind.COMMUNITY, UnitKind.DEPARTMENT, UnitKind.UTILITY)


@dataclass
class UnitRanking(RatePercents):
    unit: Unit
    due: int = 0  # contact deadlines that fell in the month (up to now)
    met: int = 0  # … of which the resident was contacted in time
    received: int = 0
    resolved: int = 0
    overdue_now: int = 0
    reopened: int = 0
    returned: int = 0  # orders it returned (退单) in the month
    summoned: int = 0  # whistle summonses whose report deadline fell in the month (up to now)
    reported_in_time: int = 0  # … of which it reported by the deadline
    extensions: int = 0  # approved in the month
    rated: int = 0
    solved: int = 0
    satisfied: int = 0
    basically: int = 0
    response_rate: float | None = None
    resolution_rate: float | None = None
    satisfaction_rate: float | None = None
    composite: float | None = None
    rank: int | None = None

    @property
    def whistle_response_pct(self) -> float | None:
        """Whistle response (吹哨响应率): summonses reported in time ÷ summonses due.
        Shown beside the three rates, not part of the composite."""
        return percent(ratio(self.reported_in_time, self.summoned))


# The counts the rollup keeps per unit and day, summed over the month's summed days.
SUMMED_COUNTS = (
    "due",
    "met",
    "received",
    "resolved",
    "reopened",
    "returned",
    "summoned",
    "reported_in_time",
    "extensions",
    "rated",
    "solved",
    "satisfied",
    "basically",
)

# Conditions shared by the live counts and the rollup's sums (dispatch/reports/rollup/sums.py):
# each is a range of `windows` (Beijing-day-aligned [start, end) pairs) on one date column.
LEAD = Q(role=AssignmentRole.LEAD)
NOT_REDISPATCHED = ~Q(status=AssignmentStatus.SUPERSEDED)
MET = Q(contacted_at__lte=F("contact_due"))
REOPENED = Q(reason=AssignmentReason.REOPENED)
REPORTED_IN_TIME = Q(reported_at__lte=F("report_due"))


def due_q(windows) -> Q:
    """Contact deadlines that fell in the windows (cut at now by the caller). Re-dispatched
    (superseded) assignments are left out: the 12345 centre took the order away, the unit
    did not miss anything."""
    return LEAD & NOT_REDISPATCHED & in_windows("contact_due", windows)


def received_q(windows) -> Q:
    return LEAD & in_windows("assigned_at", windows)


def resolved_q(windows) -> Q:
    return LEAD & in_windows("resolved_at", windows)


def returned_q(windows) -> Q:
    return Q(status=AssignmentStatus.RETURNED) & in_windows("returned_at", windows)


def summoned_q(windows) -> Q:
    """Summonses (co-handling) are judged by the whistle figure only, never by the three rates."""
    return Q(role=AssignmentRole.CO_HANDLER) & NOT_REDISPATCHED & in_windows("report_due", windows)


def unit_rankings(*, scope: ReportScope, kind: str, month: Month, now: datetime) -> list[UnitRanking]:
    units = Unit.objects.filter(scope.q("path"), kind=kind, is_active=True).order_by("path")
    rows = {unit.pk: UnitRanking(unit=unit) for unit in units}
    if not rows:
        return []
    split = day_split(first=month.start.date(), last=month.end.date() - ONE_DAY, now=now)
    for source in (
        _summed_counts(scope=scope, kind=kind, days=split.summed),
        _assignment_counts(scope=scope, kind=kind, windows=split.live, now=now),
        _extension_counts(scope=scope, kind=kind, windows=split.live),
        _rating_counts(windows=split.live),
    ):
        for values in source:
            row = rows.get(values.pop("unit_key"))
            if row is None:  # an inactive unit's old orders, or a unit of another kind or place
                continue
            for name, value in values.items():
                setattr(row, name, getattr(row, name) + (value or 0))
    for row in rows.values():
        row.response_rate = ratio(row.met, row.due)
        row.resolution_rate = ratio(row.solved, row.rated)
        row.satisfaction_rate = satisfaction_rate(satisfied=row.satisfied, basically=row.basically, rated=row.rated)
        row.composite = composite_score(
            response=row.response_rate, resolution=row.resolution_rate, satisfaction=row.satisfaction_rate
        )
    return _ranked(list(rows.values()))


def _summed_counts(*, scope: ReportScope, kind: str, days) -> QuerySet | list:
    """The rollup's counts of the units over the month's summed days."""
    if not days:
        return []
    return (
        RollupUnitDay.objects.filter(days_q(days), scope.q(), unit__kind=kind)
        .order_by()
        .values(unit_key=F("unit_id"))
        .annotate(**{name: Sum(name) for name in SUMMED_COUNTS})
    )


def _assignment_counts(*, scope: ReportScope, kind: str, windows, now: datetime):
    """Per unit, in the live windows: contact deadlines that fell in them (up to now) and
    how many were met; orders received, resolved, reopened and returned; summonses due
    and reported in time. And overdue now, which is always live."""
    until_now = cut_at(windows, now)  # the current month is judged up to now
    due, received, resolved = due_q(until_now), received_q(windows), resolved_q(windows)
    returned, summoned = returned_q(windows), summoned_q(until_now)
    overdue = LEAD & Q(next_due__lt=now)
    return (
        Assignment.objects.filter(scope.q(), due | received | resolved | overdue | returned | summoned, unit__kind=kind)
        .order_by()
        .values(unit_key=F("unit_id"))
        .annotate(
            due=Count("pk", filter=due),
            met=Count("pk", filter=due & MET),
            received=Count("pk", filter=received),
            resolved=Count("pk", filter=resolved),
            overdue_now=Count("pk", filter=overdue),
            reopened=Count("pk", filter=received & REOPENED),
            returned=Count("pk", filter=returned),
            summoned=Count("pk", filter=summoned),
            reported_in_time=Count("pk", filter=summoned & REPORTED_IN_TIME),
        )
    )


def approved_extensions(windows) -> QuerySet[Extension]:
    """Extensions approved in the windows, each counted for its assignment's unit."""
    return Extension.objects.filter(in_windows("decided_at", windows), status=ExtensionStatus.APPROVED)


def _extension_counts(*, scope: ReportScope, kind: str, windows):
    if not windows:
        return []
    return (
        approved_extensions(windows)
        .filter(scope.q("assignment__unit__path"), assignment__unit__kind=kind)
        .order_by()
        .values(unit_key=F("assignment__unit_id"))
        .annotate(extensions=Count("pk"))
    )


def judged_ratings(windows) -> QuerySet[Rating]:
    """Ratings given in the windows, each attributed (`unit_key`) to the unit whose
    resolution it judged: the complaint's latest lead assignment resolved before the
    rating. After a reopen, the second rating judges the second resolution, whoever
    gave it."""
    judged = (
        Assignment.objects.filter(
            complaint=OuterRef("complaint"), role=AssignmentRole.LEAD, resolved_at__lte=OuterRef("created_at")
        )
        .order_by("-resolved_at", "-pk")
        .values("unit_id")[:1]
    )
    return Rating.objects.filter(in_windows("created_at", windows)).annotate(unit_key=Subquery(judged))


RATING_COUNTS = {
    "rated": Count("pk"),
    "solved": Count("pk", filter=Q(solved=True)),
    "satisfied": Count("pk", filter=Q(satisfaction=Satisfaction.SATISFIED)),
    "basically": Count("pk", filter=Q(satisfaction=Satisfaction.BASICALLY)),
}


def _rating_counts(*, windows):
    """Grouped for every unit: the caller keeps those it ranks. Filtering on the
    attributed unit in SQL would run the lookup per rating a second time."""
    if not windows:
        return []
    return judged_ratings(windows).order_by().values("unit_key").annotate(**RATING_COUNTS)


def _ranked(rows: list[UnitRanking]) -> list[UnitRanking]:
    """Highest composite first; equal scores share a rank (1, 1, 3); no data last, unranked."""
    rows.sort(key=lambda r: (r.composite is None, -(r.composite or 0), r.unit.path))
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row.composite is None:
            break
        score = round(row.composite, 9)  # equal counts must tie despite float noise
        if score != previous:
            rank, previous = position, score
        row.rank = rank
    return rows

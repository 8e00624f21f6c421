"""Monthly rankings of the units of one kind in the scope, by the three rates.

Four queries whatever the data: the units, then three GROUP BY aggregates (the
units' assignments, their approved extensions, and the ratings attributed to
them). The rates and the order are computed from those per-unit counts.

Each condition of the assignments' aggregate is a range on its own indexed
column (see Assignment.Meta.indexes), so PostgreSQL reads the month through a
BitmapOr of those indexes, never the whole table.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, OuterRef, Q, Subquery

from complaints.models import Rating, Satisfaction
from dispatch.models import (
    Assignment,
    AssignmentReason,
    AssignmentRole,
    AssignmentStatus,
    Extension,
    ExtensionStatus,
    Unit,
    UnitKind,
)
from dispatch.reports.formulas import RatePercents, composite_score, percent, ratio, satisfaction_rate
from dispatch.reports.periods import Month
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


def unit_rankings(*, scope: ReportScope, kind: str, month: Month, now: datetime) -> list[UnitRanking]:
    units = Unit.objects.filter(scope.q("path"), kind=kind, is_active=True).order_by("path")
    rows = {unit.pk: UnitRanking(unit=unit) for unit in units}
    if not rows:
        return []
    for source in (
        _assignment_counts(scope=scope, kind=kind, month=month, now=now),
        _extension_counts(scope=scope, kind=kind, month=month),
        _rating_counts(month=month),
    ):
        for values in source:
            row = rows.get(values.pop("unit_key"))
            if row is None:  # an inactive unit's old orders, or a unit of another kind or place
                continue
            for name, value in values.items():
                setattr(row, name, value)
    for row in rows.values():
        row.response_rate = ratio(row.met, row.due)
        row.resolution_rate = ratio(row.solved, row.rated)
        row.satisfaction_rate = satisfaction_rate(satisfied=row.satisfied, basically=row.basically, rated=row.rated)
        row.composite = composite_score(
            response=row.response_rate, resolution=row.resolution_rate, satisfaction=row.satisfaction_rate
        )
    return _ranked(list(rows.values()))


def _assignment_counts(*, scope: ReportScope, kind: str, month: Month, now: datetime):
    """Per unit: contact deadlines that fell in the month (up to now) and how many
    were met; orders received, resolved and reopened in the month; overdue now.
    Re-dispatched (superseded) assignments are left out of the response rate: the
    12345 centre took the order away, the unit did not miss anything."""
    # A deadline still ahead has not been missed yet: the current month is judged up to now.
    # Summonses (co-handling) are judged by the whistle figure only, never by the three rates.
    lead = Q(role=AssignmentRole.LEAD)
    due = (
        lead
        & Q(contact_due__gte=month.start, contact_due__lt=min(month.end, now))
        & ~Q(status=AssignmentStatus.SUPERSEDED)
    )
    received = lead & Q(assigned_at__gte=month.start, assigned_at__lt=month.end)
    resolved = lead & Q(resolved_at__gte=month.start, resolved_at__lt=month.end)
    overdue = lead & Q(next_due__lt=now)
    returned = Q(status=AssignmentStatus.RETURNED, returned_at__gte=month.start, returned_at__lt=month.end)
    summoned = Q(role=AssignmentRole.CO_HANDLER, report_due__gte=month.start, report_due__lt=min(month.end, now)) & ~Q(
        status=AssignmentStatus.SUPERSEDED
    )
    return (
        Assignment.objects.filter(scope.q(), due | received | resolved | overdue | returned | summoned, unit__kind=kind)
        .order_by()
        .values(unit_key=F("unit_id"))
        .annotate(
            due=Count("pk", filter=due),
            met=Count("pk", filter=due & Q(contacted_at__lte=F("contact_due"))),
            received=Count("pk", filter=received),
            resolved=Count("pk", filter=resolved),
            overdue_now=Count("pk", filter=overdue),
            reopened=Count("pk", filter=received & Q(reason=AssignmentReason.REOPENED)),
            returned=Count("pk", filter=returned),
            summoned=Count("pk", filter=summoned),
            reported_in_time=Count("pk", filter=summoned & Q(reported_at__lte=F("report_due"))),
        )
    )


def _extension_counts(*, scope: ReportScope, kind: str, month: Month):
    return (
        Extension.objects.filter(
            scope.q("assignment__unit__path"),
            assignment__unit__kind=kind,
            status=ExtensionStatus.APPROVED,
            decided_at__gte=month.start,
            decided_at__lt=month.end,
        )
        .order_by()
        .values(unit_key=F("assignment__unit_id"))
        .annotate(extensions=Count("pk"))
    )


def _rating_counts(*, month: Month):
    """Ratings given in the month, each attributed to the unit whose resolution it
    judged: the complaint's latest assignment resolved before the rating. After a
    reopen, the second rating judges the second resolution, whoever gave it.
    Grouped for every unit: the caller keeps those it ranks. Filtering on the
    attributed unit in SQL would run the lookup per rating a second time."""
    judged = (
        Assignment.objects.filter(
            complaint=OuterRef("complaint"), role=AssignmentRole.LEAD, resolved_at__lte=OuterRef("created_at")
        )
        .order_by("-resolved_at", "-pk")
        .values("unit_id")[:1]
    )
    return (
        Rating.objects.filter(created_at__gte=month.start, created_at__lt=month.end)
        .annotate(unit_key=Subquery(judged))
        .order_by()
        .values("unit_key")
        .annotate(
            rated=Count("pk"),
            solved=Count("pk", filter=Q(solved=True)),
            satisfied=Count("pk", filter=Q(satisfaction=Satisfaction.SATISFIED)),
            basically=Count("pk", filter=Q(satisfaction=Satisfaction.BASICALLY)),
        )
    )


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

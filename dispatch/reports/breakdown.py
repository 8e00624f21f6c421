"""Orders received in a period, by demand type (诉求类型) and by channel (渠道).

"Received" is a demand filed in the period (its submission time, Beijing days),
counted once however often it was dispatched:

- city-wide (the 12345 centre) every demand filed counts, those still in triage and
  the consultations answered directly on the call (never routed to a unit) included;
- a part of the city (a supervisor's subtree, or `?unit=`) counts the demands that a
  unit in it has been made the lead of, at any time.

One GROUP BY query for both breakdowns; every type and channel gets a row, with zeros.
For a scope of one subtree (or the whole city) the days the reports' rollup has summed
are read from it (dispatch/reports/rollup/), and only the others are counted live. The
rollup counts a demand led in a subtree by a lead made on or after its filing day, the
live query by one made on or after the period's first day: the same demands, since a
lead is made after its demand is filed (see `received_in`).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.db.models.enums import TextChoices
from django.utils import timezone

from complaints.models import Channel, Complaint, DemandType
from dispatch.models import Assignment, AssignmentRole, RollupReceivedDay
from dispatch.reports.formulas import percent, ratio
from dispatch.reports.periods import BEIJING, day_start
from dispatch.reports.rollup.days import DaySplit, all_live, day_split, days_q, in_windows, subtree_roots
from dispatch.reports.scope import ReportScope


@dataclass(frozen=True)
class Share:
    code: str
    label: str
    count: int
    # Per cent of the orders received, one decimal; None when none were received.
    share: float | None


@dataclass(frozen=True)
class Breakdown:
    total: int
    demand_types: list[Share]
    channels: list[Share]


def received_in(*, scope: ReportScope, first: date, last: date) -> QuerySet[Complaint]:
    """The demands received in the scope from the start of `first` to the end of `last` (Beijing days)."""
    complaints = Complaint.objects.filter(
        submitted_at__gte=day_start(first), submitted_at__lt=day_start(last + timedelta(days=1))
    )
    if scope.city_wide:
        return complaints
    # A lead is made after its demand is filed, so none assigned before the period can
    # count: the bound lets the lead-assignment date index serve the test, instead
    # of every lead assignment the table has ever held.
    led_here = Assignment.objects.filter(
        scope.q(), complaint=OuterRef("pk"), role=AssignmentRole.LEAD, assigned_at__gte=day_start(first)
    )
    return complaints.filter(Exists(led_here))


def received_breakdown(
    *, scope: ReportScope, first: date, last: date, now: datetime | None = None, split: DaySplit | None = None
) -> Breakdown:
    """`split`: the range's days as `report_day_split` read them for the page, if it did."""
    root = _rollup_root(scope)
    if root is None:
        split = all_live(first=first, last=last)
    elif split is None:
        split = day_split(first=first, last=last, now=now or timezone.now())
    live = []
    if split.live:
        # Bounded from the first live day, not the period's: only leads of demands filed
        # on a live day are counted here, and those leads come after their filing.
        live_first = min(start for start, _ in split.live).astimezone(BEIJING).date()
        live = _counts(
            received_in(scope=scope, first=max(first, live_first), last=last).filter(
                in_windows("submitted_at", split.live)
            )
        )
    summed = []
    if split.summed:
        summed = (
            RollupReceivedDay.objects.filter(days_q(split.summed), root=root)
            .order_by()
            .values_list("demand_type", "channel")
            .annotate(n=Sum("complaints"))
        )
    by_type, by_channel = Counter(), Counter()
    for demand_type, channel, n in [*live, *summed]:
        by_type[demand_type] += n
        by_channel[channel] += n
    total = sum(by_type.values())
    return Breakdown(
        total=total,
        demand_types=_shares(DemandType, by_type, total=total),
        channels=_shares(Channel, by_channel, total=total),
    )


def _rollup_root(scope: ReportScope) -> str | None:
    """The rollup's root for the scope, or None when it is several subtrees (a demand led in
    two of them would count twice if their rows were added) or one the rollup does not keep."""
    if scope.city_wide:
        return RollupReceivedDay.ALL_FILED
    roots = subtree_roots(scope.paths)
    return roots[0] if roots is not None and len(roots) == 1 else None


def _counts(received: QuerySet[Complaint]) -> list[tuple[str, str, int]]:
    """One pass over the period: a count per (demand type, channel) pair, summed per side in Python."""
    return list(
        received.order_by()
        .values("demand_type", "channel")
        .annotate(n=Count("pk"))
        .values_list("demand_type", "channel", "n")
    )


def _shares(choices: type[TextChoices], counts: dict[str, int], *, total: int) -> list[Share]:
    return [
        Share(code=code, label=str(label), count=counts.get(code, 0), share=percent(ratio(counts.get(code, 0), total)))
        for code, label in choices.choices
    ]

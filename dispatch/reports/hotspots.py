"""Hot spots: the top-level categories and the streets whose new orders rose most
against the previous month, candidates for the month's topic (月度专题).

"New orders" counts distinct complaints that got an assignment in the scope in
the month, so an order re-dispatched or reopened within the month counts once.
Distinct counts do not add up over days, so a month is read from the rollup's
monthly rows only when every day of it is summed and unchanged and the scope is
one subtree (the city, or one unit's); otherwise it is counted live, by one
GROUP BY query for both lists over the months not read from the rollup. Only
rises are listed, largest first.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, CharField, Count, F, IntegerField, Q, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from complaints.models import RegionLevel
from dispatch.models import Assignment, AssignmentRole, RollupHotSpotMonth
from dispatch.reports.periods import Month
from dispatch.reports.rollup.days import ONE_DAY, day_split, in_windows, subtree_roots
from dispatch.reports.scope import ReportScope

TOP = 10


@dataclass(frozen=True)
class Rise:
    key: int
    name: str
    current: int
    previous: int

    @property
    def change(self) -> int:
        return self.current - self.previous

    @property
    def percent(self) -> float | None:
        """Rise against the previous month in %; None when there was nothing before (new)."""
        return 100 * self.change / self.previous if self.previous else None


@dataclass(frozen=True)
class HotSpots:
    categories: list[Rise]
    streets: list[Rise]


AT_STREET = Q(complaint__region__level=RegionLevel.STREET)
AT_COMMUNITY = Q(complaint__region__level=RegionLevel.COMMUNITY)
# The pair a complaint is counted in: its top-level category, and the street it was
# filed at (a community's street; none for a complaint filed at a district).
CATEGORY_KEY = Coalesce("complaint__category__parent_id", "complaint__category_id")
STREET_KEY = Case(
    When(AT_STREET, then=F("complaint__region_id")),
    When(AT_COMMUNITY, then=F("complaint__region__parent_id")),
    output_field=IntegerField(),
)


def hot_spots(*, scope: ReportScope, month: Month, now: datetime | None = None) -> HotSpots:
    """Both lists from the two months' counts per (top-level category, street) pair,
    summed per side here. A complaint has one category and one place, so it falls in
    one pair and the distinct counts add up. A complaint filed at a community belongs
    to its street; one filed at a district (no street) is in no street's count."""
    root, summed = _summed_months(scope=scope, months=(month.previous, month), now=now or timezone.now())
    live = [m for m in (month.previous, month) if m not in summed]
    categories, streets = {}, {}
    for row in [
        *_live_counts(scope=scope, months=live, month=month),
        *_summed_counts(root=root, months=summed, month=month),
    ]:
        _add(categories, key=row["category_key"], name=row["category_name"], row=row)
        if row["street_key"] is not None:
            _add(streets, key=row["street_key"], name=row["street_name"], row=row)
    return HotSpots(categories=_top_rises(categories), streets=_top_rises(streets))


def _summed_months(*, scope: ReportScope, months: tuple[Month, ...], now: datetime) -> tuple[str, set[Month]]:
    """The scope's one root, and the months the rollup answers for (one query)."""
    roots = subtree_roots(scope.paths)
    if roots is None or len(roots) != 1:
        return "", set()
    split = day_split(first=months[0].start.date(), last=months[-1].end.date() - ONE_DAY, now=now)
    return roots[0], {m for m in months if all(day in split.summed for day in _days_of(m))}


def _live_counts(*, scope: ReportScope, months: list[Month], month: Month):
    """Distinct complaints per pair in each of `months`, from their lead assignments."""
    if not months:
        return []
    this_month = Q(assigned_at__gte=month.start)
    return (
        Assignment.objects.filter(
            scope.q(), in_windows("assigned_at", [(m.start, m.end) for m in months]), role=AssignmentRole.LEAD
        )
        .order_by()
        .values(
            category_key=CATEGORY_KEY,
            category_name=Coalesce("complaint__category__parent__name", "complaint__category__name"),
            street_key=STREET_KEY,
            street_name=Case(
                When(AT_STREET, then=F("complaint__region__name")),
                When(AT_COMMUNITY, then=F("complaint__region__parent__name")),
                output_field=CharField(),
            ),
        )
        .annotate(
            current=Count("complaint", distinct=True, filter=this_month),
            previous=Count("complaint", distinct=True, filter=~this_month),
        )
    )


def _summed_counts(*, root: str, months: set[Month], month: Month) -> list[dict]:
    if not months:
        return []
    rows = RollupHotSpotMonth.objects.filter(root=root, month__in=[m.start.date() for m in months]).values(
        "month",
        "complaints",
        category_key=F("category_id"),
        category_name=F("category__name"),
        street_key=F("street_id"),
        street_name=F("street__name"),
    )
    this_month = month.start.date()
    return [
        {
            **row,
            "current": row["complaints"] if row["month"] == this_month else 0,
            "previous": 0 if row["month"] == this_month else row["complaints"],
        }
        for row in rows
    ]


def _days_of(month: Month):
    day, last = month.start.date(), month.end.date() - ONE_DAY
    while day <= last:
        yield day
        day += ONE_DAY


def category_rises(*, scope: ReportScope, month: Month) -> list[Rise]:
    return hot_spots(scope=scope, month=month).categories


def street_rises(*, scope: ReportScope, month: Month) -> list[Rise]:
    return hot_spots(scope=scope, month=month).streets


def _add(totals: dict[int, list], *, key: int, name: str, row: dict) -> None:
    total = totals.setdefault(key, [name, 0, 0])
    total[1] += row["current"]
    total[2] += row["previous"]


def _top_rises(totals: dict[int, list]) -> list[Rise]:
    """Only rises, largest first (then the busier, then by name), the first TOP."""
    rises = [
        Rise(key=key, name=name, current=current, previous=previous)
        for key, (name, current, previous) in totals.items()
    ]
    rises = [rise for rise in rises if rise.change > 0]
    rises.sort(key=lambda rise: (-rise.change, -rise.current, rise.name))
    return rises[:TOP]

"""Hot spots: the top-level categories and the streets whose new orders rose most
against the previous month, candidates for the month's topic (月度专题).

"New orders" counts distinct complaints that got an assignment in the scope in
the month, so an order re-dispatched or reopened within the month counts once.
One GROUP BY query for both lists; only rises are listed, largest first.
"""

from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, IntegerField, Q, When
from django.db.models.functions import Coalesce

from complaints.models import RegionLevel
from dispatch.models import Assignment, AssignmentRole
from dispatch.reports.periods import Month
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


def hot_spots(*, scope: ReportScope, month: Month) -> HotSpots:
    """Both lists from one pass over the two months' lead assignments, counted per
    (top-level category, street) pair and summed per side here. A complaint has one
    category and one place, so it falls in one pair and the distinct counts add up.
    A complaint filed at a community belongs to its street; one filed at a district
    (no street) is in no street's count."""
    at_street = Q(complaint__region__level=RegionLevel.STREET)
    at_community = Q(complaint__region__level=RegionLevel.COMMUNITY)
    this_month = Q(assigned_at__gte=month.start)
    rows = (
        Assignment.objects.filter(
            scope.q(), role=AssignmentRole.LEAD, assigned_at__gte=month.previous.start, assigned_at__lt=month.end
        )
        .order_by()
        .values(
            category_key=Coalesce("complaint__category__parent_id", "complaint__category_id"),
            category_name=Coalesce("complaint__category__parent__name", "complaint__category__name"),
            street_key=Case(
                When(at_street, then=F("complaint__region_id")),
                When(at_community, then=F("complaint__region__parent_id")),
                output_field=IntegerField(),
            ),
            street_name=Case(
                When(at_street, then=F("complaint__region__name")),
                When(at_community, then=F("complaint__region__parent__name")),
                output_field=CharField(),
            ),
        )
        .annotate(
            current=Count("complaint", distinct=True, filter=this_month),
            previous=Count("complaint", distinct=True, filter=~this_month),
        )
    )
    categories, streets = {}, {}
    for row in rows:
        _add(categories, key=row["category_key"], name=row["category_name"], row=row)
        if row["street_key"] is not None:
            _add(streets, key=row["street_key"], name=row["street_name"], row=row)
    return HotSpots(categories=_top_rises(categories), streets=_top_rises(streets))


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

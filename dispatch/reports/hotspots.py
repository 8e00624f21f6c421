"""Hot spots: the top-level categories and the streets whose new orders rose most
against the previous month, candidates for the month's topic (月度专题).

"New orders" counts distinct complaints that got an assignment in the scope in
the month, so an order re-dispatched or reopened within the month counts once.
Two GROUP BY queries, one per list; only rises are listed, largest first.
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


def category_rises(*, scope: ReportScope, month: Month) -> list[Rise]:
    return _rises(
        scope=scope,
        month=month,
        key=Coalesce("complaint__category__parent_id", "complaint__category_id"),
        name=Coalesce("complaint__category__parent__name", "complaint__category__name"),
    )


def street_rises(*, scope: ReportScope, month: Month) -> list[Rise]:
    """A complaint filed at a community belongs to its street; one filed at a
    district (no street) is in no street's count."""
    at_street = Q(complaint__region__level=RegionLevel.STREET)
    at_community = Q(complaint__region__level=RegionLevel.COMMUNITY)
    return _rises(
        scope=scope,
        month=month,
        key=Case(
            When(at_street, then=F("complaint__region_id")),
            When(at_community, then=F("complaint__region__parent_id")),
            output_field=IntegerField(),
        ),
        name=Case(
            When(at_street, then=F("complaint__region__name")),
            When(at_community, then=F("complaint__region__parent__name")),
            output_field=CharField(),
        ),
    )


def _rises(*, scope: ReportScope, month: Month, key, name) -> list[Rise]:
    previous = month.previous
    this_month = Q(assigned_at__gte=month.start)
    rows = (
        Assignment.objects.filter(
            scope.q(), role=AssignmentRole.LEAD, assigned_at__gte=previous.start, assigned_at__lt=month.end
        )
        .order_by()
        .annotate(key=key, name=name)
        .filter(key__isnull=False)
        .values("key", "name")
        .annotate(
            current=Count("complaint", distinct=True, filter=this_month),
            previous=Count("complaint", distinct=True, filter=~this_month),
        )
        .annotate(change=F("current") - F("previous"))
        .filter(change__gt=0)
        .order_by("-change", "-current", "name")[:TOP]
    )
    return [Rise(key=r["key"], name=r["name"], current=r["current"], previous=r["previous"]) for r in rows]

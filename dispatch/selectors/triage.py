"""Reads for triage: the queue with return counts, an order's returns, and the
suggestions of where an order waiting in triage probably belongs."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Substr

from complaints.models import Complaint
from dispatch.models import Assignment, AssignmentRole, AssignmentStatus, RoutingRule, TriageItem, Unit
from dispatch.selectors import triage_queue
from dispatch.services.routing import routes_for


def triage_queue_with_returns(*, user) -> QuerySet[TriageItem]:
    """The triage queue, each item annotated with `returns`: how often its order
    has been returned. Counted in SQL so the page costs the same for any length.
    Orders that mention an emergency word come first (then oldest first), whatever
    brought them to triage: a returned fire is still a fire."""
    returned = Q(complaint__assignments__status=AssignmentStatus.RETURNED)
    emergency = Case(When(complaint__emergency_words=[], then=Value(1)), default=Value(0), output_field=IntegerField())
    return (
        triage_queue(user=user)
        .annotate(returns=Count("complaint__assignments", filter=returned), emergency_last=emergency)
        .order_by("emergency_last", "created_at", "pk")
    )


def return_history(*, complaint_id: int) -> QuerySet[Assignment]:
    """Which units returned the order, when and why, oldest first."""
    return (
        Assignment.objects.filter(complaint_id=complaint_id, status=AssignmentStatus.RETURNED)
        .select_related("unit")
        .order_by("returned_at", "pk")
    )


# What "similar orders" means for a suggestion: how far back, and how many units to offer.
SIMILAR_DAYS = 90
SIMILAR_TOP = 3


@dataclass(frozen=True)
class SimilarUnit:
    unit_id: int
    code: str
    name: str
    orders: int


@dataclass(frozen=True)
class Suggestion:
    rule: RoutingRule | None  # the rule that would fire now, with its unit
    unit: Unit | None
    similar: list[SimilarUnit]  # units that handled the most similar orders in the street


def triage_suggestions(*, complaints: list[Complaint], now: datetime) -> dict[int, Suggestion]:
    """Per complaint id: the routing rule that would fire now (leaving out units
    that returned the order) and the units that handled most orders of the same
    category in the same street lately. The whole page costs a fixed handful of
    queries, however many complaints it shows. Complaints come with category and
    region loaded."""
    if not complaints:
        return {}
    routes = _routes(complaints=complaints)
    similar = _similar(complaints=complaints, since=now - timedelta(days=SIMILAR_DAYS))
    return {
        c.pk: Suggestion(rule=routes[c.pk][0], unit=routes[c.pk][1], similar=similar.get(c.pk, [])) for c in complaints
    }


def _routes(*, complaints: list[Complaint]) -> dict[int, tuple[RoutingRule | None, Unit | None]]:
    """Routing's answer for the page's complaints, leaving out the units that returned each."""
    returned: dict[int, set[int]] = {}
    for complaint_id, unit_id in Assignment.objects.filter(
        complaint__in=complaints, status=AssignmentStatus.RETURNED
    ).values_list("complaint_id", "unit_id"):
        returned.setdefault(complaint_id, set()).add(unit_id)
    return routes_for(complaints=complaints, exclude={pk: frozenset(ids) for pk, ids in returned.items()})


def _similar(*, complaints: list[Complaint], since: datetime) -> dict[int, list[SimilarUnit]]:
    """Units with the most orders of the same category in the same street since
    `since` (any assignment that was not handed on: superseded and returned ones
    say the unit was the wrong one). Falls back to the category's group for a
    complaint whose category has none. One grouped query per level, for the page."""
    placed = [c for c in complaints if c.region.street_code]
    page_ids = [c.pk for c in complaints]
    by_category = _grouped(
        pairs={(c.region.street_code, c.category_id) for c in placed},
        field="complaint__category_id",
        since=since,
        exclude_ids=page_ids,
    )
    result = {c.pk: by_category.get((c.region.street_code, c.category_id), []) for c in placed}
    missing = [c for c in placed if not result[c.pk]]
    if missing:
        group_of = {c.pk: c.category.parent_id or c.category_id for c in missing}
        by_group = _grouped(
            pairs={(c.region.street_code, group_of[c.pk]) for c in missing},
            field="complaint__category__parent_id",
            since=since,
            exclude_ids=page_ids,
        )
        for c in missing:
            result[c.pk] = by_group.get((c.region.street_code, group_of[c.pk]), [])
    return result


def _grouped(*, pairs: set, field: str, since: datetime, exclude_ids: list[int]) -> dict:
    """(street code, key) → top units, counted in SQL in one query grouped by street, key and unit."""
    if not pairs:
        return {}
    wanted = Q(pk__in=[])
    for street, key in pairs:
        wanted |= Q(complaint__region__code__startswith=street, **{field: key})
    rows = (
        Assignment.objects.filter(wanted, role=AssignmentRole.LEAD, assigned_at__gte=since, unit__is_active=True)
        .exclude(status__in=[AssignmentStatus.SUPERSEDED, AssignmentStatus.RETURNED])
        .exclude(complaint_id__in=exclude_ids)
        .annotate(street=Substr("complaint__region__code", 1, 9), key=F(field))
        .values("street", "key", "unit_id", "unit__code", "unit__name")
        .annotate(orders=Count("complaint_id", distinct=True))
        .order_by("street", "key", "-orders", "unit__code")
    )
    result: dict = {}
    for row in rows:
        top = result.setdefault((row["street"], row["key"]), [])
        if len(top) < SIMILAR_TOP:
            top.append(SimilarUnit(row["unit_id"], row["unit__code"], row["unit__name"], row["orders"]))
    return result

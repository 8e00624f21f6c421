"""Reads for triage: the queue with return counts, an order's returns, and the
suggestions of where an order waiting in triage probably belongs."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from time import monotonic

from django.db import connection
from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from complaints.models import Complaint
from complaints.models.complaint import OPEN_STATUSES
from complaints.services.categories import category_tree
from complaints.services.regions import place_tree
from dispatch.models import Assignment, AssignmentRole, AssignmentStatus, RoutingRule, TriageItem, Unit
from dispatch.selectors import triage_queue
from dispatch.selectors.attached import attach_to_complaints_of
from dispatch.selectors.paging import PageFirst
from dispatch.services.routing import routes_for


def triage_queue_ordered(*, user) -> QuerySet[TriageItem]:
    """The open triage items in the queue's order, from the items and their complaints'
    emergency words alone: what a page's ids and the count are read from (filter it
    first), joined to what a row shows only for the page (`triage_rows`). Orders that
    mention an emergency word come first (then oldest first), whatever brought them to
    triage: a returned fire is still a fire."""
    emergency_last = Case(
        When(complaint_id__in=_emergencies(), then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return triage_queue(user=user).select_related(None).annotate(emergency_last=emergency_last).order_by(*TRIAGE_ORDER)


TRIAGE_ORDER = ("emergency_last", "created_at", "pk")


def triage_branches(*, user) -> list[QuerySet[TriageItem]]:
    """The rows of `triage_queue_ordered(user=user)` as the two ranges they lie in, each
    read in the queue's order from the open items' age index: the emergencies, then the
    rest. The first page is then 25 rows of each, where the one query sorts every open
    item by whether its complaint is an emergency (5,800 waiting: 2 ms against 0.1)."""
    items = triage_queue(user=user).select_related(None)
    return [
        items.filter(complaint_id__in=_emergencies()).annotate(emergency_last=Value(0, IntegerField())),
        items.exclude(complaint_id__in=_emergencies()).annotate(emergency_last=Value(1, IntegerField())),
    ]


def _emergencies() -> QuerySet[Complaint]:
    """The ids of the open complaints with an emergency word, from a small partial index
    rather than a join to each item's complaint."""
    return Complaint.objects.exclude(emergency_words=[]).filter(status__in=OPEN_STATUSES).values("pk")


def triage_rows() -> QuerySet[TriageItem]:
    """Triage rows with what a row joins, unfiltered, for the ids of a page: the complaint,
    and `returns`, how often its order has been returned, counted in SQL for the page's
    rows only. The complaints' categories and places are attached after (triage_page_list)."""
    returned = (
        Assignment.objects.filter(complaint_id=OuterRef("complaint_id"), status=AssignmentStatus.RETURNED)
        .order_by()
        .values("complaint_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return TriageItem.objects.select_related("complaint").annotate(
        returns=Coalesce(Subquery(returned, output_field=IntegerField()), Value(0))
    )


def triage_page_list(*, ordered: QuerySet[TriageItem], unfiltered_for=None) -> PageFirst:
    """The (filtered) queue as a paginator's list: the page's ids first, then their rows,
    each complaint with its category (and group) and its place (and the places above it).
    `unfiltered_for`: the user whose whole queue `ordered` is (no filter applied), so a
    page's ids are read from its two ranges (`triage_branches`)."""
    branches = triage_branches(user=unfiltered_for) if unfiltered_for is not None else ()
    return PageFirst(ids=ordered, rows=triage_rows(), attach=attach_to_complaints_of, branches=branches)


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
# How long a process keeps a street's counts of similar orders of a category: counts
# over 90 days move slowly, and every dispatcher reads the triage page again and again,
# mostly with the same orders on it. A pair's count is a query of about 150 orders.
SIMILAR_KEPT_SECONDS = 300
SIMILAR_KEPT_MOST = 20_000  # pairs a process keeps (a few hundred bytes each)


class SimilarKept:
    """This process's counts of similar orders, per (level, (street code, key)): when each
    was counted and {unit id: (code, name, orders)}. Kept SIMILAR_KEPT_SECONDS, never
    shared: a suggestion may lag the dispatches of the last few minutes, nothing more."""

    def __init__(self):
        self._kept: dict[tuple, tuple[float, datetime, dict]] = {}

    def get_many(self, keys: list[tuple]) -> dict[tuple, tuple[datetime, dict]]:
        now, found = monotonic(), {}
        for key in keys:
            kept = self._kept.get(key)
            if kept is not None and now - kept[0] < SIMILAR_KEPT_SECONDS:
                found[key] = kept[1:]
        return found

    def put(self, key: tuple, counted_at: datetime, units: dict) -> None:
        if len(self._kept) >= SIMILAR_KEPT_MOST:
            self._kept = {}  # simpler than ageing out one by one, and rare: a page holds 25
        self._kept[key] = (monotonic(), counted_at, units)

    def forget(self) -> None:
        self._kept = {}


similar_kept = SimilarKept()

# A lead assignment in these states says its unit was the wrong one: not a similar order's unit.
_HANDED_ON = (AssignmentStatus.SUPERSEDED, AssignmentStatus.RETURNED)


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
    since = now - timedelta(days=SIMILAR_DAYS)
    returned: dict[int, set[int]] = {}
    led: dict[tuple[int, int], datetime] = {}  # (complaint, unit) → since when: the page's own similar orders
    for complaint_id, unit_id, status, role, assigned_at, unit_active in Assignment.objects.filter(
        complaint__in=complaints
    ).values_list("complaint_id", "unit_id", "status", "role", "assigned_at", "unit__is_active"):
        if status == AssignmentStatus.RETURNED:
            returned.setdefault(complaint_id, set()).add(unit_id)
        elif role == AssignmentRole.LEAD and unit_active and assigned_at >= since and status not in _HANDED_ON:
            led[complaint_id, unit_id] = min(assigned_at, led.get((complaint_id, unit_id), assigned_at))
    routes = routes_for(complaints=complaints, exclude={pk: frozenset(ids) for pk, ids in returned.items()})
    similar = _similar(complaints=complaints, since=since, led=led)
    return {
        c.pk: Suggestion(rule=routes[c.pk][0], unit=routes[c.pk][1], similar=similar.get(c.pk, [])) for c in complaints
    }


def _similar(*, complaints: list[Complaint], since: datetime, led: dict) -> dict[int, list[SimilarUnit]]:
    """Units with the most orders of the same category in the same street since
    `since`: orders filed since then and led by the unit since then. Falls back to the
    category's group for a complaint whose category has none. The page's own orders
    are not similar ones: `led` ((complaint, unit) → since when) are theirs that a count may hold."""
    placed = [c for c in complaints if c.region.street_code]
    if not placed:
        return {}
    regions = _street_regions({c.region.street_code for c in placed})
    own = {c.pk: c for c in placed if c.submitted_at >= since}
    mine = [(own[complaint_id], unit_id, at) for (complaint_id, unit_id), at in led.items() if complaint_id in own]
    by_category = _grouped(
        level="category",
        pairs={(c.region.street_code, c.category_id) for c in placed},
        categories={c.category_id: [c.category_id] for c in placed},
        regions=regions,
        since=since,
        mine=mine,
    )
    result = {c.pk: by_category.get((c.region.street_code, c.category_id), []) for c in placed}
    missing = [c for c in placed if not result[c.pk]]
    if missing:
        group_of = {c.pk: c.category.parent_id or c.category_id for c in missing}
        by_group = _grouped(
            level="group",
            pairs={(c.region.street_code, group_of[c.pk]) for c in missing},
            categories=_group_members(set(group_of.values())),
            regions=regions,
            since=since,
            mine=mine,
        )
        for c in missing:
            result[c.pk] = by_group.get((c.region.street_code, group_of[c.pk]), [])
    return result


def _street_regions(streets: set[str]) -> dict[str, list[int]]:
    """Each street code → the ids of the street's region and of the places in it, from
    the process's copy of the place tree."""
    tree = place_tree()
    result: dict[str, list[int]] = {}
    for street in streets:
        ids, codes = [], [street] if street in tree.by_code else []
        while codes:
            code = codes.pop()
            ids.append(tree.by_code[code].pk)
            codes.extend(row.code for row in tree.children.get(code, ()))
        result[street] = ids
    return result


def _group_members(groups: set[int]) -> dict[int, list[int]]:
    """Each category group's id → its sub-categories' ids, from the process's copy of the tree."""
    children = category_tree().children
    return {group: [category.pk for category in children.get(group, ())] for group in groups}


def _grouped(*, level: str, pairs: set, categories: dict, regions: dict, since: datetime, mine: list) -> dict:
    """(street code, key) → top units, from this process's kept counts (`similar_kept`),
    the pairs it does not hold counted first; less the page's own orders (`mine`:
    (complaint, unit, assigned at) that a count may hold)."""
    counts = {pair: kept for (_, pair), kept in similar_kept.get_many([(level, pair) for pair in pairs]).items()}
    missed = pairs - counts.keys()
    if missed:
        counted_at = timezone.now()
        counted = _similar_counted(pairs=missed, categories=categories, regions=regions, since=since)
        for pair in missed:
            counts[pair] = (counted_at, counted.get(pair, {}))
            similar_kept.put((level, pair), *counts[pair])
    less: dict = {}
    key_of = {category: key for key, members in categories.items() for category in members}
    for complaint, unit_id, assigned_at in mine:
        key = key_of.get(complaint.category_id)
        pair = (complaint.region.street_code, key)
        # Only what the count holds: an order led after it was counted is not in it.
        if key is not None and pair in pairs and assigned_at <= counts[pair][0]:
            less[(pair, unit_id)] = less.get((pair, unit_id), 0) + 1
    result = {}
    for pair in pairs:
        units = [
            SimilarUnit(unit_id, code, name, orders - less.get((pair, unit_id), 0))
            for unit_id, (code, name, orders) in counts[pair][1].items()
        ]
        ranked = sorted((unit for unit in units if unit.orders > 0), key=lambda unit: (-unit.orders, unit.code))
        if ranked:
            result[pair] = ranked[:SIMILAR_TOP]
    return result


def _similar_counted(*, pairs: set, categories: dict, regions: dict, since: datetime) -> dict:
    """(street code, key) → {unit id: (code, name, orders)}. Counted in SQL in one query
    grouped by the complaints' own place and category and the unit; summed up to streets
    and keys here, from the ids the caller already has, so the query joins no place or
    category row. (A complaint has one place, so distinct counts per place add up to the
    street's.) Matched on category and place ids so the complaints' (category, region,
    submitted_at) index serves it, reading only the street's recent orders of those
    categories."""
    places = sorted(
        {
            (category, region)
            for street, key in pairs
            for category in categories.get(key, ())
            for region in regions.get(street, ())
        }
    )
    if not places:
        return {}
    street_of = {pk: street for street, ids in regions.items() for pk in ids}
    key_of = {category: key for key, members in categories.items() for category in members}
    similar = _filed_since_in(places, since=since)
    rows = (
        Assignment.objects.filter(complaint_id__in=similar)
        .filter(role=AssignmentRole.LEAD, assigned_at__gte=since, unit__is_active=True)
        .exclude(status__in=_HANDED_ON)
        .values_list("complaint__region_id", "complaint__category_id", "unit_id", "unit__code", "unit__name")
        .annotate(orders=Count("complaint_id", distinct=True))
        .order_by()
    )
    counted: dict = {}
    for region_id, category_id, unit_id, code, name, orders in rows:
        units = counted.setdefault((street_of[region_id], key_of[category_id]), {})
        known = units.get(unit_id)
        units[unit_id] = (code, name, orders + (known[2] if known else 0))
    return counted


def _filed_since_in(places: list[tuple[int, int]], *, since: datetime) -> RawSQL:
    """The ids of complaints filed since `since` whose (category id, place id) is one of
    `places`, as a subquery. A row-value list rather than an OR of a branch per category:
    PostgreSQL plans a join of the list to the (category, region, submitted_at) index, a
    probe per pair for the recent past alone, where the OR's two dozen bitmap branches
    took it longer to plan (4 ms) than to run, and took Django longer still to build."""
    table = connection.ops.quote_name(Complaint._meta.db_table)
    columns = {name: connection.ops.quote_name(Complaint._meta.get_field(name).column) for name in _PLACE_COLUMNS}
    rows = ", ".join(["(%s, %s)"] * len(places))
    # Names from the model, quoted; every value a parameter.
    return RawSQL(  # noqa: S611
        f"SELECT {columns['id']} FROM {table} WHERE {columns['submitted_at']} >= %s "  # noqa: S608
        f"AND ({columns['category']}, {columns['region']}) IN (VALUES {rows})",
        [since, *(value for place in places for value in place)],
    )


_PLACE_COLUMNS = ("id", "submitted_at", "category", "region")

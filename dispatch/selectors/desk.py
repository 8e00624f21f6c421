"""Reads the staff desk needs beyond dispatch.selectors: counts for the home page,
choices for the action forms, and the unit chooser. Access is checked by the
caller through dispatch.selectors / dispatch.access, or here where noted."""

from datetime import datetime

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext as _

from complaints.models import Complaint, RegionLevel
from complaints.services.regions import place_tree
from dispatch.access import handler_units, reach_of
from dispatch.models import ACTIVE_STATUSES, Assignment, AssignmentStatus, Unit, UnitKind
from dispatch.selectors.attached import attach_to_complaints_of
from dispatch.selectors.offered_units import communities_under
from dispatch.selectors.paging import PageFirst
from portal.errors import ActionRefused, NotFound

UNIT_SEARCH_LIMIT = 20
MAX_NAMESAKES = 10  # a refusal lists at most this many units sharing a name


def handler_units_with_open_counts(*, user) -> QuerySet[Unit]:
    """The user's handler units, each with its number of open orders, in one query.

    A correlated subquery rather than two joined Counts: an order the unit is both
    accountable for and holding would otherwise be counted twice.
    """
    open_orders = (
        Assignment.objects.filter(Q(unit=OuterRef("pk")) | Q(holder=OuterRef("pk")), status__in=ACTIVE_STATUSES)
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        .values("n")
    )
    return handler_units(user=user).annotate(open_count=Subquery(open_orders, output_field=IntegerField()))


def _overdue(now: datetime) -> Q:
    return Q(next_due__lt=now)


def _due_soon(now: datetime) -> Q:
    return Q(next_due__gte=now, next_due__lt=now + settings.WHISTLE_DUE_SOON)


def with_urgency(queryset: QuerySet[Assignment], *, now: datetime) -> QuerySet[Assignment]:
    """Mark each row "overdue" or "due_soon" in SQL, so the queue can show it without
    a per-row computation that depends on when the template runs."""
    return queryset.annotate(
        urgency=Case(
            When(_overdue(now), then=Value("overdue")),
            When(_due_soon(now), then=Value("due_soon")),
            default=Value(""),
            output_field=CharField(),
        )
    )


def queue_counts(*, assignments: QuerySet[Assignment], now: datetime) -> dict[str, int]:
    """The queue's headline numbers in one query: all rows, new ones (not yet signed
    for), due soon and overdue, by the same tests as `with_urgency`; and `newest`, the
    highest id in the queue, the cursor after which later rows are new to a reader."""
    counts = assignments.order_by().aggregate(
        total=Count("pk"),
        new=Count("pk", filter=Q(status=AssignmentStatus.ASSIGNED)),
        due_soon=Count("pk", filter=_due_soon(now)),
        overdue=Count("pk", filter=_overdue(now)),
        newest=Max("pk"),
    )
    counts["newest"] = counts["newest"] or 0
    return counts


# What a queue row joins besides the assignment; its category and place (the place column
# names the street above a community) come from the process's trees (queue_page_list).
QUEUE_ROW_JOINS = ("complaint", "holder", "unit")


def queue_rows(*, now: datetime) -> QuerySet[Assignment]:
    """Queue rows with what a row joins, unfiltered: for the ids of a page
    (dispatch.selectors.paging.PageFirst), so the joins cost the page, not the queue.
    Their complaints' categories and places are attached after (attach_to_complaints_of)."""
    return with_urgency(Assignment.objects.select_related(*QUEUE_ROW_JOINS), now=now)


def queue_page_list(
    *, ids: QuerySet[Assignment], now: datetime, total: int | None = None, unfiltered_of: Unit | None = None
) -> PageFirst:
    """The (filtered, ordered) queue as a paginator's list: the page's ids first, then
    their rows, each with its complaint's category and place. `unfiltered_of`: the unit
    whose whole queue `ids` is (no filter applied), so a page's ids are read from the
    queue's index ranges (queue_branches)."""
    branches = queue_branches(unit=unfiltered_of) if unfiltered_of is not None else ()
    return PageFirst(ids=ids, rows=queue_rows(now=now), total=total, attach=attach_to_complaints_of, branches=branches)


def queue_branches(*, unit: Unit) -> list[QuerySet[Assignment]]:
    """The rows of `queue_for(unit=unit)` as the index ranges they lie in, each in due
    order: those the unit is accountable for and those it holds, one status at a time.
    A unit's first page is then some 25 rows read from each range, not a sort of every
    open order it has (5,000 at the busiest street office: 7 ms against 1). An order the
    unit both is accountable for and holds lies in two ranges; the union reads it once."""
    return [Assignment.objects.filter(unit=unit, status=status) for status in ACTIVE_STATUSES] + [
        Assignment.objects.filter(holder=unit, status=status) for status in ACTIVE_STATUSES
    ]


def queue_rows_after(
    *, assignments: QuerySet[Assignment], after_id: int, limit: int, now: datetime
) -> list[Assignment]:
    """Rows that joined the queue after the reader's cursor, newest first, at most
    `limit`. Ids only grow, so "after the cursor" is "arrived since": a routed or
    re-dispatched order is a new assignment. (A hand-down moves an existing row to
    the community, so it shows in the counts, not here.) The ids first, then their joins."""
    newer = assignments.filter(pk__gt=after_id).order_by("-pk")
    return queue_page_list(ids=newer, now=now)[:limit]


def community_choices_of(*, unit: Unit) -> list[tuple[str, str]]:
    """The communities of a street office's street as (code, name), in code order, from
    the process's copy of the place tree (none for any other unit). Needs unit.region loaded."""
    if unit.kind != UnitKind.STREET_OFFICE or unit.region_id is None:
        return []
    return [
        (row.code, row.name) for row in place_tree().under(parent_code=unit.region.code, level=RegionLevel.COMMUNITY)
    ]


def hand_down_targets(*, assignment: Assignment) -> list[Unit]:
    """Where the accountable street office may hand an order down to: its active
    communities, by code, from the process's copy (dispatch.selectors.offered_units)."""
    if assignment.unit.kind != UnitKind.STREET_OFFICE:
        return []
    return communities_under(assignment.unit_id)


def dispatch_suggestions(*, complaint: Complaint) -> QuerySet[Unit]:
    """The usual destinations of a hand dispatch: the street office of the
    complaint's street, the departments of its district, the utilities."""
    region = complaint.region
    wanted = Q(kind=UnitKind.UTILITY)
    if region.street_code:
        wanted |= Q(kind=UnitKind.STREET_OFFICE, region__code=region.street_code)
    if region.district_code:
        wanted |= Q(kind=UnitKind.DEPARTMENT, parent__region__code=region.district_code)
    return Unit.objects.filter(wanted, is_active=True).order_by("kind", "path")


def unit_search(*, user, q: str) -> QuerySet[Unit]:
    """Active units whose name or code contains `q`, for the dispatcher's chooser:
    nothing until something is typed, and the first few only."""
    if not reach_of(user).is_dispatcher:
        raise NotFound
    q = (q or "").strip()
    if not q:
        return Unit.objects.none()
    return _units_matching(q)[:UNIT_SEARCH_LIMIT]


def unit_directory(*, user, q: str = "") -> QuerySet[Unit]:
    """Active units for any staff member (handler, supervisor, the 12345 centre),
    in tree order; `q` narrows to names or codes containing it. The caller pages it."""
    if not reach_of(user).is_staff_member:
        raise NotFound
    return _units_matching((q or "").strip())


def _units_matching(q: str) -> QuerySet[Unit]:
    units = Unit.objects.filter(is_active=True)
    if q:
        units = units.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return units.only("pk", "code", "name", "kind").order_by("path", "pk")


def unit_find(*, value: str) -> Unit | None:
    """An active unit by its code, by its id when the value is a number, or by its
    exact name. None when nothing matches; a name two units share is refused with
    their codes, so the person can pick one instead of the portal guessing."""
    value = (value or "").strip()
    if not value:
        return None
    unit = Unit.objects.filter(code=value, is_active=True).first()
    if unit is None and value.isdigit() and len(value) <= 18:
        unit = Unit.objects.filter(pk=int(value), is_active=True).first()
    if unit is not None:
        return unit
    named = list(
        Unit.objects.filter(name=value, is_active=True).select_related("parent").order_by("code")[:MAX_NAMESAKES]
    )
    if len(named) > 1:
        matches = "; ".join(f"{u.code} ({u.parent.name if u.parent else u.get_kind_display()})" for u in named)
        raise ActionRefused(
            _("More than one unit is called “%(name)s”: give its code instead (%(matches)s).")
            % {"name": value, "matches": matches},
            field="unit",
        )
    return named[0] if named else None

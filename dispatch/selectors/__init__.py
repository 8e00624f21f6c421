"""Reads for staff. Each takes the user and returns only what that user may see."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from complaints.models import Complaint, ComplaintEvent, Photo
from dispatch.access import can_act_on, reach_of
from dispatch.models import (
    ACTIVE_STATUSES,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Extension,
    TriageItem,
    Unit,
)
from dispatch.selectors.attached import attach_category_and_place
from dispatch.selectors.offered_units import summonable_in
from portal.errors import NotFound


def queue_for(*, user, unit: Unit) -> QuerySet[Assignment]:
    """A handler unit's open orders, earliest due first: those it is accountable
    for and those handed down to it."""
    if unit.pk not in reach_of(user).handler_unit_ids:
        raise NotFound
    return (
        Assignment.objects.filter(Q(unit=unit) | Q(holder=unit), status__in=ACTIVE_STATUSES)
        .select_related("complaint__category__parent", "complaint__region", "holder", "unit")
        .order_by("next_due", "pk")
    )


@dataclass(frozen=True)
class OrderView:
    complaint: Complaint
    # The lead's live assignment, else its latest; for the handler of a summoned
    # unit, that unit's own co-handling assignment (so lead actions never reach the lead).
    assignment: Assignment | None
    can_act: bool  # the lead's actions; never true for a summoned unit
    shows_personal_data: bool
    is_dispatcher: bool
    lead: Assignment | None = None  # the lead's live assignment, else its latest
    co_handling: Assignment | None = None  # the user's unit's summons, when that is how they reach the order
    can_report: bool = False
    # The user's unit is accountable for, or holds, the order's lead assignment (live
    # or not): the lead's actions are theirs to try, and the state decides.
    handles: bool = False
    # Every assignment of the order, newest first, each with its units, policy and rule:
    # the page's returns and summoned units are read from these, not queried again.
    assignments: tuple[Assignment, ...] = ()

    @property
    def has_extensions(self) -> bool:
        """Whether anyone ever asked for more time on the order (else its history is empty)."""
        return any(assignment.has_extensions for assignment in self.assignments)


def order_get_for(*, user, tracking_number: str) -> OrderView:
    """The one door to an order's staff page. NotFound when the user has no reach.

    The complaint's category and place come from the process's trees, not joins: at a
    million rows PostgreSQL spent some 10 ms planning the order's query with its
    category, group and three levels of place joined, against well under 1 ms reading it."""
    complaint = (
        Complaint.objects.select_related("filed_by", "repeat_of")
        .annotate(repeat_count=_repeat_count(), has_photos=_has(Photo), has_followers=_has_followers())
        .filter(tracking_number=tracking_number)
        .first()
    )
    if complaint is None:
        raise NotFound
    attach_category_and_place([complaint])
    assignments = list(
        Assignment.objects.filter(complaint=complaint)
        .select_related("unit", "holder", "policy", "rule")
        .annotate(has_extensions=Exists(Extension.objects.filter(assignment_id=OuterRef("pk"))))
        .order_by("-assigned_at", "-pk")
    )
    for assignment in assignments:
        assignment.complaint = complaint  # the page reads it through its assignments: not again from the database
    leads = [a for a in assignments if a.role == AssignmentRole.LEAD]
    live = next((a for a in leads if a.status in ACTIVE_STATUSES), None)
    current = live or (leads[0] if leads else None)
    reach = reach_of(user)
    handles = current is not None and can_act_on(user=user, assignment=current)
    co_handling = None
    if not handles:
        # Reached through a summons: the live one first, else the latest.
        mine = [a for a in assignments if a.role == AssignmentRole.CO_HANDLER and can_act_on(user=user, assignment=a)]
        co_handling = next((a for a in mine if a.status in ACTIVE_STATUSES), mine[0] if mine else None)
    supervised = any(a.unit.path.startswith(path) for a in assignments for path in reach.supervised_paths)
    if not (handles or co_handling or reach.is_dispatcher or supervised):
        raise NotFound
    return OrderView(
        complaint=complaint,
        assignment=co_handling or current,
        can_act=handles and live is not None,
        shows_personal_data=handles or reach.is_dispatcher or bool(co_handling and co_handling.is_active),
        is_dispatcher=reach.is_dispatcher,
        lead=current,
        co_handling=co_handling,
        can_report=bool(co_handling and co_handling.is_active and co_handling.reported_at is None and live),
        handles=handles,
        assignments=tuple(assignments),
    )


# In the order's own query, so an order without repeat calls, photos or followers
# costs nothing more for them.
def _repeat_count():
    repeats = Complaint.objects.filter(repeat_of=OuterRef("pk")).order_by().values("repeat_of").annotate(n=Count("pk"))
    return Coalesce(Subquery(repeats.values("n"), output_field=IntegerField()), Value(0))


def _has(model) -> Exists:
    return Exists(model.objects.filter(complaint_id=OuterRef("pk")))


def _has_followers() -> Exists:
    return Exists(Complaint.objects.filter(merged_into_id=OuterRef("pk")))


def order_returns(*, view: OrderView) -> list[Assignment]:
    """Which units returned the order, when and why, oldest first (as
    dispatch.selectors.triage.return_history), from the assignments the view holds."""
    returned = [a for a in view.assignments if a.status == AssignmentStatus.RETURNED]
    return sorted(returned, key=lambda a: (a.returned_at is None, a.returned_at, a.pk))


def order_summoned(*, view: OrderView) -> list[Assignment]:
    """`summoned_for(lead=view.lead)` from the assignments the view holds: no query."""
    if view.lead is None:
        return []
    summoned = [a for a in view.assignments if a.role == AssignmentRole.CO_HANDLER and a.lead_id == view.lead.pk]
    return sorted(summoned, key=lambda a: (a.assigned_at, a.pk))


REPEATS_SHOWN = 20


def order_repeats(*, view: OrderView) -> list[Complaint]:
    """The latest repeat calls (重复件) on a first order's matter, oldest first, at
    most REPEATS_SHOWN of them (`complaint.repeat_count` says how many in all). One
    query, and none when there are none. The caller has checked the user may see the order."""
    if not getattr(view.complaint, "repeat_count", 0):
        return []
    latest = view.complaint.repeats.only("pk", "tracking_number", "submitted_at", "repeat_of").order_by(
        "-submitted_at", "-pk"
    )
    return sorted(latest[:REPEATS_SHOWN], key=lambda repeat: (repeat.submitted_at, repeat.pk))


def summoned_for(*, lead: Assignment) -> list[Assignment]:
    """Every unit the lead has summoned, first summoned first. The caller has
    checked the user may see the order."""
    return list(
        Assignment.objects.filter(lead=lead, role=AssignmentRole.CO_HANDLER)
        .select_related("unit", "holder")
        .order_by("assigned_at", "pk")
    )


def report_state(*, co: Assignment, now: datetime) -> str:
    """Where a summoned unit stands with its report: reported (on time or late),
    late (nothing yet, past due), waiting, or did not report (the summons closed)."""
    if co.reported_at is not None:
        return "reported_late" if co.reported_at > co.report_due else "reported"
    if co.report_due < now:
        return "late"
    return "waiting" if co.is_active else "not_reported"


def whistle_targets(*, lead: Assignment, assignments: Iterable[Assignment] | None = None) -> list[Unit]:
    """Who the lead may summon: the departments of the complaint's district and the
    city's utilities, active (from the process's copy, dispatch.selectors.offered_units),
    less the lead's own units and those already summoned and still live. `assignments`:
    the order's, when the caller holds them (the order page does), else they are read."""
    if assignments is None:
        assignments = Assignment.objects.filter(lead=lead, role=AssignmentRole.CO_HANDLER, status__in=ACTIVE_STATUSES)
    live = {
        a.unit_id
        for a in assignments
        if a.lead_id == lead.pk and a.role == AssignmentRole.CO_HANDLER and a.status in ACTIVE_STATUSES
    }
    taken = {lead.unit_id, lead.holder_id, *live}
    return [unit for unit in summonable_in(lead.complaint.region.district_code) if unit.pk not in taken]


def staff_timeline(*, complaint: Complaint) -> QuerySet[ComplaintEvent]:
    return complaint.events.select_related("actor").order_by("created_at", "id")


def triage_queue(*, user) -> QuerySet[TriageItem]:
    if not reach_of(user).is_dispatcher:
        raise NotFound
    return (
        TriageItem.objects.filter(closed_at__isnull=True)
        .select_related("complaint__category__parent", "complaint__region")
        .order_by("created_at", "pk")
    )

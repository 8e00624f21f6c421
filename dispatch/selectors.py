"""Reads for staff. Each takes the user and returns only what that user may see."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from complaints.models import Complaint, ComplaintEvent
from dispatch.access import can_act_on, reach_of
from dispatch.models import ACTIVE_STATUSES, Assignment, TriageItem, Unit
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
    assignment: Assignment | None  # the live one, else the latest
    can_act: bool
    shows_personal_data: bool
    is_dispatcher: bool


def order_get_for(*, user, tracking_number: str) -> OrderView:
    """The one door to an order's staff page. NotFound when the user has no reach."""
    complaint = (
        Complaint.objects.select_related("category__parent", "region__parent__parent")
        .filter(tracking_number=tracking_number)
        .first()
    )
    if complaint is None:
        raise NotFound
    assignments = list(
        Assignment.objects.filter(complaint=complaint).select_related("unit", "holder").order_by("-assigned_at", "-pk")
    )
    live = next((a for a in assignments if a.status in ACTIVE_STATUSES), None)
    current = live or (assignments[0] if assignments else None)
    reach = reach_of(user)
    handles = current is not None and can_act_on(user=user, assignment=current)
    supervised = any(a.unit.path.startswith(path) for a in assignments for path in reach.supervised_paths)
    if not (handles or reach.is_dispatcher or supervised):
        raise NotFound
    return OrderView(
        complaint=complaint,
        assignment=current,
        can_act=handles and live is not None,
        shows_personal_data=handles or reach.is_dispatcher,
        is_dispatcher=reach.is_dispatcher,
    )


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

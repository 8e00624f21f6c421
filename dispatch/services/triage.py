from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from complaints.models import ComplaintStatus, EventKind
from complaints.services import complaint_lock, complaint_move
from complaints.services.lifecycle import stored_text
from dispatch.access import reach_of
from dispatch.models import ACTIVE_STATUSES, Assignment, AssignmentReason, AssignmentStatus, TriageItem, Unit
from dispatch.services.assignments import assignment_create
from portal.errors import ActionRefused, ChangedBySomeoneElse

DISPATCHABLE = (
    ComplaintStatus.SUBMITTED,
    ComplaintStatus.ASSIGNED,
    ComplaintStatus.ACCEPTED,
    ComplaintStatus.IN_PROGRESS,
    ComplaintStatus.RETURNED,
)


def triage_dispatch(*, user, complaint_id: int, unit_id: int, note: str = "", version: int | None = None) -> Assignment:
    """The 12345 centre sends an order to a unit by hand: from triage, or away from
    the unit that holds it now (its live assignment is superseded)."""
    if not reach_of(user).is_dispatcher:
        raise ActionRefused(_("Only the 12345 centre can dispatch orders by hand."))
    with transaction.atomic():
        complaint = complaint_lock(complaint_id=complaint_id)
        if version is not None and version != complaint.version:
            raise ChangedBySomeoneElse()
        if complaint.status not in DISPATCHABLE:
            raise ActionRefused(_("This order can no longer be dispatched."))
        unit = Unit.objects.filter(pk=unit_id, is_active=True).first()
        if unit is None:
            raise ActionRefused(_("Choose an active unit."))
        live = Assignment.objects.select_for_update().filter(complaint=complaint, status__in=ACTIVE_STATUSES).first()
        if live is not None:
            if live.unit_id == unit.pk:
                raise ActionRefused(_("The order is already with that unit."))
            live.status = AssignmentStatus.SUPERSEDED
            live.next_due = None
            live.next_alert_at = None
            live.version += 1
            live.save(update_fields=["status", "next_due", "next_alert_at", "version"])
        TriageItem.objects.filter(complaint=complaint, closed_at__isnull=True).update(
            closed_at=timezone.now(), closed_by=user
        )
        assignment = assignment_create(
            complaint=complaint, unit=unit, reason=AssignmentReason.DISPATCHED, assigned_by=user
        )
        complaint_move(
            complaint=complaint,
            to=ComplaintStatus.ASSIGNED,
            event=EventKind.ASSIGNED,
            actor=user,
            actor_label=stored_text(gettext_noop("12345 centre")),
            message=stored_text(gettext_noop("Assigned to %(unit)s."), unit=unit.name),
            data={"unit_id": unit.pk, "note": note.strip()},
        )
        return assignment


def complaint_reassign_after_reopen(*, complaint, actor_label: str) -> Assignment | None:
    """Hand a reopened order back to the unit that resolved it, with fresh due
    times. Runs inside the reopening transaction (complaint already locked)."""
    last = (
        Assignment.objects.filter(complaint=complaint, status=AssignmentStatus.RESOLVED)
        .select_related("unit")
        .order_by("-resolved_at")
        .first()
    )
    if last is None or not last.unit.is_active:
        TriageItem.objects.create(
            complaint=complaint, reason="disputed", note=stored_text(gettext_noop("Reopened; no unit to return to."))
        )
        return None
    assignment = assignment_create(complaint=complaint, unit=last.unit, reason=AssignmentReason.REOPENED)
    complaint_move(
        complaint=complaint,
        to=ComplaintStatus.ASSIGNED,
        event=EventKind.ASSIGNED,
        actor_label=actor_label,
        message=stored_text(gettext_noop("Back with %(unit)s."), unit=last.unit.name),
        data={"unit_id": last.unit_id, "reopened": True},
    )
    return assignment

"""Returns (退单): a unit that is not responsible sends the order back to the 12345
centre, which re-dispatches it. Only before signing for it, and only within the
return window: once a unit has signed, the order is theirs to finish or to have
re-dispatched by the centre."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import ComplaintStatus, EventKind
from complaints.services import complaint_lock, complaint_move
from dispatch.access import reach_of
from dispatch.models import Assignment, AssignmentReason, AssignmentStatus, ReturnReason, TriageItem, TriageReason
from dispatch.services.assignments import (
    assignment_lock_for_action,
    co_handlers_close,
    complaint_assign,
)
from dispatch.services.routing import route
from dispatch.services.triage_items import triage_close
from portal.errors import ActionRefused

# An order returned this many times is flagged in triage: routing keeps missing it.
FLAG_AFTER_RETURNS = 2


def assignment_return(
    *, user, assignment_id: int, reason: str, note: str = "", version: int | None = None
) -> Assignment:
    if reason not in ReturnReason.values:
        raise ActionRefused(_("Choose why the order is not yours."))
    note = (note or "").strip()
    if reason == ReturnReason.OTHER and not note:
        raise ActionRefused(_("Say why the order is not yours."))
    if len(note) > 1000:
        raise ActionRefused(_("Keep it under %(n)d characters.") % {"n": 1000})
    with transaction.atomic():
        assignment, complaint = assignment_lock_for_action(user=user, assignment_id=assignment_id, version=version)
        if assignment.status != AssignmentStatus.ASSIGNED:
            raise ActionRefused(_("An order can be returned only before it is signed for."))
        if assignment.is_handed_down:
            # The street is accountable: a community hands the order up, it does not return it.
            raise ActionRefused(_("The order is with a community: take it back (or hand it up) before returning it."))
        now = timezone.now()
        if now > assignment.assigned_at + settings.WHISTLE_RETURN_WINDOW:
            raise ActionRefused(
                _("Returns are allowed only within %(minutes)d minutes of assignment; ask the 12345 centre instead.")
                % {"minutes": settings.WHISTLE_RETURN_WINDOW.total_seconds() // 60}
            )
        assignment.status = AssignmentStatus.RETURNED
        assignment.returned_at = now
        assignment.return_reason = reason
        assignment.return_note = note
        assignment.next_due = None
        assignment.next_alert_at = None
        assignment.version += 1
        assignment.save(
            update_fields=[
                "status",
                "returned_at",
                "return_reason",
                "return_note",
                "next_due",
                "next_alert_at",
                "version",
            ]
        )
        co_handlers_close(lead=assignment, status=AssignmentStatus.SUPERSEDED)
        TriageItem.objects.create(
            complaint=complaint,
            reason=TriageReason.RETURNED,
            note=f"{assignment.unit.name}: {ReturnReason(reason).label}" + (f" — {note}" if note else ""),
        )
        complaint_move(
            complaint=complaint,
            to=ComplaintStatus.RETURNED,
            event=EventKind.RETURNED,
            actor=user,
            fact="returned",
            by=assignment.unit_id,
            # The reason code and the note are the 12345 centre's: the order page's returns panel shows them.
            data={"unit": assignment.unit_id, "return_reason": reason, "note": note},
        )
        return assignment


def returned_by(*, complaint_id: int) -> frozenset[int]:
    return frozenset(
        Assignment.objects.filter(complaint_id=complaint_id, status=AssignmentStatus.RETURNED).values_list(
            "unit_id", flat=True
        )
    )


def triage_reroute(*, user, complaint_id: int) -> Assignment:
    """Run routing again for a returned order, leaving out every unit that has
    returned it. Refuses (nothing changed) when no other unit qualifies."""
    if not reach_of(user).is_dispatcher:
        raise ActionRefused(_("Only the 12345 centre can dispatch orders by hand."))
    with transaction.atomic():
        complaint = complaint_lock(complaint_id=complaint_id)
        if complaint.status != ComplaintStatus.RETURNED:
            raise ActionRefused(_("Only a returned order is routed again."))
        rule, unit = route(complaint=complaint, exclude_unit_ids=returned_by(complaint_id=complaint.pk))
        if unit is None:
            raise ActionRefused(_("No other unit fits the routing rules; dispatch it by hand."))
        triage_close(complaint=complaint, user=user)
        return complaint_assign(
            complaint=complaint,
            unit=unit,
            reason=AssignmentReason.ROUTED,
            rule=rule,
            actor=user,
            data={"rule_id": rule.pk, "rule": rule.name},
            fact="rerouted",
        )

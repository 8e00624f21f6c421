from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from complaints.models import Complaint, ComplaintStatus, EventKind
from complaints.services import complaint_lock, complaint_move
from complaints.services.triage_moves import complaint_set_category
from complaints.timeline import CENTRE, SYSTEM
from dispatch.access import reach_of
from dispatch.models import (
    ACTIVE_STATUSES,
    Assignment,
    AssignmentReason,
    AssignmentRole,
    AssignmentStatus,
    TriageItem,
    Unit,
)
from dispatch.selectors.desk import unit_find
from dispatch.services.assignments import assignment_create, assignments_supersede, clean_text, complaint_assign
from dispatch.services.public_text import public_text_check
from dispatch.services.returns import returned_by, triage_reroute
from dispatch.services.routing import complaint_route, route
from dispatch.services.triage_items import triage_close
from portal.errors import ActionRefused, ChangedBySomeoneElse, NotAllowed

DISPATCHABLE = (
    ComplaintStatus.SUBMITTED,
    ComplaintStatus.ASSIGNED,
    ComplaintStatus.ACCEPTED,
    ComplaintStatus.IN_PROGRESS,
    ComplaintStatus.RETURNED,
)


def triage_dispatch_to(*, user, complaint_id: int, unit: str, note: str = "", version: int | None = None) -> Assignment:
    """Dispatch by hand to the unit a person typed or a system sent: its code, its id or its name."""
    _require_dispatcher(user=user)
    # After the check above, so a non-dispatcher learns nothing about which units exist.
    found = unit_find(value=unit)
    if found is None:
        raise ActionRefused(
            _("No active unit has the code, number or name “%(value)s”.") % {"value": (unit or "").strip()},
            field="unit",
        )
    return triage_dispatch(user=user, complaint_id=complaint_id, unit_id=found.pk, note=note, version=version)


def triage_dispatch(*, user, complaint_id: int, unit_id: int, note: str = "", version: int | None = None) -> Assignment:
    """The 12345 centre sends an order to a unit by hand: from triage, or away from
    the unit that holds it now (its live assignment is superseded)."""
    _require_dispatcher(user=user)
    with transaction.atomic():
        complaint = complaint_lock(complaint_id=complaint_id)
        if version is not None and version != complaint.version:
            raise ChangedBySomeoneElse()
        if complaint.status not in DISPATCHABLE:
            raise ActionRefused(_("This order can no longer be dispatched."))
        unit = Unit.objects.filter(pk=unit_id, is_active=True).first()
        if unit is None:
            raise ActionRefused(_("Choose an active unit."), field="unit")
        live = (
            Assignment.objects.select_for_update()
            .filter(complaint=complaint, status__in=ACTIVE_STATUSES, role=AssignmentRole.LEAD)
            .first()
        )
        if live is not None:
            if live.unit_id == unit.pk:
                raise ActionRefused(_("The order is already with that unit."))
            assignments_supersede(complaint=complaint)
        triage_close(complaint=complaint, user=user)
        return complaint_assign(
            complaint=complaint,
            unit=unit,
            reason=AssignmentReason.DISPATCHED,
            actor=user,
            data={"note": note.strip()},
            fact="dispatched",
        )


def triage_route_again(*, user, complaint_id: int, version: int | None = None) -> Assignment:
    """Route a returned order again (see `triage_reroute`), refusing a stale version
    when the door carries one (the API does; the page's button has none)."""
    _require_dispatcher(user=user)
    with transaction.atomic():
        complaint = complaint_lock(complaint_id=complaint_id)
        if version is not None and version != complaint.version:
            raise ChangedBySomeoneElse()
        return triage_reroute(user=user, complaint_id=complaint.pk)


def triage_note(msgid: str) -> str:
    """A triage item's note is plain text read by the 12345 centre on its queue,
    not a timeline event, so it is written once in the portal's language.
    `msgid` is marked with gettext_noop by the caller."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(msgid)


def _require_dispatcher(*, user) -> None:
    if not reach_of(user).is_dispatcher:
        raise NotAllowed(_("Only the 12345 centre can dispatch orders by hand."))


def complaint_reassign_after_reopen(*, complaint) -> Assignment | None:
    """Hand a reopened order back to the unit that resolved it, with fresh due
    times. Runs inside the reopening transaction (complaint already locked)."""
    last = (
        Assignment.objects.filter(complaint=complaint, status=AssignmentStatus.RESOLVED, role=AssignmentRole.LEAD)
        .select_related("unit")
        .order_by("-resolved_at")
        .first()
    )
    if last is None or not last.unit.is_active:
        TriageItem.objects.create(
            complaint=complaint, reason="disputed", note=triage_note(gettext_noop("Reopened; no unit to return to."))
        )
        return None
    assignment = assignment_create(complaint=complaint, unit=last.unit, reason=AssignmentReason.REOPENED)
    complaint_move(
        complaint=complaint,
        to=ComplaintStatus.ASSIGNED,
        event=EventKind.ASSIGNED,
        # The portal hands it back, not the resident who reopened it: the reopen
        # line just before this one is theirs.
        fact="reassigned",
        by=SYSTEM,
        data={"unit": last.unit_id},
    )
    return assignment


# Before a unit signs for an order the centre may still decide it is not a matter
# for 12345 at all; after that the unit owns it and must answer it.
REJECTABLE = (ComplaintStatus.SUBMITTED, ComplaintStatus.ASSIGNED, ComplaintStatus.RETURNED)
REASON_MAX = 1000


def triage_reject(*, user, complaint_id: int, reason: str, version: int | None) -> Complaint:
    """Reject an order as out of scope (不予受理) with a reason the resident reads on
    the public timeline. Any live, not yet signed-for assignment is superseded and
    the order leaves triage."""
    if not reach_of(user).is_dispatcher:
        raise NotAllowed(_("Only the 12345 centre can reject an order."))
    reason = clean_text(
        reason,
        required_message=_("Say why the order cannot be accepted; the resident will read it."),
        max_length=REASON_MAX,
    )
    with transaction.atomic():
        complaint = complaint_lock(complaint_id=complaint_id)
        if version is not None and version != complaint.version:
            raise ChangedBySomeoneElse()
        live = list(Assignment.objects.select_for_update().filter(complaint=complaint, status__in=ACTIVE_STATUSES))
        signed = any(assignment.status != AssignmentStatus.ASSIGNED for assignment in live)
        if complaint.status not in REJECTABLE or signed:
            raise ActionRefused(
                _("Only an order no unit has signed for can be rejected; this one is “%(status)s”.")
                % {"status": complaint.get_status_display()}
            )
        public_text_check(complaint=complaint, text=reason, field="reason")
        assignments_supersede(complaint=complaint)
        triage_close(complaint=complaint, user=user)
        complaint_move(
            complaint=complaint,
            to=ComplaintStatus.REJECTED,
            event=EventKind.REJECTED,
            actor=user,
            fact="rejected",
            by=CENTRE,
            # Typed by the dispatcher for the resident: kept verbatim (Open311 shows it as the reply).
            message=reason,
            data={"reason": reason},
        )
        return complaint


@dataclass(frozen=True)
class Recategorised:
    complaint: Complaint
    assignment: Assignment | None  # the new one when the order was routed again
    in_triage: bool  # still waits for the centre (no rule fits the new category)


def triage_recategorise(
    *, user, complaint_id: int, category_id: int, version: int | None, reroute: bool
) -> Recategorised:
    """Change an order's category and, if it waits in triage and `reroute` is set,
    route it again by the new category. An order a unit already holds only
    changes category: its assignment and due times stay as they are, since the
    unit is working to them; the centre re-dispatches by hand if it must move."""
    if not reach_of(user).is_dispatcher:
        raise NotAllowed(_("Only the 12345 centre can change an order's category."))
    with transaction.atomic():
        complaint = complaint_lock(complaint_id=complaint_id)
        waiting = complaint.status == ComplaintStatus.RETURNED or (
            complaint.status == ComplaintStatus.SUBMITTED
            and TriageItem.objects.filter(complaint=complaint, closed_at__isnull=True).exists()
        )
        complaint = complaint_set_category(
            complaint_id=complaint.pk, category_id=category_id, actor=user, version=version
        )
        # An emergency is never handed to a rule: the centre dispatches it by hand.
        if not (reroute and waiting) or complaint.emergency_words:
            return Recategorised(complaint=complaint, assignment=None, in_triage=waiting)
        returned = returned_by(complaint_id=complaint.pk)
        _rule, unit = route(complaint=complaint, exclude_unit_ids=returned)
        if unit is None:
            # The triage item stays open: the centre still has to dispatch it by hand.
            return Recategorised(complaint=complaint, assignment=None, in_triage=True)
        if complaint.status == ComplaintStatus.RETURNED:
            assignment = triage_reroute(user=user, complaint_id=complaint.pk)
        else:
            triage_close(complaint=complaint, user=user)
            complaint_route(complaint_id=complaint.pk)
            assignment = Assignment.objects.select_related("unit").get(complaint=complaint, status__in=ACTIVE_STATUSES)
        complaint.refresh_from_db()
        return Recategorised(complaint=complaint, assignment=assignment, in_triage=False)

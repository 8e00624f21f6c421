"""What a handling unit does with an order. Each action is one short transaction:
lock the assignment row, check the version the form was loaded with, check the
state, write, record the event."""

from datetime import datetime

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Complaint, ComplaintStatus, EventKind
from complaints.services import complaint_lock, complaint_move
from complaints.services.lifecycle import complaint_record, complaints_move_many
from complaints.timeline import CENTRE
from dispatch.access import can_act_on, reach_of
from dispatch.models import (
    ACTIVE_STATUSES,
    Assignment,
    AssignmentReason,
    AssignmentRole,
    AssignmentStatus,
    DeadlinePolicy,
    RoutingRule,
    Unit,
    UnitKind,
)
from dispatch.services.deadlines import due_times, policy_for, refresh_due
from dispatch.services.public_text import public_text_check
from portal.errors import ActionRefused, ChangedBySomeoneElse, NotAllowed, NotFound

A = AssignmentStatus
MAX_TEXT = 2000


def assignment_create(*, complaint: Complaint, unit: Unit, reason: str, rule=None, assigned_by=None) -> Assignment:
    """A new live assignment with its due times. The caller holds the complaint lock."""
    now = timezone.now()
    policy = policy_for(category=complaint.category, priority=complaint.priority)
    assignment = _assignment_new(
        complaint=complaint,
        unit=unit,
        reason=reason,
        rule=rule,
        assigned_by=assigned_by,
        assigned_at=now,
        policy=policy,
        due=due_times(assigned_at=now, policy=policy),
    )
    assignment.save()
    return assignment


def _assignment_new(
    *, complaint, unit, reason, rule, assigned_by, assigned_at: datetime, policy, due: tuple[datetime, datetime]
) -> Assignment:
    assignment = Assignment(
        complaint=complaint,
        unit=unit,
        holder=unit,
        reason=reason,
        rule=rule,
        assigned_by=assigned_by,
        assigned_at=assigned_at,
        contact_due=due[0],
        resolve_due=due[1],
        policy=policy,
    )
    refresh_due(assignment=assignment)
    return assignment


def complaints_assign_routed(*, routes: list[tuple[Complaint, Unit, RoutingRule]]) -> list[Assignment]:
    """`complaint_assign` by routing rule for many locked complaints: the same
    assignments, due times, "Assigned to …" lines and resident notices, in a fixed
    number of statements whatever the batch's size (the policies in one query,
    each policy's due times once, then one INSERT of assignments, one UPDATE of
    the complaints, one INSERT of events and one of notices)."""
    if not routes:
        return []
    now = timezone.now()
    policies = _policies_for(complaints=[complaint for complaint, _unit, _rule in routes])
    due: dict[int | None, tuple[datetime, datetime]] = {}
    assignments = []
    for complaint, unit, rule in routes:
        policy = policies[(complaint.category_id, complaint.priority)]
        key = policy.pk if policy else None
        if key not in due:
            due[key] = due_times(assigned_at=now, policy=policy)
        assignments.append(
            _assignment_new(
                complaint=complaint,
                unit=unit,
                reason=AssignmentReason.ROUTED,
                rule=rule,
                assigned_by=None,
                assigned_at=now,
                policy=policy,
                due=due[key],
            )
        )
    Assignment.objects.bulk_create(assignments)
    complaints_move_many(
        complaints=[complaint for complaint, _unit, _rule in routes],
        to=ComplaintStatus.ASSIGNED,
        event=EventKind.ASSIGNED,
        fact="assigned",
        by=CENTRE,
        data={c.pk: {"unit": unit.pk, "rule_id": rule.pk, "rule": rule.name} for c, unit, rule in routes},
    )
    return assignments


def _policies_for(*, complaints: list[Complaint]) -> dict[tuple[int, str], DeadlinePolicy | None]:
    """`policy_for` of each complaint's (category, priority), in one query."""
    codes = {code for complaint in complaints for code in complaint.category.ancestor_codes()}
    candidates = list(
        DeadlinePolicy.objects.filter(
            Q(category__isnull=True) | Q(category__code__in=codes),
            priority__in={complaint.priority for complaint in complaints},
            is_active=True,
        ).select_related("category")
    )
    chosen = {}
    for complaint in complaints:
        key = (complaint.category_id, complaint.priority)
        if key in chosen:
            continue
        ancestors = set(complaint.category.ancestor_codes())
        fitting = [
            p
            for p in candidates
            if p.priority == complaint.priority and (p.category_id is None or p.category.code in ancestors)
        ]
        # The nearest ancestor's policy wins, as in policy_for.
        chosen[key] = max(fitting, key=lambda p: p.category.depth if p.category_id else 0, default=None)
    return chosen


def assignment_lock_for_action(
    *, user, assignment_id: int, version: int | None, role: str = AssignmentRole.LEAD
) -> tuple[Assignment, Complaint]:
    """Lock the complaint, then the assignment (always in that order, so two
    actions cannot deadlock), and check the user may act and the form is fresh.

    `role` keeps the lead's actions (sign for, contact, resolve, hand down,
    return, more time) on the lead assignment: a summoned unit's only action is
    its report, whatever id a forged form carries."""
    complaint_id = Assignment.objects.filter(pk=assignment_id).values_list("complaint_id", flat=True).first()
    if complaint_id is None:
        raise NotFound
    complaint = complaint_lock(complaint_id=complaint_id)
    assignment = Assignment.objects.select_for_update().select_related("unit", "holder").get(pk=assignment_id)
    if not can_act_on(user=user, assignment=assignment):
        raise NotAllowed(_("Only the unit handling this order can do that."))
    if assignment.role != role:
        if role == AssignmentRole.LEAD:
            raise NotAllowed(_("Only the lead unit can do that; a summoned unit reports what it did."))
        raise NotAllowed(_("Only a summoned unit reports."))
    if version is not None and version != assignment.version:
        raise ChangedBySomeoneElse()
    return assignment, complaint


def co_handlers_close(*, lead: Assignment, status: str) -> int:
    """Close the live summonses of a lead assignment that is over: RESOLVED with
    the lead's resolution, SUPERSEDED when the order leaves the lead unit. Their
    `resolved_at` stays empty: the lead resolved the order, not them, and reports
    count resolutions by it. The caller holds the complaint lock."""
    return Assignment.objects.filter(lead=lead, status__in=ACTIVE_STATUSES).update(
        status=status, next_due=None, next_alert_at=None, version=models.F("version") + 1
    )


def complaint_assign(
    *,
    complaint: Complaint,
    unit: Unit,
    reason: str,
    rule=None,
    actor=None,
    data: dict | None = None,
    fact: str = "assigned",
) -> Assignment:
    """The 12345 centre gives a locked complaint to `unit`: a live lead assignment
    with its due times, and the resident's "Assigned to …" line. Routing, hand
    dispatch and re-routing all come through here; `fact` says which."""
    assignment = assignment_create(complaint=complaint, unit=unit, reason=reason, rule=rule, assigned_by=actor)
    complaint_move(
        complaint=complaint,
        to=ComplaintStatus.ASSIGNED,
        event=EventKind.ASSIGNED,
        actor=actor,
        fact=fact,
        by=CENTRE,
        data={"unit": unit.pk, **(data or {})},
    )
    return assignment


def assignments_supersede(*, complaint) -> int:
    """Take the order away from every unit that holds it live, lead and summonses
    alike (re-dispatch, reject, merge). The caller holds the complaint lock."""
    return Assignment.objects.filter(complaint=complaint, status__in=ACTIVE_STATUSES).update(
        status=A.SUPERSEDED, next_due=None, next_alert_at=None, version=models.F("version") + 1
    )


def _require(assignment: Assignment, *statuses: str, message: str) -> None:
    if assignment.status not in statuses:
        raise ActionRefused(message)


def clean_text(value: str, *, required_message: str, max_length: int = MAX_TEXT) -> str:
    """Trimmed free text for a staff action: required, and at most `max_length` long."""
    value = (value or "").strip()
    if not value:
        raise ActionRefused(required_message)
    if len(value) > max_length:
        raise ActionRefused(_("Keep it under %(n)d characters.") % {"n": max_length})
    return value


def _save(assignment: Assignment, *fields: str) -> None:
    assignment.version += 1
    refresh_due(assignment=assignment)
    assignment.save(update_fields=[*fields, "version", "next_due", "next_alert_at"])


def assignment_accept(*, user, assignment_id: int, version: int | None = None) -> Assignment:
    """Sign for (签收) the order: the unit takes it on."""
    with transaction.atomic():
        assignment, complaint = assignment_lock_for_action(user=user, assignment_id=assignment_id, version=version)
        _require(assignment, A.ASSIGNED, message=_("This order has already been signed for."))
        assignment.status = A.ACCEPTED
        assignment.accepted_at = timezone.now()
        _save(assignment, "status", "accepted_at")
        complaint_move(
            complaint=complaint,
            to=ComplaintStatus.ACCEPTED,
            event=EventKind.ACCEPTED,
            actor=user,
            fact="accepted",
            by=assignment.holder_id,
            data={"unit": assignment.holder_id},
        )
        return assignment


def assignment_record_contact(*, user, assignment_id: int, note: str, version: int | None = None) -> Assignment:
    """The unit has reached the resident; the contact deadline is met."""
    with transaction.atomic():
        assignment, complaint = assignment_lock_for_action(user=user, assignment_id=assignment_id, version=version)
        _require(assignment, A.ACCEPTED, message=_("Sign for the order before recording contact."))
        note = clean_text(note, required_message=_("Say how the resident was contacted."))
        assignment.status = A.IN_PROGRESS
        assignment.contacted_at = timezone.now()
        _save(assignment, "status", "contacted_at")
        complaint_move(
            complaint=complaint,
            to=ComplaintStatus.IN_PROGRESS,
            event=EventKind.CONTACTED,
            actor=user,
            fact="contacted",
            by=assignment.holder_id,
            data={"unit": assignment.holder_id},
        )
        # How the unit reached the resident is for staff: a line of its own, internal.
        complaint_record(
            complaint=complaint,
            kind=EventKind.NOTE,
            actor=user,
            fact="contact_note",
            by=assignment.holder_id,
            message=note,
        )
        return assignment


def assignment_add_note(*, user, assignment_id: int, note: str) -> None:
    """An internal note: staff see it, the resident does not. Notes do not bump the
    version, so writing one never invalidates a colleague's open form."""
    with transaction.atomic():
        assignment, complaint = assignment_lock_for_action(user=user, assignment_id=assignment_id, version=None)
        _require(assignment, *(A.ASSIGNED, A.ACCEPTED, A.IN_PROGRESS), message=_("This order is no longer open."))
        note = clean_text(note, required_message=_("The note is empty."))
        complaint_record(
            complaint=complaint,
            kind=EventKind.NOTE,
            actor=user,
            fact="note",
            by=assignment.holder_id,
            message=note,
        )


def assignment_hand_down(*, user, assignment_id: int, community_id: int, version: int | None = None) -> Assignment:
    """A street office passes the work to one of its communities. The street stays
    accountable and the due times do not move."""
    with transaction.atomic():
        assignment, complaint = assignment_lock_for_action(user=user, assignment_id=assignment_id, version=version)
        _require(assignment, A.ASSIGNED, A.ACCEPTED, A.IN_PROGRESS, message=_("This order is no longer open."))
        if assignment.unit.kind != UnitKind.STREET_OFFICE:
            raise ActionRefused(_("Only a street office can hand an order down."))
        community = Unit.objects.filter(
            pk=community_id, kind=UnitKind.COMMUNITY, parent=assignment.unit, is_active=True
        ).first()
        if community is None:
            raise ActionRefused(_("Choose a community of this street."))
        if community.pk == assignment.holder_id:
            raise ActionRefused(_("The order is already with that community."))
        assignment.holder = community
        _save(assignment, "holder")
        complaint_record(
            complaint=complaint,
            kind=EventKind.HANDED_DOWN,
            actor=user,
            fact="handed_down",
            by=assignment.unit_id,
            data={"unit": community.pk},
        )
        return assignment


def assignment_recall(*, user, assignment_id: int, version: int | None = None) -> Assignment:
    """The work goes back to the accountable street office: the street takes it
    back, or the community hands it up. The clock, as ever, does not move."""
    with transaction.atomic():
        assignment, complaint = assignment_lock_for_action(user=user, assignment_id=assignment_id, version=version)
        _require(assignment, A.ASSIGNED, A.ACCEPTED, A.IN_PROGRESS, message=_("This order is no longer open."))
        if not assignment.is_handed_down:
            raise ActionRefused(_("The order is already with %(unit)s.") % {"unit": assignment.unit.name})
        community = assignment.holder
        assignment.holder = assignment.unit
        _save(assignment, "holder")
        complaint_record(
            complaint=complaint,
            kind=EventKind.HANDED_DOWN,
            actor=user,
            fact="recalled",
            # Taken back by the street, or handed up by the community: whoever's staff did it.
            by=community.pk if community.pk in reach_of(user).handler_unit_ids else assignment.unit_id,
            data={"unit": assignment.unit_id, "from_unit": community.pk},
        )
        return assignment


def assignment_resolve(*, user, assignment_id: int, reply: str, version: int | None = None) -> Assignment:
    """Resolve with a reply the resident reads; the resident is then asked to rate."""
    with transaction.atomic():
        assignment, complaint = assignment_lock_for_action(user=user, assignment_id=assignment_id, version=version)
        if assignment.status == A.ASSIGNED:
            raise ActionRefused(_("Sign for the order before resolving it."))
        _require(assignment, A.IN_PROGRESS, message=_("Contact the resident before resolving the order."))
        reply = clean_text(reply, required_message=_("Write the reply the resident will read."))
        public_text_check(complaint=complaint, text=reply, field="reply")
        assignment.status = A.RESOLVED
        assignment.resolved_at = timezone.now()
        _save(assignment, "status", "resolved_at")
        co_handlers_close(lead=assignment, status=A.RESOLVED)
        complaint_move(
            complaint=complaint,
            to=ComplaintStatus.RESOLVED,
            event=EventKind.RESOLVED,
            actor=user,
            fact="resolved",
            by=assignment.holder_id,
            message=reply,
        )
        return assignment

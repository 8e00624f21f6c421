"""The 12345 centre raises (or lowers) an order's priority, and the live
assignment's due times follow the policy of the new priority."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from complaints.models import Complaint, EventKind, Priority
from complaints.models.complaint import OPEN_STATUSES
from complaints.services import complaint_lock
from complaints.services.lifecycle import complaint_record
from complaints.timeline import CENTRE
from dispatch.access import reach_of
from dispatch.models import ACTIVE_STATUSES, Assignment, AssignmentRole, ExtensionStatus
from dispatch.services.deadlines import due_times, policy_for, refresh_due
from portal.errors import ActionRefused, ChangedBySomeoneElse, NotAllowed


def complaint_set_priority(*, user, complaint_id: int, priority: str, version: int | None = None) -> Complaint:
    """Change the priority of an open order. Only the state does not move, so the
    complaint state machine is not involved; the version still moves, so a form
    loaded before the change is refused."""
    if not reach_of(user).is_dispatcher:
        raise NotAllowed(_("Only the 12345 centre can change an order's priority."))
    if priority not in Priority.values:
        raise ActionRefused(_("Choose a priority: urgent, ordinary or complex."), field="priority")
    with transaction.atomic():
        complaint = complaint_lock(complaint_id=complaint_id)
        if version is not None and version != complaint.version:
            raise ChangedBySomeoneElse()
        if complaint.status not in OPEN_STATUSES:
            raise ActionRefused(_("This order is no longer open."))
        if complaint.priority == priority:
            raise ActionRefused(_("The order already has that priority."))
        previous = complaint.priority
        complaint.priority = priority
        complaint.version += 1
        complaint.save(update_fields=["priority", "version", "updated_at"])
        live = (
            Assignment.objects.select_for_update()
            .select_related("unit")
            .filter(complaint=complaint, role=AssignmentRole.LEAD, status__in=ACTIVE_STATUSES)
            .first()
        )
        if live is not None:
            assignment_apply_policy(assignment=live, complaint=complaint)
        complaint_record(
            complaint=complaint,
            kind=EventKind.NOTE,
            actor=user,
            fact="priority",
            by=CENTRE,
            data={"old": previous, "new": priority},
        )
        return complaint


def assignment_apply_policy(*, assignment: Assignment, complaint: Complaint) -> None:
    """Due times from the policy of the complaint's category and current priority,
    measured from when the unit got the order (the clock does not restart).

    Two things a recomputation must not undo: a contact deadline already met stays
    what it was (reports judge "contacted in time" against it), and an approved
    extension keeps its later resolution time: the resolve due is the later of
    the policy's and the latest approved extension's. The caller holds the locks.
    """
    policy = policy_for(category=complaint.category, priority=complaint.priority)
    contact_due, resolve_due = due_times(assigned_at=assignment.assigned_at, policy=policy)
    extended = assignment.extensions.filter(status=ExtensionStatus.APPROVED).aggregate(due=Max("requested_due"))["due"]
    if extended is not None and extended > resolve_due:
        resolve_due = extended
    if assignment.contacted_at is None:
        assignment.contact_due = contact_due
    assignment.resolve_due = resolve_due
    assignment.policy = policy
    assignment.version += 1
    refresh_due(assignment=assignment)
    assignment.save(update_fields=["contact_due", "resolve_due", "policy", "version", "next_due", "next_alert_at"])

"""Extensions (延期): the handling unit asks for a later resolution time with a
reason; the 12345 centre, or a supervisor of the accountable unit, decides.
Approval moves the resolve due time and tells the resident; the request and a
refusal stay internal."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import EventKind
from complaints.services import complaint_lock
from complaints.services.lifecycle import complaint_record
from complaints.timeline import CENTRE
from dispatch.access import can_act_on, reach_of, supervises
from dispatch.models import Assignment, Extension, ExtensionStatus, Unit
from dispatch.services.assignments import assignment_lock_for_action, clean_text
from dispatch.services.deadlines import refresh_due
from portal.errors import ActionRefused, NotAllowed, NotFound

MAX_TEXT = 1000
# A request further out than this is a typo or a matter for re-dispatch, not an extension.
MAX_AHEAD = timedelta(days=60)
SHOWN_AS = "%Y-%m-%d %H:%M"
BEIJING = ZoneInfo("Asia/Shanghai")


def extension_request(
    *, user, assignment_id: int, requested_due: datetime, reason: str, version: int | None = None
) -> Extension:
    """Ask for more time on a live order the user's unit handles. One request
    waits at a time; it does not move the version (the order's state is the same)."""
    with transaction.atomic():
        assignment, complaint = assignment_lock_for_action(user=user, assignment_id=assignment_id, version=version)
        if not assignment.is_active:
            raise ActionRefused(_("This order is no longer open."))
        reason = clean_text(reason, required_message=_("Say why more time is needed."), max_length=MAX_TEXT)
        requested_due = _aware(requested_due)
        now = timezone.now()
        if requested_due <= now:
            raise ActionRefused(_("The new resolution time must be in the future."))
        if requested_due <= assignment.resolve_due:
            raise ActionRefused(
                _("The new resolution time must be after the current one, %(due)s.")
                % {"due": shown(assignment.resolve_due)}
            )
        if requested_due > now + MAX_AHEAD:
            raise ActionRefused(_("Ask for at most %(days)d days from now.") % {"days": MAX_AHEAD.days})
        if assignment.extensions.filter(status=ExtensionStatus.PENDING).exists():
            raise ActionRefused(_("A request for more time on this order is already waiting for a decision."))
        try:
            with transaction.atomic():
                extension = Extension.objects.create(
                    assignment=assignment,
                    reason=reason,
                    previous_due=assignment.resolve_due,
                    requested_due=requested_due,
                    requested_by=user,
                )
        except IntegrityError as error:  # the one-pending constraint, should the lock ever be bypassed
            raise ActionRefused(
                _("A request for more time on this order is already waiting for a decision.")
            ) from error
        complaint_record(
            complaint=complaint,
            kind=EventKind.NOTE,
            actor=user,
            fact="extension_requested",
            by=assignment.holder_id,
            data={"extension_id": extension.pk, "due": requested_due.isoformat(), "reason": reason},
        )
        return extension


def may_decide(*, user, assignment: Assignment) -> bool:
    return reach_of(user).is_dispatcher or supervises(user=user, unit=assignment.unit)


def extension_decide(*, user, extension_id: int, approve: bool, note: str = "") -> Extension:
    """Approve or refuse a waiting request. Never one's own request."""
    with transaction.atomic():
        ids = Extension.objects.filter(pk=extension_id).values_list("assignment_id", "assignment__complaint_id").first()
        if ids is None:
            raise NotFound
        assignment_id, complaint_id = ids
        complaint = complaint_lock(complaint_id=complaint_id)  # complaint, then assignment: the order every action uses
        assignment = Assignment.objects.select_for_update().select_related("unit", "holder").get(pk=assignment_id)
        extension = Extension.objects.select_for_update().get(pk=extension_id)
        if not may_decide(user=user, assignment=assignment):
            if not can_act_on(user=user, assignment=assignment):
                # Those who cannot see the order learn nothing, not even that the request exists.
                raise NotFound
            raise NotAllowed(_("Only the 12345 centre or a supervisor of the unit can decide on more time."))
        if extension.requested_by_id == user.pk:
            raise ActionRefused(_("You cannot decide on your own request."))
        if extension.status != ExtensionStatus.PENDING:
            raise ActionRefused(_("This request has already been decided."))
        note = (note or "").strip()
        if len(note) > MAX_TEXT:
            raise ActionRefused(_("Keep it under %(n)d characters.") % {"n": MAX_TEXT})
        if approve:
            _approve(extension=extension, assignment=assignment)
        extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
        extension.decided_by = user
        extension.decided_at = timezone.now()
        extension.decision_note = note
        extension.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        # Approval tells the resident the new time; a refusal stays internal (see the facts table).
        complaint_record(
            complaint=complaint,
            kind=EventKind.NOTE,
            actor=user,
            fact="extension_approved" if approve else "extension_refused",
            by=_decider(user=user, assignment=assignment),
            data={"extension_id": extension.pk, "due": extension.requested_due.isoformat(), "note": note},
        )
        return extension


def _approve(*, extension: Extension, assignment: Assignment) -> None:
    if not assignment.is_active:
        raise ActionRefused(_("This order is no longer open; the request can only be refused."))
    if extension.requested_due <= assignment.resolve_due:
        raise ActionRefused(
            _("The resolution time is already %(due)s or later.") % {"due": shown(assignment.resolve_due)}
        )
    assignment.resolve_due = extension.requested_due
    assignment.version += 1
    refresh_due(assignment=assignment)
    assignment.save(update_fields=["resolve_due", "version", "next_due", "next_alert_at"])


def _decider(*, user, assignment: Assignment) -> str | int:
    """Who decided, as the timeline names it: the centre, or the nearest supervising unit."""
    if reach_of(user).is_dispatcher:
        return CENTRE
    paths = [path for path in reach_of(user).supervised_paths if assignment.unit.path.startswith(path)]
    return Unit.objects.filter(path=max(paths, key=len)).values_list("pk", flat=True).first() or CENTRE


def shown(moment: datetime) -> str:
    """A time as Beijing reads it, whoever's page wrote it."""
    return timezone.localtime(moment, BEIJING).strftime(SHOWN_AS)


def _aware(moment: datetime) -> datetime:
    if not isinstance(moment, datetime):
        raise ActionRefused(_("Give the new date and time."))
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)

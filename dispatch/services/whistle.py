"""Whistle to Respond (吹哨报到): the lead unit of an order (the street office, or
the community it handed the order down to) summons departments or utilities;
each gets a co-handling assignment in its own queue and must report (arrive or
answer) within the policy's minutes, clock time. The lead still resolves the
order, and the summonses close with it (dispatch.services.assignments)."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import EventKind
from complaints.services.lifecycle import complaint_record
from dispatch.models import ACTIVE_STATUSES, Assignment, AssignmentRole, AssignmentStatus, Unit, UnitKind
from dispatch.services.assignments import assignment_lock_for_action, clean_text
from dispatch.services.deadlines import refresh_due
from dispatch.services.public_text import public_text_check
from portal.errors import ActionRefused

MAX_MESSAGE = 1000
MAX_REPORT = 2000
MAX_PUBLIC_LINE = 500
DEFAULT_REPORT_WITHIN = timedelta(minutes=30)
SUMMONABLE_KINDS = (UnitKind.DEPARTMENT, UnitKind.UTILITY)


def whistle_blow(
    *, user, assignment_id: int, unit_ids: list[int], message: str, version: int | None
) -> list[Assignment]:
    """Summon `unit_ids` to help the lead. All or nothing: one unit that cannot be
    summoned refuses the whole call, naming it."""
    message = clean_text(
        message, required_message=_("Say what the summoned units are needed for."), max_length=MAX_MESSAGE
    )
    unit_ids = list(dict.fromkeys(unit_ids or []))
    if not unit_ids:
        raise ActionRefused(_("Choose at least one department or utility to summon."))
    with transaction.atomic():
        lead, complaint = assignment_lock_for_action(user=user, assignment_id=assignment_id, version=version)
        if not lead.is_active:
            raise ActionRefused(_("This order is no longer open."))
        units = _summonable(lead=lead, unit_ids=unit_ids)
        now = timezone.now()
        report_due = now + _report_within(lead)
        summoned = []
        for unit in units:
            co = Assignment(
                complaint=complaint,
                unit=unit,
                holder=unit,
                role=AssignmentRole.CO_HANDLER,
                lead=lead,
                reason=lead.reason,
                assigned_by=user,
                assigned_at=now,
                # The columns every assignment fills: the report is its only deadline.
                contact_due=report_due,
                resolve_due=max(lead.resolve_due, report_due),
                report_due=report_due,
                policy=lead.policy,
                summons_message=message,
            )
            refresh_due(assignment=co)
            summoned.append(co)
        try:
            with transaction.atomic():
                Assignment.objects.bulk_create(summoned)
        except IntegrityError as error:  # a concurrent whistle summoned one of them first
            raise ActionRefused(_("One of these units was summoned meanwhile; reload the order.")) from error
        complaint_record(
            complaint=complaint,
            kind=EventKind.NOTE,
            actor=user,
            fact="whistle",
            by=lead.holder_id,
            data={"units": [unit.pk for unit in units]},
        )
        complaint_record(
            complaint=complaint,
            kind=EventKind.NOTE,
            actor=user,
            fact="whistle_message",
            by=lead.holder_id,
            message=message,
        )
        return summoned


def _summonable(*, lead: Assignment, unit_ids: list[int]) -> list[Unit]:
    """The units, in the order given, or a refusal naming the first that cannot be summoned."""
    found = {unit.pk: unit for unit in Unit.objects.filter(pk__in=unit_ids)}
    already = set(
        Assignment.objects.filter(
            lead=lead, role=AssignmentRole.CO_HANDLER, status__in=ACTIVE_STATUSES, unit_id__in=unit_ids
        ).values_list("unit_id", flat=True)
    )
    root = lead.unit.path.split("/", 1)[0] + "/"
    units = []
    for pk in unit_ids:
        unit = found.get(pk)
        if unit is None:
            raise ActionRefused(_("There is no unit number %(id)s.") % {"id": pk})
        if pk in (lead.unit_id, lead.holder_id):
            raise ActionRefused(_("%(unit)s already handles this order.") % {"unit": unit.name})
        if unit.kind not in SUMMONABLE_KINDS:
            raise ActionRefused(_("%(unit)s is not a department or utility.") % {"unit": unit.name})
        if not unit.is_active or not unit.path.startswith(root):
            raise ActionRefused(
                _("%(unit)s cannot be summoned: it is not an active unit of this city.") % {"unit": unit.name}
            )
        if pk in already:
            raise ActionRefused(_("%(unit)s has already been summoned to this order.") % {"unit": unit.name})
        units.append(unit)
    return units


def _report_within(lead: Assignment) -> timedelta:
    if lead.policy_id is None:
        return DEFAULT_REPORT_WITHIN
    return timedelta(minutes=lead.policy.report_within_minutes)


def whistle_report(
    *, user, assignment_id: int, note: str, version: int | None, publish: bool = False, public_line: str = ""
) -> Assignment:
    """A summoned unit reports: it has arrived, or answered, and says what it did.

    The report is internal: it is written for the lead unit and the centre, and
    may name people and places the resident should not read. With `publish` the
    unit also puts a line on the resident's timeline: that it has reported, and
    `public_line` if it wrote one for the resident."""
    note = clean_text(note, required_message=_("Say what your unit has done."), max_length=MAX_REPORT)
    public_line = (public_line or "").strip() if publish else ""
    if len(public_line) > MAX_PUBLIC_LINE:
        raise ActionRefused(_("Keep it under %(n)d characters.") % {"n": MAX_PUBLIC_LINE}, field="public_line")
    with transaction.atomic():
        co, complaint = assignment_lock_for_action(
            user=user, assignment_id=assignment_id, version=version, role=AssignmentRole.CO_HANDLER
        )
        if co.reported_at is not None:
            raise ActionRefused(_("Your unit has already reported."))
        public_text_check(complaint=complaint, text=public_line, field="public_line")
        lead_active = Assignment.objects.filter(pk=co.lead_id, status__in=ACTIVE_STATUSES).exists()
        if not co.is_active or not lead_active:
            raise ActionRefused(_("This order is no longer open."))
        co.reported_at = timezone.now()
        co.report_note = note
        co.status = AssignmentStatus.IN_PROGRESS
        co.version += 1
        refresh_due(assignment=co)
        co.save(update_fields=["reported_at", "report_note", "status", "version", "next_due", "next_alert_at"])
        complaint_record(
            complaint=complaint,
            kind=EventKind.NOTE,
            actor=user,
            fact="whistle_report",
            by=co.unit_id,
            data={"unit": co.unit_id, "note": note, "assignment_id": co.pk},
        )
        if publish:
            complaint_record(
                complaint=complaint,
                kind=EventKind.NOTE,
                actor=user,
                fact="whistle_report_public",
                by=co.unit_id,
                message=public_line,
                data={"unit": co.unit_id, "assignment_id": co.pk},
            )
        return co

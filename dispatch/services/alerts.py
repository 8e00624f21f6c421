"""The deadline sweep, Zammad-style: due times live in an indexed column
(`Assignment.next_alert_at`), one sweep a minute reads only the rows whose time
has come, and every alert sent is a row unique per (assignment, kind, level).

The unique constraint is the guarantee of "exactly once", not the sweep's care:
two sweeps at once, or a sweep retried after a crash, collide on it and the loser
treats the collision as "already sent". Row locks with SKIP LOCKED (PostgreSQL)
only spare them the collision by sharing the work out.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from dispatch.models import Alert, Assignment, Notification, Role, Unit
from dispatch.services.alerts_mail import alert_mails, alert_mails_send
from dispatch.services.alerts_recipients import RecipientBook
from dispatch.services.deadlines import ScheduledAlert, alert_schedule, next_alert_at, sent_alerts

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500


@dataclass
class SweepResult:
    assignments: int = 0
    alerts: int = 0
    notifications: int = 0


def alerts_sweep(*, now: datetime | None = None, batch_size: int = SWEEP_BATCH) -> SweepResult:
    """Send every alert whose time has come. One fixed `now` for the whole run:
    what falls due while it runs is the next minute's work."""
    now = now or timezone.now()
    result = SweepResult()
    book = RecipientBook()
    after = None
    while True:
        due = Assignment.objects.filter(next_alert_at__lte=now)
        if after is not None:
            # Keyset paging: a row another sweep holds (and so was skipped) is not read again.
            due = due.filter(Q(next_alert_at__gt=after[0]) | Q(next_alert_at=after[0], pk__gt=after[1]))
        rows = list(due.order_by("next_alert_at", "pk").values_list("next_alert_at", "pk")[:batch_size])
        for _at, pk in rows:
            try:
                _assignment_alert(assignment_id=pk, now=now, book=book, result=result)
            except Exception:  # noqa: BLE001 - one broken row must not hold back every other order's alerts
                logger.exception("deadline sweep failed on assignment %s", pk)
        if len(rows) < batch_size:
            return result
        after = rows[-1]


def _assignment_alert(*, assignment_id: int, now: datetime, book: RecipientBook, result: SweepResult) -> None:
    """One assignment, one short transaction: lock it, re-read it, send what is due."""
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("unit", "holder", "policy", "complaint__category")
            .filter(pk=assignment_id, next_alert_at__lte=now)
            .first()
        )
        if assignment is None:
            return  # another sweep holds it, or an action moved its alert time on meanwhile
        # Re-read under the lock: a deadline met since the batch was read (contact
        # recorded, order resolved) is no longer in the schedule and never fires.
        sent = sent_alerts(assignment=assignment)
        due = [a for a in alert_schedule(assignment=assignment) if a.at <= now and (a.kind, a.level) not in sent]
        notified = []
        for scheduled in due:
            unit, people = _recipients(assignment=assignment, scheduled=scheduled, book=book)
            alert = _alert_record(assignment=assignment, scheduled=scheduled, unit=unit)
            sent.add((scheduled.kind, scheduled.level))
            if alert is not None:
                notified.append((alert, people))
        Notification.objects.bulk_create(
            [Notification(user=user, alert=alert) for alert, people in notified for user in people]
        )
        # Not a version bump: an alert changes nothing a handler's open form relies on.
        assignment.next_alert_at = next_alert_at(assignment=assignment, sent=sent)
        assignment.save(update_fields=["next_alert_at"])
        mails = alert_mails(assignment=assignment, notified=notified)
        if mails:
            transaction.on_commit(partial(alert_mails_send, messages=mails))
    result.assignments += 1
    result.alerts += len(notified)
    result.notifications += sum(len(people) for _alert, people in notified)


def _alert_record(*, assignment: Assignment, scheduled: ScheduledAlert, unit: Unit) -> Alert | None:
    """The alert row, or None when it exists already (another sweep sent it)."""
    try:
        with transaction.atomic():
            return Alert.objects.create(
                assignment=assignment, kind=scheduled.kind, level=scheduled.level, unit=unit, due=scheduled.due
            )
    except IntegrityError:
        return None


def _recipients(*, assignment: Assignment, scheduled: ScheduledAlert, book: RecipientBook) -> tuple[Unit, list]:
    """The unit an alert goes to and the people told there. A warning goes to the
    handlers of the holder and of the accountable unit; a breach at level n to the
    supervisors of the unit n-1 levels above the accountable one. Where nobody holds
    the role, the alert climbs to the next unit up that has somebody, and past the
    root to the 12345 centre. Only with no centre staff at all does an Alert row keep
    no one notified: the level still counts as sent and is not retried every minute."""
    if scheduled.level == 0:
        handlers = book.people(unit_ids=[assignment.holder_id, assignment.unit_id], role=Role.HANDLER)
        if handlers:
            return assignment.holder, handlers
        # Nobody handles it there: the handlers of the units above the accountable one.
        above = book.chain(unit=assignment.unit)[1:]
        return book.first_reachable(units=[assignment.holder, *above], role=Role.HANDLER)
    start = book.unit_up(unit=assignment.unit, steps=scheduled.level - 1)
    return book.first_reachable(units=book.chain(unit=start), role=Role.SUPERVISOR)

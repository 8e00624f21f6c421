"""The deadline sweep, Zammad-style: due times live in an indexed column
(`Assignment.next_alert_at`), one sweep a minute reads only the rows whose time
has come, and every alert sent is a row unique per (assignment, kind, level).

It works set-based, a batch of assignments per transaction: lock them, read the
alerts they have had and the people who can hear of them, then write all the
batch's alerts in one INSERT … ON CONFLICT DO NOTHING, their notifications in one
bulk insert and the next look times in one UPDATE; their e-mails go to a task.
So the statements grow with the batches, not with the orders due.

The unique constraint is the guarantee of "exactly once", not the sweep's care:
two sweeps at once, or a sweep retried after a crash, collide on it and the loser
treats the collision as "already sent". Row locks with SKIP LOCKED (PostgreSQL)
only spare them the collision by sharing the work out.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from dispatch.models import Assignment, Role, Unit
from dispatch.services.alerts_mail import alert_mails_queue
from dispatch.services.alerts_recipients import RecipientBook
from dispatch.services.alerts_store import (
    NewAlert,
    alerts_insert_new,
    next_alert_times_save,
    notifications_insert,
    sent_alerts_of,
)
from dispatch.services.deadlines import ScheduledAlert, alert_schedule, next_alert_at

logger = logging.getLogger(__name__)

SWEEP_BATCH = 1000


@dataclass
class SweepResult:
    assignments: int = 0
    alerts: int = 0
    notifications: int = 0


def due_assignments(*, now: datetime, after: tuple[datetime, int] | None = None) -> QuerySet[Assignment]:
    """The assignments whose next look has come, in (next_alert_at, pk) order,
    from just after `after` (keyset paging: a row another sweep holds, and so was
    skipped, is not read again)."""
    due = Assignment.objects.filter(next_alert_at__lte=now)
    if after is not None:
        due = due.filter(Q(next_alert_at__gt=after[0]) | Q(next_alert_at=after[0], pk__gt=after[1]))
    return due.order_by("next_alert_at", "pk")


def alerts_sweep(*, now: datetime | None = None, batch_size: int = SWEEP_BATCH) -> SweepResult:
    """Send every alert whose time has come. One fixed `now` for the whole run:
    what falls due while it runs is the next minute's work."""
    now = now or timezone.now()
    result = SweepResult()
    book = RecipientBook()
    after = None
    while True:
        rows = list(due_assignments(now=now, after=after).values_list("next_alert_at", "pk")[:batch_size])
        if rows:
            _batch_send_or_split(assignment_ids=[pk for _at, pk in rows], now=now, book=book, result=result)
        if len(rows) < batch_size:
            return result
        after = rows[-1]


def _batch_send_or_split(*, assignment_ids: list[int], now: datetime, book: RecipientBook, result: SweepResult) -> None:
    """A batch whose statements fail (a broken row, a deadlock) is rolled back and
    retried one assignment at a time: one broken row must not hold back every
    other order's alerts."""
    try:
        _alerts_send(assignment_ids=assignment_ids, now=now, book=book, result=result)
    except Exception:  # noqa: BLE001 - see the docstring
        if len(assignment_ids) == 1:
            logger.exception("deadline sweep failed on assignment %s", assignment_ids[0])
            return
        logger.exception("deadline sweep failed on a batch of %d; sending one by one", len(assignment_ids))
        for pk in assignment_ids:
            _batch_send_or_split(assignment_ids=[pk], now=now, book=book, result=result)


def _alerts_send(*, assignment_ids: list[int], now: datetime, book: RecipientBook, result: SweepResult) -> None:
    """One batch, one short transaction: lock the assignments, re-read them, send what is due."""
    with transaction.atomic():
        # Re-read under the lock: a deadline met since the batch was read (contact
        # recorded, order resolved) is no longer in the schedule and never fires;
        # a row another sweep or a handler holds is left for the next minute.
        assignments = list(
            Assignment.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("unit", "holder", "policy")
            .filter(pk__in=assignment_ids, next_alert_at__lte=now)
            .order_by("pk")
        )
        if not assignments:
            return
        sent_before = sent_alerts_of(assignment_ids=[a.pk for a in assignments])
        book.preload(units=[u for a in assignments for u in (a.unit, a.holder)], roles=[Role.HANDLER, Role.SUPERVISOR])
        planned, looked_at = [], []
        for assignment in assignments:
            try:
                planned += _due_alerts(assignment=assignment, sent=sent_before[assignment.pk], now=now, book=book)
            except Exception:  # noqa: BLE001 - the others in the batch still get theirs
                logger.exception("deadline sweep failed on assignment %s", assignment.pk)
                continue
            looked_at.append(assignment)
        written = alerts_insert_new(alerts=planned)
        notifications = notifications_insert(alerts=written)
        next_alert_times_save(assignments=looked_at)
        if written:
            transaction.on_commit(partial(alert_mails_queue, alert_ids=[alert.pk for alert in written]))
    result.assignments += len(looked_at)
    result.alerts += len(written)
    result.notifications += notifications


def _due_alerts(*, assignment: Assignment, sent: set[tuple[str, int]], now: datetime, book: RecipientBook) -> list:
    """The alerts due now and not yet sent, each with the people to tell; sets the
    assignment's next look in memory, counting these as sent (whichever sweep
    writes them)."""
    sent = set(sent)
    schedule = alert_schedule(assignment=assignment)
    due = [a for a in schedule if a.at <= now and (a.kind, a.level) not in sent]
    alerts = []
    for scheduled in due:
        unit, people = book.answer(
            key=(assignment.holder_id, assignment.unit_id, scheduled.level),
            work_out=partial(_recipients, assignment=assignment, scheduled=scheduled, book=book),
        )
        alerts.append(
            NewAlert(
                assignment_id=assignment.pk,
                kind=scheduled.kind,
                level=scheduled.level,
                unit_id=unit.pk,
                due=scheduled.due,
                user_ids=[user.pk for user in people],
            )
        )
        sent.add((scheduled.kind, scheduled.level))
    assignment.next_alert_at = next_alert_at(assignment=assignment, sent=sent, schedule=schedule)
    return alerts


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

"""Two deadline sweeps at the same moment, on PostgreSQL's real row locks: every
(assignment, kind, level) alert exists once and every recipient hears of it once.
SQLite serialises whole transactions, so only PostgreSQL proves it."""

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction

from dispatch.models import Alert, Assignment, Notification, Role
from dispatch.services import alerts as alerts_module
from dispatch.services.alerts import SweepResult, alerts_sweep
from dispatch.services.assignments import assignment_accept, assignment_record_contact
from tests.factories import MembershipFactory, UserFactory
from tests.services.conftest import THREADS_JOIN_WITHIN, at_once

pytestmark = [pytest.mark.services(redis=False), pytest.mark.django_db(transaction=True)]

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
# Past the contact warning, the breach and both escalations (24 h each, no policy).
ALL_CONTACT_LEVELS_DUE = T0 + timedelta(hours=72, minutes=1)
ORDERS = 12


@pytest.fixture
def open_orders(submit, people, units):
    street_supervisor = UserFactory(username="donghuamen_supervisor", email="dhm-sup@example.org")
    MembershipFactory(user=street_supervisor, unit=units["donghuamen"], role=Role.SUPERVISOR)
    people["donghuamen_handler"].email = "dhm@example.org"
    people["donghuamen_handler"].save(update_fields=["email"])
    with time_machine.travel(T0, tick=False):
        return [submit(region="yinzha" if i % 2 else "duofuxiang") for i in range(ORDERS)]


def _sweep_twiceat_once() -> list:
    with time_machine.travel(ALL_CONTACT_LEVELS_DUE, tick=False):
        return at_once(lambda: alerts_sweep(), lambda: alerts_sweep())


def _assert_each_alert_once_and_each_person_once(outcomes) -> None:
    assert all(isinstance(o, SweepResult) for o in outcomes), outcomes
    assert sum(o.alerts for o in outcomes) == ORDERS * 4
    assert Alert.objects.count() == ORDERS * 4
    assert max(Counter(Alert.objects.values_list("assignment_id", "kind", "level")).values()) == 1
    per_person = Counter(Notification.objects.values_list("user__username", flat=True))
    assert per_person == {
        "donghuamen_handler": ORDERS,
        "donghuamen_supervisor": ORDERS,
        "dongcheng_supervisor": ORDERS,
        "city_supervisor": ORDERS,
    }
    assert sum(o.notifications for o in outcomes) == ORDERS * 4


def test_two_sweeps_at_once_send_each_alert_once(open_orders, tally):
    outcomes = _sweep_twiceat_once()
    tally.fault = f"two deadline sweeps at once over {ORDERS} overdue orders"
    sent = Counter(Alert.objects.values_list("assignment_id", "kind", "level"))
    tally.update(filed=ORDERS, duplicated=sum(n - 1 for n in sent.values()))

    _assert_each_alert_once_and_each_person_once(outcomes)
    # Only the handler and the street supervisor have addresses: one e-mail each per order.
    assert len(mail.outbox) == ORDERS * 2
    assert Counter(m.to[0] for m in mail.outbox) == {"dhm@example.org": ORDERS, "dhm-sup@example.org": ORDERS}


def test_two_sweeps_without_row_locks_still_send_each_alert_once(open_orders, monkeypatch):
    """Take the row locks away: both sweeps then work the same rows, and the unique
    (assignment, kind, level) constraint alone makes the loser's insert "already sent"."""
    unlocked = alerts_module.Assignment.objects.all
    monkeypatch.setattr(alerts_module.Assignment.objects, "select_for_update", lambda **kwargs: unlocked())

    outcomes = _sweep_twiceat_once()

    _assert_each_alert_once_and_each_person_once(outcomes)


def test_an_order_a_handler_holds_is_left_for_the_next_sweep_and_then_never_breaches(open_orders, people):
    """The sweep skips a row another transaction has locked (SKIP LOCKED) instead of
    waiting; the contact recorded in that transaction then counts, so the next sweep
    sends that order no contact alert at all."""
    handler = people["donghuamen_handler"]
    held_order = open_orders[0].assignments.get()
    held, release = threading.Event(), threading.Event()

    def handler_records_contact():
        try:
            with transaction.atomic():
                Assignment.objects.select_for_update().get(pk=held_order.pk)
                held.set()
                release.wait(timeout=THREADS_JOIN_WITHIN)
                assignment_accept(user=handler, assignment_id=held_order.pk)
                assignment_record_contact(user=handler, assignment_id=held_order.pk, note="电话联系")
        finally:
            connection.close()

    with time_machine.travel(ALL_CONTACT_LEVELS_DUE, tick=False):
        worker = threading.Thread(target=handler_records_contact)
        worker.start()
        assert held.wait(timeout=THREADS_JOIN_WITHIN)
        first = alerts_sweep()
        release.set()
        worker.join(timeout=THREADS_JOIN_WITHIN)
        second = alerts_sweep()

    assert (first.assignments, first.alerts) == (ORDERS - 1, (ORDERS - 1) * 4)
    assert (second.assignments, second.alerts) == (0, 0)
    assert not Alert.objects.filter(assignment=held_order).exists()
    held_order.refresh_from_db()
    assert held_order.contacted_at is not None

"""The deadline sweep is set-based: a batch of due orders costs the same few
statements whether it holds 5 orders or 50 (one INSERT for all the batch's alerts,
one for their notifications, one UPDATE of the next look times), and so does the
e-mail task it hands the batch's alerts to."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dispatch.models import Alert, Notification
from dispatch.services.alerts import alerts_sweep

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
# Without a deadline policy the contact is due in 24 h: the warning and the breach are both due.
CONTACT_BREACH = T0 + timedelta(hours=24, minutes=1)
# Reading the due rows, a savepoint (the test's transaction) around the batch: lock
# and re-read, sent alerts, units up the tree, their people, INSERT alerts, INSERT
# notifications, UPDATE next look times, and the savepoint's release.
SWEEP_QUERIES = 10
# After the commit, the e-mail task: the alerts with their orders, the people with an address.
MAIL_QUERIES = 2


def _orders(submit, count: int) -> None:
    with time_machine.travel(T0, tick=False):
        for n in range(count):
            submit(region="yinzha" if n % 2 else "duofuxiang")


def _sweep_counted(django_capture_on_commit_callbacks) -> tuple:
    with CaptureQueriesContext(connection) as sweep, django_capture_on_commit_callbacks() as callbacks:
        result = alerts_sweep(now=CONTACT_BREACH)
    with CaptureQueriesContext(connection) as mails:
        for callback in callbacks:
            callback()
    return result, len(sweep), len(mails)


@pytest.mark.parametrize("due", [5, 50])
def test_the_sweep_runs_the_same_statements_for_5_or_50_due_orders(
    submit, people, due, django_capture_on_commit_callbacks
):
    people["donghuamen_handler"].email = "dhm@example.org"
    people["donghuamen_handler"].save(update_fields=["email"])
    _orders(submit, due)

    result, sweep_queries, mail_queries = _sweep_counted(django_capture_on_commit_callbacks)

    assert (sweep_queries, mail_queries) == (SWEEP_QUERIES, MAIL_QUERIES)
    # Each order: the contact warning to its street's handlers, the breach climbing
    # past the street office (no supervisor there) to 东城区's supervisor.
    assert (result.assignments, result.alerts, result.notifications) == (due, 2 * due, 2 * due)
    assert Alert.objects.count() == 2 * due and Notification.objects.count() == 2 * due
    assert sorted(set(Notification.objects.values_list("alert__level", "user__username"))) == [
        (0, "donghuamen_handler"),
        (1, "dongcheng_supervisor"),
    ]
    assert len(mail.outbox) == due  # only the handler has an address

"""What goes wrong around a set-based sweep stays small: a batch whose statements
fail is sent again one order at a time, and with the broker down the sweep sends
the alerts' e-mails itself instead of handing them to a worker."""

import logging
from datetime import UTC, datetime, timedelta

import time_machine
from django.core import mail
from django.db import IntegrityError
from kombu.exceptions import OperationalError

from dispatch.models import Alert, Notification
from dispatch.services import alerts as alerts_module
from dispatch.services.alerts import alerts_sweep
from dispatch.tasks import send_alert_mails

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
CONTACT_WARNING = T0 + timedelta(hours=19.5)


def test_a_batch_whose_insert_fails_is_sent_again_order_by_order(submit, people, monkeypatch, caplog):
    with time_machine.travel(T0, tick=False):
        orders = [submit(region=region).assignments.get() for region in ("duofuxiang", "yinzha", "duofuxiang")]
    real = alerts_module.alerts_insert_new

    def fails_for_more_than_one_order(*, alerts):
        if len({alert.assignment_id for alert in alerts}) > 1:
            raise IntegrityError("deadlock detected")
        return real(alerts=alerts)

    monkeypatch.setattr(alerts_module, "alerts_insert_new", fails_for_more_than_one_order)
    with caplog.at_level(logging.ERROR, logger="dispatch.services.alerts"):
        result = alerts_sweep(now=CONTACT_WARNING)

    assert (result.assignments, result.alerts) == (3, 3)
    assert sorted(Alert.objects.values_list("assignment_id", flat=True)) == sorted(o.pk for o in orders)
    assert "deadline sweep failed on a batch of 3; sending one by one" in caplog.text


def test_with_the_broker_down_the_sweep_sends_the_emails_itself(
    submit, people, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    people["donghuamen_handler"].email = "dhm@example.org"
    people["donghuamen_handler"].save(update_fields=["email"])
    with time_machine.travel(T0, tick=False):
        submit()

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_alert_mails, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        result = alerts_sweep(now=CONTACT_WARNING)

    assert (result.alerts, result.notifications) == (1, 1)
    assert Notification.objects.get().user == people["donghuamen_handler"]
    assert [m.to for m in mail.outbox] == [["dhm@example.org"]]
    assert "sending the e-mails of 1 deadline alerts from the sweep" in caplog.text


def test_the_email_task_writes_to_whoever_has_an_address_and_skips_the_rest(submit, people):
    people["donghuamen_handler"].email = "dhm@example.org"
    people["donghuamen_handler"].save(update_fields=["email"])
    with time_machine.travel(T0, tick=False):
        complaint = submit()
    alerts_sweep(now=T0 + timedelta(hours=24, minutes=1))  # the warning (handler) and the breach (no address)
    mail.outbox.clear()

    sent = send_alert_mails(list(Alert.objects.values_list("pk", flat=True)))
    nothing = send_alert_mails([])

    assert (sent, nothing) == (1, 0)
    assert [m.to for m in mail.outbox] == [["dhm@example.org"]]
    assert complaint.tracking_number in mail.outbox[0].subject

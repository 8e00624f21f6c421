"""Alert e-mails: queued when the sweep's batch commits, then rendered and sent
by a task of their own, so 20,000 e-mails never hold up the minute's sweep.

They name the order by tracking number and say which deadline, which unit and
why this person hears of it — never the resident's name, phone, address or
words: e-mail leaves the portal's access rules behind."""

import logging
import smtplib
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse

from dispatch.models import Alert, Assignment, Notification

logger = logging.getLogger(__name__)

SUBJECT_TEMPLATE = "dispatch/email/alert_subject.txt"
BODY_TEMPLATE = "dispatch/email/alert_body.txt"


def alert_mails(*, assignment: Assignment, notified: list[tuple[Alert, list]]) -> list[tuple]:
    """One message per recipient with an e-mail address (one each, so nobody sees
    who else was told)."""
    messages = []
    for alert, people in notified:
        addresses = [user.email for user in people if user.email]
        if not addresses:
            continue
        order_url = settings.WHISTLE_SITE_URL + reverse("dispatch:order", args=[assignment.complaint.tracking_number])
        context = {"alert": alert, "assignment": assignment, "complaint": assignment.complaint, "order_url": order_url}
        subject = " ".join(render_to_string(SUBJECT_TEMPLATE, context).split())
        body = render_to_string(BODY_TEMPLATE, context)
        messages.extend((subject, body, None, [address]) for address in addresses)
    return messages


def alert_mails_send(*, messages: list[tuple]) -> int:
    """Send over one connection. A mail server that is down loses the e-mail, not
    the alert: the notification is already in the person's in-app list."""
    try:
        return send_mass_mail(messages, fail_silently=False)
    except (smtplib.SMTPException, OSError):
        logger.exception("could not send %d deadline alert e-mails", len(messages))
        return 0


def alert_mails_queue(*, alert_ids: list[int]) -> None:
    """Hand the e-mails of these alerts to a worker (called once the alerts are
    committed). With the broker down they are sent from here instead: slower for
    this sweep, but no e-mail is lost to an outage of the broker."""
    from dispatch.tasks import send_alert_mails  # the tasks module imports the sweep

    try:
        send_alert_mails.apply_async((alert_ids,), retry=False)
    except Exception:  # noqa: BLE001 - kombu's connection errors have no common base
        logger.warning("broker unavailable: sending the e-mails of %d deadline alerts from the sweep", len(alert_ids))
        alert_mails_send_for(alert_ids=alert_ids)


def alert_mails_send_for(*, alert_ids: list[int]) -> int:
    """Render and send the e-mails of these alerts to the people notified of them
    who have an address: two queries, one connection to the mail server."""
    alerts = (
        Alert.objects.filter(pk__in=alert_ids)
        .select_related("unit", "assignment__unit", "assignment__complaint__category")
        .order_by("pk")
    )
    people = defaultdict(list)
    notifications = Notification.objects.filter(alert_id__in=alert_ids).exclude(user__email="").select_related("user")
    for notification in notifications.order_by("alert_id", "user_id"):
        people[notification.alert_id].append(notification.user)
    messages = [
        message
        for alert in alerts
        if people[alert.pk]
        for message in alert_mails(assignment=alert.assignment, notified=[(alert, people[alert.pk])])
    ]
    return alert_mails_send(messages=messages) if messages else 0

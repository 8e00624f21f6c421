"""Alert e-mails: rendered inside the sweep's transaction, sent after it commits.

They name the order by tracking number and say which deadline, which unit and
why this person hears of it — never the resident's name, phone, address or
words: e-mail leaves the portal's access rules behind."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse

from dispatch.models import Alert, Assignment

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

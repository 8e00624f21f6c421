"""Text messages through a pluggable gateway, chosen like Django's e-mail backend:
`WHISTLE_SMS_BACKEND` is the dotted path of a class with `send(*, phone, text)`.
A backend raises `SmsNotSent` (or OSError) when the gateway refuses or cannot be
reached; the task then retries with backoff."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from complaints.models.complaint import mask_phone

log = logging.getLogger(__name__)


class SmsNotSent(Exception):
    """The gateway did not take the message; worth trying again later."""


class LoggingBackend:
    """The default: no gateway, one log line per message, with the number masked
    (logs are not a place for residents' phone numbers)."""

    def send(self, *, phone: str, text: str) -> None:
        log.info("SMS to %s (%d characters)", mask_phone(phone), len(text))


# Messages the locmem backend took, for tests (like django.core.mail.outbox).
outbox: list[dict] = []


class LocmemBackend:
    def send(self, *, phone: str, text: str) -> None:
        outbox.append({"phone": phone, "text": text})


def sms_backend():
    return import_string(settings.WHISTLE_SMS_BACKEND)()


def sms_send(*, phone: str, text: str) -> None:
    sms_backend().send(phone=phone, text=text)

"""A text staff write for the resident is public: the tracking page, Open311's
status notes and, for a merged order, the other residents who follow it show it
to whoever has the tracking number. A handler who pastes the resident's phone
number or e-mail into it publishes them, so every service that writes such a
text refuses one that carries them, before anything is saved."""

import re
import unicodedata

from django.utils.translation import gettext as _

from complaints.models import Complaint
from portal.errors import ActionRefused

# Shorter numbers (an extension, a room) would match ordinary figures in a reply.
MIN_PHONE_DIGITS = 7
# A number as people type it: digits with spaces, dashes, dots, brackets or a leading +.
NUMBER_RUN = re.compile(r"\+?\d[\d\s\-.()（）]*")


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _phone_digits(phone: str) -> str:
    """The stored phone's digits, without China's country code: "+86 138…" is "138…"."""
    digits = _digits(unicodedata.normalize("NFKC", phone or ""))
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


def _carries_phone(text: str, phone: str) -> bool:
    wanted = _phone_digits(phone)
    if len(wanted) < MIN_PHONE_DIGITS:
        return False
    return any(wanted in _digits(run) for run in NUMBER_RUN.findall(text))


def _carries_email(text: str, email: str) -> bool:
    email = unicodedata.normalize("NFKC", email or "").strip().casefold()
    return bool(email) and email in text.casefold()


def public_text_check(*, complaint: Complaint, text: str, field: str) -> None:
    """Refuses `text` when it contains the phone number or e-mail of a resident who
    reads it: the complaint's own and, since merged followers read the lead's
    timeline, theirs. Digits are compared without separators, so "138 0013 8000",
    "138-0013-8000" and "+86 13800138000" are all caught; e-mail ignoring case."""
    text = unicodedata.normalize("NFKC", text or "")
    if not text:
        return
    readers = [(complaint.resident_phone, complaint.resident_email)]
    readers += list(complaint.followers.values_list("resident_phone", "resident_email"))
    for phone, email in readers:
        if _carries_phone(text, phone) or _carries_email(text, email):
            raise ActionRefused(
                _(
                    "Take the resident's phone number and e-mail out of this text: "
                    "it is public, and anyone with the tracking number reads it."
                ),
                field=field,
            )

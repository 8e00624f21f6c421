"""Residents' phone numbers: parsed and normalised by libphonenumber, so a
mobile, a Beijing landline with or without 010, or +86 all end up one way."""

from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

INVALID_PHONE = _("Enter a valid mainland China phone number, e.g. 13800138000 or 010-12345678.")


# Filing normalises the same number twice (the door's check, then complaint_submit's),
# and parsing is the costly part; a refusal raises and is not kept.
@lru_cache(maxsize=4096)
def normalize_phone(raw: str) -> str:
    """National digits (`13800138000`, `01065123456`); raises ValidationError."""
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(INVALID_PHONE, code="invalid_phone") from exc
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "".join(ch for ch in national if ch.isdigit())

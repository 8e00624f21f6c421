"""The resident's personal data as a given reader of an order may see it: in full
for the units handling it and the 12345 centre, masked for everyone else, and the
name never when the resident asked to hide it."""

from dataclasses import dataclass

from dispatch.selectors import OrderView


@dataclass(frozen=True)
class ResidentShown:
    name: str | None  # None: hidden at the resident's request
    phone: str
    email: str | None
    masked: bool


def resident_shown(*, view: OrderView) -> ResidentShown:
    complaint = view.complaint
    if view.shows_personal_data:
        name, phone, email = complaint.resident_name, complaint.resident_phone, complaint.resident_email or None
    else:
        name, phone, email = complaint.masked_name, complaint.masked_phone, None
    return ResidentShown(
        name=None if complaint.hide_name else name,
        phone=phone,
        email=email,
        masked=not view.shows_personal_data,
    )

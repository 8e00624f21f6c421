"""The resident's personal data as a given reader of an order may see it: in full
for the units handling it and the 12345 centre, masked for everyone else, and the
name never when the resident asked to hide it."""

from dataclasses import dataclass, replace

from complaints.personal import personal_data_masked_in
from complaints.timeline import STAFF, timeline_lines
from complaints.timeline.render import TimelineLine
from dispatch.selectors import OrderView, staff_timeline


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


def order_timeline(*, view: OrderView) -> list[TimelineLine]:
    """The staff timeline as this reader may see it: where the resident's details
    are masked, so are they inside the notes and replies staff typed."""
    units = {unit.pk: unit.name for a in view.assignments for unit in (a.unit, a.holder)}
    lines = timeline_lines(staff_timeline(complaint=view.complaint), audience=STAFF, unit_names=units)
    if view.shows_personal_data:
        return lines
    return [replace(line, text=personal_data_masked_in(line.text, complaint=view.complaint)) for line in lines]

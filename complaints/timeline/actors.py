"""Who acted, stored as a role or a unit id and named when read. A member of
staff acts for a unit; the resident never sees a staff member's name."""

from django.utils.translation import gettext_noop

CENTRE = "centre"
RESIDENT = "resident"
SYSTEM = "system"

ROLE_NAMES = {
    CENTRE: gettext_noop("12345 centre"),
    RESIDENT: gettext_noop("Resident"),
    SYSTEM: gettext_noop("System"),
}


def actor_data(by: str | int | None) -> dict:
    """The event data that says who acted: a role name, or a unit's id."""
    if by is None or by == "":
        return {}
    if isinstance(by, bool):
        raise TypeError("an actor is a role or a unit id")
    if isinstance(by, int):
        return {"by_unit": by}
    if by not in ROLE_NAMES:
        raise ValueError(f"unknown actor role {by!r}")
    return {"by": by}

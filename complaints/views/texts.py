"""Plain-language words for the resident's pages."""

from django.utils.translation import gettext_lazy as _

from complaints.models import ComplaintStatus, Region, RegionLevel
from complaints.selectors.reference import place_name

S = ComplaintStatus

STATUS_HELP = {
    S.SUBMITTED: _("We have received your complaint and are choosing the unit responsible for it."),
    S.ASSIGNED: _("Your complaint has been sent to the unit responsible. It will sign for it and contact you."),
    S.ACCEPTED: _("The responsible unit has taken on your complaint and will contact you soon."),
    S.IN_PROGRESS: _("The unit has contacted you and is working on the problem."),
    S.RESOLVED: _("The unit has replied. Please tell us below whether the problem is solved."),
    S.CLOSED: _("This complaint is closed. Thank you for telling us."),
    S.RETURNED: _("The unit it went to is not responsible; the 12345 centre is sending it to the right one."),
    S.REOPENED: _("You were not satisfied, so your complaint is going back to the unit."),
    S.REJECTED: _("This complaint cannot be handled here; the timeline below gives the reason."),
    S.MERGED: _("This complaint was joined with another report of the same problem, which is being handled."),
}


# What a follower's resident reads about the order its complaint was merged into.
LEAD_STATUS_HELP = {
    S.SUBMITTED: _("The 12345 centre is choosing the unit responsible."),
    S.ASSIGNED: _("The unit responsible has it and will start work soon."),
    S.ACCEPTED: _("The unit responsible has taken it on."),
    S.IN_PROGRESS: _("The unit responsible is working on the problem."),
    S.RESOLVED: _("The unit has replied. Please tell us below whether the problem is solved for you too."),
    S.CLOSED: _("The unit's work on it is finished."),
    S.RETURNED: _("The 12345 centre is sending it to the right unit."),
    S.REOPENED: _("The matter was reopened and is going back to the unit."),
}


def place_path(region: Region) -> list[str]:
    """District, street, community names, outermost first (the city is implied):
    the places' own names, as the resident chose them (多福巷社区, not its committee)."""
    names = []
    node = region
    while node is not None and node.level != RegionLevel.CITY:
        names.append(place_name(region=node))
        node = node.parent
    return names[::-1]

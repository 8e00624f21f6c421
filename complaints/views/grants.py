"""Which complaints this browser may look at. The session remembers the tracking
numbers it filed or proved with the phone's last four digits, so a guessed
number in a URL shows nothing."""

from django.http import Http404

from complaints.models import Complaint

SESSION_KEY = "whistle_tracking_numbers"
# Newest first; a shared kiosk browser must not pile up numbers forever.
MAX_GRANTS = 20


def grant(*, request, tracking_number: str) -> None:
    numbers = [n for n in request.session.get(SESSION_KEY, []) if n != tracking_number]
    request.session[SESSION_KEY] = [tracking_number, *numbers][:MAX_GRANTS]


def granted_numbers(*, request) -> list[str]:
    return list(request.session.get(SESSION_KEY, []))


def has_grant(*, request, tracking_number: str) -> bool:
    return tracking_number in request.session.get(SESSION_KEY, [])


def complaint_get_granted(*, request, tracking_number: str) -> Complaint:
    """The complaint, if this browser may see it; 404 otherwise, the same for a
    number that does not exist and one that is not this browser's."""
    if not has_grant(request=request, tracking_number=tracking_number):
        raise Http404
    complaint = (
        Complaint.objects.select_related("category__parent", "region__parent__parent")
        .filter(tracking_number=tracking_number)
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint

"""Which complaints this browser may look at. A signed cookie remembers the
tracking numbers it filed or proved with the phone's last four digits, so a
guessed number in a URL shows nothing.

A cookie, not the session: granting writes no row, so filing a complaint is one
commit. The signature (a salt of its own, so no other signed value of the
portal's can stand in for it) makes a forged or edited cookie grant nothing; it
expires with the session's age."""

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponse

from complaints.models import Complaint

COOKIE_NAME = "whistle_grants"
COOKIE_SALT = "complaints.views.grants"
# Grants kept in the session before they moved to the cookie: still honoured, never written.
SESSION_KEY = "whistle_tracking_numbers"
# Newest first; a shared kiosk browser must not pile up numbers forever.
MAX_GRANTS = 20
MAX_NUMBER = 40


def grant(*, request, response: HttpResponse, tracking_number: str) -> None:
    """Let this browser see the complaint: its number goes first in the cookie the response sets."""
    numbers = [tracking_number, *(n for n in granted_numbers(request=request) if n != tracking_number)]
    request.whistle_grants = numbers[:MAX_GRANTS]
    response.set_cookie(
        COOKIE_NAME,
        signed_grants(numbers=request.whistle_grants),
        max_age=settings.SESSION_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def signed_grants(*, numbers: list[str]) -> str:
    """The cookie's value for these tracking numbers, newest first."""
    return signing.dumps(list(numbers)[:MAX_GRANTS], salt=COOKIE_SALT, compress=True)


def granted_numbers(*, request) -> list[str]:
    """The tracking numbers this browser holds, newest first; none for a missing,
    expired, forged or malformed cookie."""
    if hasattr(request, "whistle_grants"):
        return list(request.whistle_grants)
    numbers = _from_cookie(request.COOKIES.get(COOKIE_NAME))
    # Only a browser that has a session can hold grants from before the cookie;
    # asking another would cost a query for nothing.
    session = getattr(request, "session", None)
    if session is not None and settings.SESSION_COOKIE_NAME in request.COOKIES:
        legacy = session.get(SESSION_KEY, [])
        if isinstance(legacy, list):
            numbers += [n for n in legacy if isinstance(n, str) and n not in numbers]
    return numbers[:MAX_GRANTS]


def has_grant(*, request, tracking_number: str) -> bool:
    return tracking_number in granted_numbers(request=request)


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


def _from_cookie(value: str | None) -> list[str]:
    if not value:
        return []
    try:
        numbers = signing.loads(value, salt=COOKIE_SALT, max_age=settings.SESSION_COOKIE_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return []
    if not isinstance(numbers, list):
        return []
    return [n for n in numbers if isinstance(n, str) and 0 < len(n) <= MAX_NUMBER][:MAX_GRANTS]

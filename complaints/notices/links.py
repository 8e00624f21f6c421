"""Signed links in messages: rate the result, stop messages. Each is salted for its
purpose (a stop link cannot be replayed as a rating link), scoped to one complaint,
and expires. Nothing is stored: the signature is the proof."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from complaints.models import Complaint

RATE_SALT = "whistle.notices.rate"
STOP_SALT = "whistle.notices.stop"
# Long enough for a resident to stop messages about an order that runs for weeks.
STOP_MAX_AGE = timedelta(days=365)


class LinkInvalid(Exception):
    """Forged, truncated, or for a complaint that is no more."""


class LinkExpired(LinkInvalid):
    pass


@dataclass(frozen=True)
class RateGrant:
    complaint: Complaint
    # The resolution the link was sent for: 1 for the first, one more per reopen.
    round: int


def rate_token(*, complaint: Complaint) -> str:
    return signing.dumps({"c": complaint.pk, "r": complaint.reopen_count + 1}, salt=RATE_SALT, compress=True)


def stop_token(*, complaint: Complaint) -> str:
    return signing.dumps({"c": complaint.pk}, salt=STOP_SALT, compress=True)


def rate_url(*, complaint: Complaint) -> str:
    return settings.WHISTLE_SITE_URL + reverse("complaints:notice_rate", args=[rate_token(complaint=complaint)])


def stop_url(*, complaint: Complaint) -> str:
    return settings.WHISTLE_SITE_URL + reverse("complaints:notice_stop", args=[stop_token(complaint=complaint)])


def rate_link_open(*, token: str) -> RateGrant:
    """The complaint a rating link is for. It lasts as long as the rating window."""
    payload = _load(token, salt=RATE_SALT, max_age=settings.WHISTLE_RATING_WINDOW)
    round_ = payload.get("r")
    if not isinstance(round_, int) or isinstance(round_, bool):
        raise LinkInvalid
    return RateGrant(complaint=_complaint(payload), round=round_)


def stop_link_open(*, token: str) -> Complaint:
    return _complaint(_load(token, salt=STOP_SALT, max_age=STOP_MAX_AGE))


def _load(token: str, *, salt: str, max_age: timedelta) -> dict:
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except (signing.BadSignature, ValueError, UnicodeError) as exc:
        raise LinkInvalid from exc
    if not isinstance(payload, dict):
        raise LinkInvalid
    return payload


def _complaint(payload: dict) -> Complaint:
    pk = payload.get("c")
    if not isinstance(pk, int) or isinstance(pk, bool):
        raise LinkInvalid
    complaint = Complaint.objects.filter(pk=pk).first()
    if complaint is None:
        raise LinkInvalid
    return complaint

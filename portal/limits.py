"""Limits on guessing and flooding, for every door at once.

A tracking look-up is a tracking number plus the phone's last four digits: 10^4
pairs per number, so an unlimited door lets anyone walk them. Intake is open to
anyone, so one address or one phone must not be able to bury the dispatch queue.
The limits are counted in the cache (Redis when CACHE_URL points at it, so every
web worker shares the counts) by django-ratelimit, per client address and per
tracking number or phone, and apply alike to the pages, the REST API and Open311.
A request over a limit changes nothing: it is answered 429 in the caller's shape
(a page in the reader's language, the API's error body, Open311's error list) with
`Retry-After`.

The rates are settings (WHISTLE_LIMITS, from environment variables); the staff
API and Open311 keys have their own DRF throttles on top.
"""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from complaints.phones import normalize_phone
from portal.middleware import refusal

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    name: str  # the key of its rate in settings.WHISTLE_LIMITS
    value: Callable  # request -> the counted value (an address, a number), or None


@dataclass(frozen=True)
class Door:
    limits: tuple[Limit, ...]
    # The answers that count against the limits; None counts every attempt. A
    # tracking look-up counts each guess; intake counts complaints accepted, so a
    # resident correcting a form's errors is not held back.
    counted: frozenset[int] | None = None


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def _field(request, name: str) -> str:
    """A field of a form or JSON body; empty when absent or unreadable."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return ""
        value = data.get(name, "") if isinstance(data, dict) else ""
        return value if isinstance(value, str) else ""
    if request.path_info.startswith("/api/") and not request.content_type.startswith("multipart/"):
        return ""  # the API answers other bodies 415 itself; parsing one here would hide that
    return request.POST.get(name, "")


def _tracking_number(request) -> str | None:
    number = "".join(ch for ch in _field(request, "tracking_number") if ch.isdigit())
    return number[:20] or None


def _phone(request) -> str | None:
    raw = (_field(request, "resident_phone") or _field(request, "phone")).strip()[:40]
    if not raw:
        return None
    try:
        return normalize_phone(raw)
    except ValidationError:
        return raw  # refused by the form anyway; counted as typed


TRACK_PER_IP = Limit("track_per_ip", _client_ip)
TRACK_PER_NUMBER = Limit("track_per_number", _tracking_number)
FILE_PER_IP = Limit("file_per_ip", _client_ip)
FILE_PER_PHONE = Limit("file_per_phone", _phone)

# Route names (namespace:name) whose POSTs are limited.
DOORS: dict[str, Door] = {
    "complaints:track": Door((TRACK_PER_IP, TRACK_PER_NUMBER)),
    "complaints_api:track": Door((TRACK_PER_IP, TRACK_PER_NUMBER)),
    "complaints:file": Door((FILE_PER_IP, FILE_PER_PHONE), counted=frozenset({302, 303})),
    "complaints_api:file": Door((FILE_PER_IP, FILE_PER_PHONE), counted=frozenset({201})),
    # An Open311 client files for many residents from one server: its key has its
    # own throttle, so only the phone is counted here.
    "open311:requests": Door((FILE_PER_PHONE,), counted=frozenset({200, 201})),
}


def _usage(request, limit: Limit, *, increment: bool) -> dict | None:
    rate = settings.WHISTLE_LIMITS.get(limit.name)
    value = limit.value(request) if rate else None
    if value is None:
        return None
    try:
        return get_usage(
            request, group=f"whistle.{limit.name}", key=lambda group, request: value, rate=rate, increment=increment
        )
    except Exception:  # noqa: BLE001 - the cache is down: a limit must never stop intake
        logger.warning("limits: the cache did not answer; %s not counted", limit.name, exc_info=True)
        return None


def _wait(request, door: Door) -> int | None:
    """The seconds to wait when this request is over one of the door's limits.
    A door that counts every attempt counts this one now."""
    for limit in door.limits:
        usage = _usage(request, limit, increment=door.counted is None)
        if usage is None:
            continue
        # A peek (nothing counted yet) is over when the next one would be.
        over = usage["should_limit"] if door.counted is None else usage["count"] >= usage["limit"]
        if over:
            return max(1, int(usage["time_left"]))
    return None


class AbuseLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        door = getattr(request, "_whistle_door", None)
        if door is not None and door.counted and response.status_code in door.counted:
            for limit in door.limits:
                _usage(request, limit, increment=True)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.resolver_match is None:
            return None
        door = DOORS.get(request.resolver_match.view_name)
        if door is None:
            return None
        wait = _wait(request, door)
        if wait is None:
            request._whistle_door = door
            return None
        minutes = max(1, round(wait / 60))
        message = _("Too many attempts from here. Try again in %(minutes)d minutes.") % {"minutes": minutes}
        response = refusal(request, message, status=429, code="throttled")
        response["Retry-After"] = str(wait)
        return response

"""A database that cannot be reached is an outage, not a bug: the caller gets a
short 503 with `Retry-After` (a page in the reader's language, the API's error
body, Open311's error list), and the log gets one line when the outage starts and
one when it ends, not a traceback per request.

Only connection failures count: `OperationalError` and `InterfaceError` raised
while Django talks to the server. A query that is simply wrong is an
`ProgrammingError` or `DataError` and stays a 500 with its traceback.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

from portal.middleware import refusal

logger = logging.getLogger("portal.outage")

OUTAGE_ERRORS = (OperationalError, InterfaceError)


class _OutageLog:
    """Whether an outage is under way in this process, so it is logged once."""

    def __init__(self):
        self._lock = threading.Lock()
        self.since: float | None = None

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            if self.since is not None:
                return
            self.since = time.monotonic()
        logger.error("database unreachable, answering 503 until it is back: %s", str(exc).strip()[:300])

    def answered(self) -> None:
        """After an answer that was not an outage: ends the outage if the database
        answers now (a page that never queried it proves nothing)."""
        if self.since is None:
            return
        try:
            connection.ensure_connection()
            if not connection.is_usable():
                return
        except OUTAGE_ERRORS:
            return
        with self._lock:
            since, self.since = self.since, None
        if since is not None:
            logger.warning("database reachable again after %.1f s", time.monotonic() - since)


outage_log = _OutageLog()


def is_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OUTAGE_ERRORS)


def outage_response(request, exc: BaseException) -> HttpResponse:
    outage_log.failed(exc)
    wait = settings.WHISTLE_OUTAGE_RETRY_AFTER
    path = request.path_info
    if path.startswith(("/api/", "/open311/")):
        message = _("The service is briefly unavailable. Nothing was saved; try again in a minute.")
        response = refusal(request, message, status=503, code="unavailable")
    else:
        # No request context: context processors read the database that is down.
        response = HttpResponse(loader.get_template("503.html").render({"retry_after": wait}), status=503)
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "no-store"
    response._has_been_logged = True  # the outage is logged once above, not per request
    return response


class DatabaseOutageMiddleware:
    """Turns a view's connection failure into the outage answer. Failures outside
    a view (a session saved after it) reach handler500, which asks `is_outage`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 503:
            outage_log.answered()
        return response

    def process_exception(self, request, exception):
        if is_outage(exception):
            return outage_response(request, exception)
        return None

"""The portal's own 403, 404 and 500 answers (handler403/404/500 in portal/urls.py).

Each answers in the shape its caller reads, as `refusal` does: the API's JSON body
under /api/, Open311's error list under /open311/, and a page everywhere else.
"""

import sys

from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from portal.middleware import refusal
from portal.outage import is_outage, outage_response

MACHINE_PREFIXES = ("/api/", "/open311/")


def page_not_found(request, exception=None) -> HttpResponse:
    if request.path_info.startswith(MACHINE_PREFIXES):
        return refusal(request, _("Not found."), status=404, code="not_found")
    return render(request, "404.html", {"path": request.path[:200]}, status=404)


def permission_denied(request, exception=None) -> HttpResponse:
    if request.path_info.startswith(MACHINE_PREFIXES):
        return refusal(request, _("You are not allowed to do this."), status=403, code="permission_denied")
    return render(request, "403.html", status=403)


def server_error(request) -> HttpResponse:
    """Rendered with no context processors and no request context: whatever broke
    (the database, a context processor, the translations) must not break this too."""
    exc = sys.exc_info()[1]
    if is_outage(exc):
        return outage_response(request, exc)
    if request.path_info.startswith(MACHINE_PREFIXES):
        # Static text, both languages: gettext itself may be what failed.
        message = "服务器内部错误，请稍后再试。 Server error: please try again later."
        return refusal(request, message, status=500, code="server_error")
    return HttpResponseServerError(loader.get_template("500.html").render())

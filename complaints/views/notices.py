"""The links in messages to residents: rate the result without typing the tracking
number, and stop messages. The signed token in the URL is the proof; a forged,
cut or expired one is refused with a 400 page that says so and changes nothing."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from complaints.notices.links import LinkExpired, LinkInvalid, rate_link_open, stop_link_open
from complaints.notices.stop import complaint_notices_stop
from complaints.views.grants import grant


@require_GET
def notice_rate_view(request, token: str):
    """Open the complaint's page at its rating form, as the tracking form would
    after the tracking number and phone were proven."""
    try:
        link = rate_link_open(token=token)
    except LinkExpired:
        return _refused(request, message=_("This rating link has expired. Track your complaint to see where it is."))
    except LinkInvalid:
        return _refused(request, message=_invalid_message())
    complaint = link.complaint
    if link.round != complaint.reopen_count + 1:
        return _refused(
            request,
            message=_(
                "This rating link is for an earlier result of your complaint. Use the link in the latest message."
            ),
        )
    response = HttpResponseRedirect(f"{complaint.get_absolute_url()}#rate-title", status=303)
    grant(request=request, response=response, tracking_number=complaint.tracking_number)
    return response


@require_http_methods(["GET", "POST"])
def notice_stop_view(request, token: str):
    """GET asks to confirm; POST stops messages about this complaint."""
    try:
        complaint = stop_link_open(token=token)
    except LinkExpired:
        return _refused(request, message=_("This link has expired. Messages about your complaint were not stopped."))
    except LinkInvalid:
        return _refused(request, message=_invalid_message())
    if request.method == "POST":
        complaint_notices_stop(complaint_id=complaint.pk)
        messages.success(request, _("You will get no more messages about this complaint."))
        return HttpResponseRedirect(request.path, status=303)
    return render(request, "complaints/notices/stop.html", {"complaint": complaint})


def _invalid_message() -> str:
    return _(
        "This link is not valid. Open it exactly as it is in the message, or track your complaint "
        "with its tracking number and phone."
    )


def _refused(request, *, message: str):
    return render(request, "complaints/notices/link_refused.html", {"message": message}, status=400)

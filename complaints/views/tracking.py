from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from complaints.forms import RatingForm, TrackForm, category_label
from complaints.selectors import complaint_track
from complaints.selectors.photos import photos_for
from complaints.selectors.tracking import complaint_public_view
from complaints.views.grants import complaint_get_granted, grant, has_grant
from complaints.views.texts import LEAD_STATUS_HELP, STATUS_HELP, place_path


@require_http_methods(["GET", "POST"])
def complaint_track_view(request):
    if request.method != "POST":
        form = TrackForm(initial={"tracking_number": request.GET.get("tracking_number", "")[:40]})
        return render(request, "complaints/track.html", {"form": form})
    form = TrackForm(data=request.POST)
    if form.is_valid():
        complaint = complaint_track(**form.cleaned_data)
        if complaint is not None:
            response = HttpResponseRedirect(complaint.get_absolute_url(), status=303)
            grant(request=request, response=response, tracking_number=complaint.tracking_number)
            return response
        # One message for a wrong pair and for an unknown number: the page must
        # not tell anyone which tracking numbers exist.
        form.add_error(None, _("No complaint matches this tracking number and phone. Check both and try again."))
    return render(request, "complaints/track.html", {"form": form})


def complaint_track_detail(request, tracking_number: str):
    if not has_grant(request=request, tracking_number=tracking_number):
        return redirect_to_track(tracking_number=tracking_number)
    complaint = complaint_get_granted(request=request, tracking_number=tracking_number)
    return render_detail(request, complaint=complaint, rating_form=RatingForm())


def redirect_to_track(*, tracking_number: str) -> HttpResponseRedirect:
    query = urlencode({"tracking_number": tracking_number})
    return HttpResponseRedirect(f"{reverse('complaints:track')}?{query}")


def render_detail(request, *, complaint, rating_form: RatingForm, status: int = 200):
    view = complaint_public_view(complaint=complaint)
    context = {
        "complaint": complaint,
        "category": category_label(complaint.category),
        "group": category_label(complaint.category.parent) if complaint.category.parent_id else "",
        "place": place_path(complaint.region),
        "status_help": STATUS_HELP.get(complaint.status, ""),
        "timeline": view.timeline,
        "rejected_reason": view.rejected_reason,
        "can_rate": view.can_rate,
        "rating_form": rating_form,
        "photos": photos_for(complaint=complaint),
    }
    if view.follower:
        lead = view.follower.lead
        context.update(
            lead=lead,
            lead_status_help=LEAD_STATUS_HELP.get(lead.status, ""),
            lead_timeline=view.follower.timeline,
            follower_rated=view.follower.rated,
        )
    return render(request, "complaints/track_detail.html", context, status=status)

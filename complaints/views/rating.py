from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints.forms import RatingForm
from complaints.models import ComplaintStatus, Satisfaction
from complaints.services.merge import follower_can_rate
from complaints.services.rating import complaint_rate_by_resident
from complaints.views.grants import complaint_get_granted, has_grant
from complaints.views.tracking import redirect_to_track, render_detail
from portal.errors import ActionRefused


@require_POST
def complaint_rate_view(request, tracking_number: str):
    if not has_grant(request=request, tracking_number=tracking_number):
        return redirect_to_track(tracking_number=tracking_number)
    complaint = complaint_get_granted(request=request, tracking_number=tracking_number)
    back = HttpResponseRedirect(complaint.get_absolute_url(), status=303)
    if complaint.status == ComplaintStatus.MERGED:
        return _rate_follower(request, complaint=complaint, back=back)
    form = RatingForm(data=request.POST)
    if not form.is_valid():
        if complaint.status != ComplaintStatus.RESOLVED:
            # The form is not even on the page yet; its errors would have nowhere to show.
            messages.error(request, _("Only a resolved complaint can be rated."))
            return back
        return render_detail(request, complaint=complaint, rating_form=form)
    try:
        complaint_rate_by_resident(complaint=complaint, **form.cleaned_data)
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return back
    if form.cleaned_data["satisfaction"] == Satisfaction.UNSATISFIED:
        messages.warning(
            request,
            _(
                "We are sorry it is not solved. Your complaint is reopened and has gone back to the unit "
                "that handled it; they will contact you again."
            ),
        )
    else:
        messages.success(request, _("Thank you for your rating. Your complaint is now closed."))
    return back


def _rate_follower(request, *, complaint, back):
    """A merged complaint's resident rates the result of the order it follows."""
    form = RatingForm(data=request.POST)
    if not form.is_valid():
        if not follower_can_rate(follower=complaint):
            messages.error(request, _("You can rate once the order it was merged into is resolved."))
            return back
        return render_detail(request, complaint=complaint, rating_form=form)
    try:
        complaint_rate_by_resident(complaint=complaint, **form.cleaned_data)
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return back
    if form.cleaned_data["satisfaction"] == Satisfaction.UNSATISFIED:
        messages.warning(
            request, _("We are sorry it is not solved for you. The unit handling the order has been told.")
        )
    else:
        messages.success(request, _("Thank you for your rating."))
    return back

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from complaints.forms import IntakeForm, TrackForm
from complaints.selectors.intake import complaint_filed_with, complaint_resent_from
from complaints.services.photos import complaint_submit_with_photos
from complaints.views.grants import complaint_get_granted, grant, granted_numbers

FORM_TEMPLATE = "complaints/file.html"


def home(request):
    return render(request, "complaints/home.html", {"track_form": TrackForm()})


def complaint_file(request):
    if request.method != "POST":
        form = IntakeForm()
        return render(request, FORM_TEMPLATE, {"form": form, "token": form.token()})
    if "refresh_places" in request.POST:
        # The no-JS way to fill the street and community lists: redraw, never
        # validate (the resident is not done) and never save.
        form = IntakeForm(initial=IntakeForm.initial_from(request.POST))
        return render(request, FORM_TEMPLATE, {"form": form, "token": form.token()})
    # A form that already filed its complaint (sent again after Back, or twice) is
    # answered with that complaint before anything is checked: what the browser
    # restored may no longer be valid (photos and drawn questions are not restored),
    # and the resident must not be asked to fix a form that has done its job.
    filed = complaint_filed_with(submission_token=request.POST.get("submission_token", ""))
    if filed is not None:
        messages.info(request, _("You had sent this form already. Nothing new was filed: this is your complaint."))
        return _to_confirmation(request, tracking_number=filed.tracking_number)
    form = IntakeForm(data=request.POST, files=request.FILES)
    if form.is_valid():
        resent = complaint_resent_from(tracking_numbers=granted_numbers(request=request), fields=form.submit_kwargs())
        if resent is not None:
            messages.info(request, _("You had sent this form already. Nothing new was filed: this is your complaint."))
            return _to_confirmation(request, tracking_number=resent.tracking_number)
        try:
            complaint = complaint_submit_with_photos(
                **form.submit_kwargs(),
                photos=form.cleaned_data["photos"],
                public=form.cleaned_data["photos_public"],
                resident=request.user if request.user.is_authenticated else None,
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            # The confirmation page says "filed" itself; a message would say it twice.
            return _to_confirmation(request, tracking_number=complaint.tracking_number)
    return render(request, FORM_TEMPLATE, {"form": form, "token": form.token()})


def _to_confirmation(request, *, tracking_number: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(reverse("complaints:filed", args=[tracking_number]), status=303)
    grant(request=request, response=response, tracking_number=tracking_number)
    return response


def complaint_filed(request, tracking_number: str):
    complaint = complaint_get_granted(request=request, tracking_number=tracking_number)
    track_url = request.build_absolute_uri(reverse("complaints:track_detail", args=[complaint.tracking_number]))
    return render(request, "complaints/filed.html", {"complaint": complaint, "track_url": track_url})

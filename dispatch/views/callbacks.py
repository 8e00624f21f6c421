"""The 12345 centre's callback queue (回访): resolved orders whose resident has not
rated them, oldest first; an operator calls, then records the resident's answers
or "no answer". To anyone outside the centre these pages do not exist (404)."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints.models import Satisfaction
from dispatch.forms.callbacks import CallbackNoAnswerForm, CallbackRatingForm
from dispatch.models import PersonalDataDoor
from dispatch.selectors.callbacks import (
    NO_ANSWER,
    RATE,
    callback_attempts_of,
    callback_check_reach,
    callback_facts,
    callback_get_for,
    callback_queue_for,
    callback_refusal,
)
from dispatch.services.audit import personal_data_view_record, personal_data_views_record
from dispatch.services.callbacks import callback_no_answer, callback_record_rating
from dispatch.views.common import paginate
from portal.errors import ActionRefused, NotFound


def centre_only(view):
    """Signed in, and a member of the 12345 centre; anyone else gets 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            callback_check_reach(user=request.user)
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc

    return wrapper


@centre_only
def callback_queue(request):
    """The orders due for a callback, each with the resident's name and phone in
    full (recorded in the personal data log) and the two answers an operator gives."""
    page = paginate(request, callback_queue_for(user=request.user, now=timezone.now()))
    complaints = list(page)
    personal_data_views_record(user=request.user, complaints=complaints, door=PersonalDataDoor.CALLBACK_PAGE)
    rows = [
        (complaint, CallbackRatingForm(complaint_id=complaint.pk, initial={"page": page.number}))
        for complaint in complaints
    ]
    context = {
        "page": page,
        "rows": rows,
        "delay_hours": _hours(settings.WHISTLE_CALLBACK_DELAY),
        "retry_hours": _hours(settings.WHISTLE_CALLBACK_RETRY_AFTER),
        "attempts_limit": settings.WHISTLE_CALLBACK_ATTEMPTS,
    }
    return render(request, "dispatch/callbacks/queue.html", context)


@centre_only
def callback_order(request, tracking_number: str):
    """One order's callback: what was done, the calls so far, and the forms when it
    may be called now (else why not)."""
    return _order_page(request, tracking_number=tracking_number, form=None)


@centre_only
@require_POST
def callback_rate(request, tracking_number: str):
    complaint = _get_or_404(request, tracking_number)
    form = CallbackRatingForm(request.POST, complaint_id=complaint.pk)
    if not form.is_valid():
        return _order_page(request, tracking_number=tracking_number, form=form, status=400)
    data = form.cleaned_data
    try:
        rating = callback_record_rating(
            user=request.user,
            complaint_id=complaint.pk,
            solved=data["solved"],
            satisfaction=data["satisfaction"],
            comment=data["comment"],
        )
    except ActionRefused as exc:
        messages.error(request, _refused(complaint, exc))
    else:
        if rating.satisfaction == Satisfaction.UNSATISFIED:
            done = _("Order %(number)s: rating recorded; not satisfied, so it went back to the unit.")
        else:
            done = _("Order %(number)s: rating recorded and the order closed.")
        messages.success(request, done % {"number": complaint.tracking_number})
    return _back_to_queue(data["page"])


@centre_only
@require_POST
def callback_no_answer_view(request, tracking_number: str):
    complaint = _get_or_404(request, tracking_number)
    form = CallbackNoAnswerForm(request.POST)
    form.is_valid()  # only the page to go back to; its field never fails
    try:
        outcome = callback_no_answer(user=request.user, complaint_id=complaint.pk)
    except ActionRefused as exc:
        messages.error(request, _refused(complaint, exc))
    else:
        params = {"number": complaint.tracking_number, "attempt": outcome.attempt, "attempts": outcome.attempts}
        if outcome.closed:
            done = _(
                "Order %(number)s: no answer (attempt %(attempt)s of %(attempts)s); closed as “resident "
                "unreachable”, with no rating."
            )
        else:
            done = _("Order %(number)s: no answer (attempt %(attempt)s of %(attempts)s); it comes back later.")
        messages.success(request, done % params)
    return _back_to_queue(form.cleaned_data.get("page", 1))


def _order_page(request, *, tracking_number: str, form: CallbackRatingForm | None, status: int = 200):
    complaint = _get_or_404(request, tracking_number)
    now = timezone.now()
    facts = callback_facts(complaint=complaint)
    refusal = callback_refusal(facts=facts, now=now, action=RATE)
    # The number to call, only while there is a call to make: this page is no door
    # to the contact details of any order a tracking number names.
    shows_resident = refusal is None
    if shows_resident:
        personal_data_view_record(user=request.user, complaint=complaint, door=PersonalDataDoor.CALLBACK_PAGE)
    context = {
        "complaint": complaint,
        "shows_resident": shows_resident,
        "attempts": list(callback_attempts_of(complaint=complaint)),
        "refusal": refusal,
        "no_answer_refusal": callback_refusal(facts=facts, now=now, action=NO_ANSWER),
        "form": form or CallbackRatingForm(complaint_id=complaint.pk),
    }
    return render(request, "dispatch/callbacks/order.html", context, status=status)


def _get_or_404(request, tracking_number: str):
    try:
        return callback_get_for(user=request.user, tracking_number=tracking_number)
    except NotFound as exc:
        raise Http404 from exc


def _refused(complaint, exc: ActionRefused) -> str:
    return _("Order %(number)s: %(reason)s") % {"number": complaint.tracking_number, "reason": exc.message}


def _hours(span) -> str:
    return f"{span.total_seconds() / 3600:g}"


def _back_to_queue(page: int) -> HttpResponseRedirect:
    url = reverse("dispatch:callbacks")
    if page and page > 1:
        url = f"{url}?{urlencode({'page': page})}"
    return HttpResponseRedirect(url)

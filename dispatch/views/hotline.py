"""The hotline desk (坐席受理) of the 12345 centre: the operator files a demand for
the caller on the line, with the caller's history, the open orders near the place
and the knowledge base beside the form, or answers a consultation on the call.

Everything works without JavaScript (the side panel is drawn by the server, and a
typed place name is resolved or offered as a list); hotline.js refreshes the
panel from the fragment URLs below as the operator types. To anyone outside the
centre every URL here is a 404.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from complaints.selectors.intake import complaint_filed_with
from complaints.selectors.place_search import place_hit, place_search
from dispatch.forms.hotline import HotlineForm
from dispatch.selectors.hotline import hotline_check, hotline_filed_get, repeats_of
from dispatch.services.hotline import consultation_answer_directly, hotline_file
from dispatch.views.hotline_panel import Side, side_panel
from portal.errors import ActionRefused, NotFound

PAGE = "dispatch/hotline/desk.html"


def centre_only(view):
    """Signed in and a member of the 12345 centre, else 404. A signed-out visitor is sent
    to sign in, as on every desk page: an operator whose session ran out mid-call lands
    on the login form, not on a 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            hotline_check(user=request.user)
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc

    return wrapper


@centre_only
@require_http_methods(["GET", "POST"])
def hotline(request):
    if request.method != "POST":
        caller = request.GET.get("caller", "")
        form = HotlineForm(initial={"caller": caller[:30] if isinstance(caller, str) else ""})
        return _render(request, form, side=Side.from_values(request.GET, caller=caller))
    if {"kb_search", "place_lookup", "show_questions"} & set(request.POST) or _new_search(request.POST):
        # The no-JS way to search the knowledge base, look a place up or see the
        # category's questions: redraw with them, never validate (the operator is
        # not done) and never save.
        form = HotlineForm(initial=HotlineForm.initial_from(request.POST))
        # Asked to show the questions: the cursor goes to the first of them.
        focus = form.question_fields[0].name if "show_questions" in request.POST and form.questions else None
        return _render(request, form, side=Side.from_values(request.POST), focus=focus)
    filed = complaint_filed_with(submission_token=request.POST.get("submission_token", ""))
    if filed is not None:
        messages.info(request, _("This call's demand was saved already. Nothing new was filed."))
        return _to_filed(filed.tracking_number)
    article_id = request.POST.get("answer_with")
    form = HotlineForm(data=request.POST, direct_answer=article_id is not None)
    if form.is_valid():
        try:
            if article_id is not None:
                complaint = consultation_answer_directly(user=request.user, article_id=article_id, data=form.demand())
            else:
                complaint = hotline_file(user=request.user, data=form.demand())
        except ValidationError as error:
            form.add_service_error(error)
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            return _to_filed(complaint.tracking_number)
    side = Side.from_values(request.POST, region=form.region_found)
    return _render(request, form, side=side)


def _new_search(data) -> bool:
    """Without JavaScript, Enter in the knowledge-base box presses the form's first
    button, Save. A search typed since the page was drawn means the operator wanted
    to search: search, and save nothing. (hotline.js searches in place instead.)"""
    if "answer_with" in data:
        return False
    query = data.get("kq", "")
    return bool(query.strip()) and query != data.get("kq_shown", "")


def _render(request, form: HotlineForm, *, side: Side, focus: str | None = None):
    panel = side_panel(user=request.user, side=side)
    region = panel["region"]
    form.focus(focus or _first_field(form))
    context = {
        "form": form,
        "token": form.token(),
        "region_code": region.code if region else "",
        "region_path": place_hit(region).path if region else "",
        **panel,
    }
    return render(request, PAGE, context)


def _first_field(form: HotlineForm) -> str:
    """Where the cursor starts: the first field to fix; else the number, or the
    name when the telephony system gave the number."""
    if form.is_bound and form.errors:
        if form.questions_unseen and not form.direct_answer:
            return form.question_fields[0].name
        first = next((name for name in form.fields if name in form.errors), "caller")
        # The list of places to choose from takes the focus itself.
        return "" if first == "place" and form.place_choices else first
    caller = form.data.get("caller") if form.is_bound else form.initial.get("caller")
    return "caller_name" if caller else "caller"


def _to_filed(tracking_number: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("dispatch:hotline_filed", args=[tracking_number]), status=303)


@centre_only
@require_GET
def hotline_filed(request, tracking_number: str):
    """The tracking number to read to the caller, in large type, and what became of the demand."""
    try:
        complaint = hotline_filed_get(user=request.user, tracking_number=tracking_number)
    except NotFound as exc:
        raise Http404 from exc
    number = complaint.tracking_number
    context = {
        "complaint": complaint,
        # Read out in three groups: the date, then four and four digits.
        "groups": [number[:8], number[8:12], number[12:]],
        "repeat_count": repeats_of(complaint=complaint) if complaint.repeat_of_id else 0,
        "answer": getattr(complaint, "direct_answer", None),
    }
    return render(request, "dispatch/hotline/filed.html", context)


@centre_only
@require_GET
def hotline_places(request):
    """Streets and communities of Beijing matching the typed name, for the place box."""
    try:
        hits = place_search(query=request.GET.get("q", ""))
    except ValidationError as error:
        return JsonResponse({"error": error.messages[0], "places": []}, status=400)
    return JsonResponse({"places": [{"code": h.code, "name": h.name, "path": h.path} for h in hits]})


@centre_only
@require_GET
def hotline_caller(request):
    """The caller's history (and the matter this call repeats), as the panel's HTML."""
    side = Side.from_values(request.GET)
    context = side_panel(user=request.user, side=side, parts=("history",))
    html = render_to_string("dispatch/hotline/_history.html", context, request=request)
    return JsonResponse({"html": html}, status=400 if context["caller_error"] else 200)


@centre_only
@require_GET
def hotline_nearby(request):
    """The open orders near the chosen place, as the panel's HTML."""
    side = Side.from_values(request.GET)
    context = side_panel(user=request.user, side=side, parts=("nearby",))
    return JsonResponse({"html": render_to_string("dispatch/hotline/_nearby.html", context, request=request)})


@centre_only
@require_GET
def hotline_questions(request):
    """The chosen category's questions, as the form draws them (answers already
    typed for a question of the same code kept), for hotline.js to put in place."""
    form = HotlineForm(initial=HotlineForm.initial_from(request.GET))
    html = render_to_string("dispatch/hotline/_questions.html", {"form": form}, request=request)
    return JsonResponse({"html": html})


@centre_only
@require_GET
def hotline_knowledge(request):
    """Knowledge-base articles for the typed question, each with its "answer directly" button."""
    side = Side.from_values(request.GET)
    context = side_panel(user=request.user, side=side, parts=("knowledge",))
    html = render_to_string("dispatch/hotline/_knowledge.html", context, request=request)
    return JsonResponse({"html": html}, status=400 if context["kb_error"] else 200)

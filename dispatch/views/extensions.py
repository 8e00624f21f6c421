"""Asking for more time (on the order page), deciding on it (the list of waiting
requests, or the order page), and the 12345 centre's priority change."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints.models.complaint import OPEN_STATUSES
from dispatch.access import reach_of
from dispatch.forms.extensions import ExtensionDecisionForm, ExtensionRequestForm, PriorityForm
from dispatch.models import Extension
from dispatch.selectors import OrderView
from dispatch.selectors.actions import OrderActions, acting_assignment
from dispatch.selectors.extensions import extensions_to_decide, pending_extension
from dispatch.services.extensions import extension_decide, extension_request, may_decide, shown
from dispatch.services.priority import complaint_set_priority
from dispatch.views.common import order_action, paginate
from portal.errors import ActionRefused, NotFound


@order_action
def ask_for_time(request, view: OrderView) -> str:
    assignment = acting_assignment(view)
    data = ExtensionRequestForm(request.POST).cleaned_or_refused()
    extension = extension_request(
        user=request.user,
        assignment_id=assignment.pk,
        requested_due=data["requested_due"],
        reason=data["reason"],
        version=data["version"],
    )
    return _("More time asked for, until %(due)s. The 12345 centre or a supervisor will decide.") % {
        "due": shown(extension.requested_due)
    }


@order_action
def set_priority(request, view: OrderView) -> str:
    if not view.is_dispatcher:
        raise ActionRefused(_("Only the 12345 centre can change an order's priority."))
    data = PriorityForm(request.POST).cleaned_or_refused()
    complaint = complaint_set_priority(
        user=request.user, complaint_id=view.complaint.pk, priority=data["priority"], version=data["version"]
    )
    return _("Priority set to %(priority)s; the due times follow its policy.") % {
        "priority": complaint.get_priority_display()
    }


@login_required
def extension_list(request):
    """Waiting requests for more time that this user may decide, oldest first."""
    try:
        requests = extensions_to_decide(user=request.user)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "dispatch/extensions.html", {"page": paginate(request, requests)})


@login_required
@require_POST
def decide_extension(request, extension_id: int):
    """Approve or refuse one request, then go back where the decision was made."""
    try:
        data = ExtensionDecisionForm(request.POST).cleaned_or_refused()
        extension = extension_decide(
            user=request.user, extension_id=extension_id, approve=data["decision"] == "approve", note=data["note"]
        )
    except ActionRefused as exc:
        messages.error(request, exc.message)
    except NotFound as exc:
        raise Http404 from exc
    else:
        if data["decision"] == "approve":
            messages.success(
                request, _("Approved: resolution now due %(due)s.") % {"due": shown(extension.requested_due)}
            )
        else:
            messages.success(request, _("Refused. The due time stays as it was."))
    back = request.POST.get("next", "")
    # Only a path on this site: `redirect()` would take any other word for a URL
    # name to reverse, and a hand-made "next" must not turn into a server error.
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(back)
    reach = reach_of(request.user)
    return redirect("dispatch:extensions" if reach.is_dispatcher or reach.supervised_paths else "dispatch:home")


def order_deadline_context(*, user, view: OrderView, extensions: list[Extension], actions: OrderActions) -> dict:
    """What the order page shows about deadlines: the policy, the extension
    history (`extension_history`), and the forms this user may use (ask, decide,
    change priority)."""
    assignment = view.assignment
    pending = pending_extension(extensions)
    context = {
        "policy": assignment.policy if assignment is not None and assignment.policy_id else None,
        "extensions": extensions,
        "pending_extension": pending,
    }
    if "more_time" in actions:
        context["extension_form"] = ExtensionRequestForm(initial={"version": assignment.version})
    if pending is not None and pending.requested_by_id != user.pk and may_decide(user=user, assignment=assignment):
        context["decision_form"] = ExtensionDecisionForm()
    if view.is_dispatcher and view.complaint.status in OPEN_STATUSES:
        context["priority_form"] = PriorityForm(
            initial={"version": view.complaint.version, "priority": view.complaint.priority}
        )
    return context

"""The 12345 centre's triage actions on an order: reject it as out of scope, or
change its category (and route it again); plus what the order page shows for them."""

from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models.complaint import OPEN_STATUSES
from dispatch.forms.triage import RecategoriseForm, RejectForm
from dispatch.models import AssignmentStatus
from dispatch.selectors import OrderView
from dispatch.selectors.triage import triage_suggestions
from dispatch.services.triage import DISPATCHABLE, REJECTABLE, triage_recategorise, triage_reject
from dispatch.views.common import order_action
from portal.errors import ActionRefused


def _dispatcher_only(view: OrderView, message: str) -> None:
    # Checked before parsing so a non-dispatcher learns nothing from the form's errors.
    if not view.is_dispatcher:
        raise ActionRefused(message)


@order_action
def reject(request, view: OrderView) -> str:
    _dispatcher_only(view, _("Only the 12345 centre can reject an order."))
    data = RejectForm(request.POST).cleaned_or_refused()
    triage_reject(user=request.user, complaint_id=view.complaint.pk, reason=data["reason"], version=data["version"])
    return _("Rejected. The resident can read the reason.")


@order_action
def recategorise(request, view: OrderView) -> str:
    _dispatcher_only(view, _("Only the 12345 centre can change an order's category."))
    data = RecategoriseForm(request.POST).cleaned_or_refused()
    done = triage_recategorise(
        user=request.user,
        complaint_id=view.complaint.pk,
        category_id=data["category"],
        version=data["version"],
        reroute=data["reroute"],
    )
    if done.assignment is not None:
        return _("Category changed; routed to %(unit)s.") % {"unit": done.assignment.unit.name}
    if done.in_triage and data["reroute"]:
        return _("Category changed; no rule fits it, so the order stays in triage.")
    return _("Category changed.")


def triage_actions_context(*, user, view: OrderView) -> dict:
    """The dispatcher's triage controls on the order page: where the order probably
    belongs, reject, and change category. Nothing for anyone else."""
    complaint = view.complaint
    if not view.is_dispatcher:
        return {}
    context = {}
    if complaint.status in DISPATCHABLE:
        suggestion = triage_suggestions(complaints=[complaint], now=timezone.now())[complaint.pk]
        context["triage_suggestion"] = suggestion
    initial = {"version": complaint.version}
    unsigned = (
        view.assignment is None or not view.assignment.is_active or view.assignment.status == AssignmentStatus.ASSIGNED
    )
    if complaint.status in REJECTABLE and unsigned:
        context["reject_form"] = RejectForm(initial=initial)
    if complaint.status in OPEN_STATUSES:
        context["recategorise_form"] = RecategoriseForm(initial=initial)
    return context

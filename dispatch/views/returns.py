"""Returning an order (退单), taking it back or handing it up, and routing a
returned order again; plus what the order page shows for them."""

from django.shortcuts import redirect
from django.utils.translation import gettext as _

from complaints.models import ComplaintStatus
from dispatch.forms.returns import RecallForm, ReturnForm
from dispatch.models import TemplatePurpose
from dispatch.selectors import OrderView, order_get_for, order_returns
from dispatch.selectors.actions import OrderActions, acting_assignment
from dispatch.selectors.reply_templates import order_templates
from dispatch.services.assignments import assignment_recall
from dispatch.services.returns import assignment_return, triage_reroute
from dispatch.views.common import order_action
from portal.errors import NotFound


@order_action
def return_order(request, view: OrderView) -> str:
    data = ReturnForm(
        request.POST, templates=order_templates(view=view, purpose=TemplatePurpose.RETURN)
    ).cleaned_or_refused()
    assignment_return(
        user=request.user,
        assignment_id=acting_assignment(view).pk,
        reason=data["reason"],
        note=data["note"],
        version=data["version"],
    )
    return _("Returned to the 12345 centre.")


@order_action
def _recall(request, view: OrderView) -> str:
    data = RecallForm(request.POST).cleaned_or_refused()
    assignment = assignment_recall(user=request.user, assignment_id=acting_assignment(view).pk, version=data["version"])
    return _("Back with %(unit)s.") % {"unit": assignment.holder.name}


def recall(request, tracking_number: str):
    response = _recall(request, tracking_number)
    # A community that handed the order up no longer sees it: land on the desk instead of a 404.
    if response.status_code == 302:
        try:
            order_get_for(user=request.user, tracking_number=tracking_number)
        except NotFound:
            return redirect("dispatch:home")
    return response


@order_action
def reroute(request, view: OrderView) -> str:
    assignment = triage_reroute(user=request.user, complaint_id=view.complaint.pk)
    return _("Routed again to %(unit)s.") % {"unit": assignment.unit.name}


def returns_context(*, user, view: OrderView, actions: OrderActions) -> dict:
    """The order page's return, take-back/hand-up and reroute controls this user
    may use now, and the order's return history (for anyone who sees the order)."""
    context = {"return_history": order_returns(view=view)}
    initial = {"version": view.assignment.version} if view.assignment is not None else {}
    if "return" in actions:
        context["return_form"] = ReturnForm(
            initial=initial, templates=order_templates(view=view, purpose=TemplatePurpose.RETURN)
        )
        context["return_until"] = actions.return_until
    if "recall" in actions:
        context["recall_form"] = RecallForm(initial=initial)
        context["recall_is_take_back"] = actions.recall_is_take_back
    if view.is_dispatcher and view.complaint.status == ComplaintStatus.RETURNED:
        context["can_reroute"] = True
    return context

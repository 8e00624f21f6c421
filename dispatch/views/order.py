from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dispatch.forms import AcceptForm, ContactForm, DispatchForm, HandDownForm, NoteForm, ResolveForm
from dispatch.models import AssignmentStatus
from dispatch.selectors import OrderView, staff_timeline
from dispatch.selectors.desk import dispatch_suggestions, hand_down_targets
from dispatch.services.triage import DISPATCHABLE
from dispatch.views.common import order_or_404
from dispatch.views.extensions import order_deadline_context
from dispatch.views.merge import duplicates_context
from dispatch.views.returns import returns_context
from dispatch.views.triage_actions import triage_actions_context
from dispatch.views.whistle import whistle_context


@login_required
def order(request, tracking_number: str):
    """An order's staff page: the complaint, who has it and by when, the full
    timeline, and the actions this user may take now."""
    view = order_or_404(user=request.user, tracking_number=tracking_number)
    context = {
        "view": view,
        "complaint": view.complaint,
        "assignment": view.assignment,
        "timeline": staff_timeline(complaint=view.complaint),
        "forms": _action_forms(view),
    }
    context.update(order_deadline_context(user=request.user, view=view))
    context.update(returns_context(user=request.user, view=view))
    context.update(duplicates_context(user=request.user, view=view))
    context.update(whistle_context(user=request.user, view=view))
    context.update(triage_actions_context(user=request.user, view=view))
    if view.is_dispatcher and view.complaint.status in DISPATCHABLE:
        context["dispatch_form"] = DispatchForm(initial={"version": view.complaint.version})
        context["suggestions"] = dispatch_suggestions(complaint=view.complaint)
    return render(request, "dispatch/order.html", context)


def _action_forms(view: OrderView) -> dict:
    """The forms for the actions the assignment's state allows, keyed by action."""
    assignment = view.assignment
    if not view.can_act:
        return {}
    initial = {"version": assignment.version}
    forms = {"note": NoteForm()}
    if assignment.status == AssignmentStatus.ASSIGNED:
        forms["accept"] = AcceptForm(initial=initial)
    if assignment.status == AssignmentStatus.ACCEPTED:
        forms["contact"] = ContactForm(initial=initial)
    if assignment.status == AssignmentStatus.IN_PROGRESS:
        forms["resolve"] = ResolveForm(initial=initial)
    communities = list(hand_down_targets(assignment=assignment))
    communities = [unit for unit in communities if unit.pk != assignment.holder_id]
    if communities:
        forms["hand_down"] = HandDownForm(initial=initial, communities=communities)
    return forms

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from complaints.selectors.photos import photos_for
from dispatch.forms import AcceptForm, ContactForm, DispatchForm, HandDownForm, NoteForm, ResolveForm
from dispatch.models import PersonalDataDoor, TemplatePurpose
from dispatch.selectors import OrderView, order_repeats
from dispatch.selectors.actions import OrderActions, order_actions_for, order_next_step
from dispatch.selectors.desk import dispatch_suggestions
from dispatch.selectors.extensions import order_extension_history
from dispatch.selectors.personal import order_timeline
from dispatch.selectors.reply_templates import order_templates
from dispatch.services.audit import personal_data_view_record_if_shown
from dispatch.services.triage import DISPATCHABLE
from dispatch.views.common import order_or_404
from dispatch.views.extensions import order_deadline_context
from dispatch.views.merge import duplicates_context
from dispatch.views.place_confirm import place_confirm_context
from dispatch.views.returns import returns_context
from dispatch.views.triage_actions import triage_actions_context
from dispatch.views.whistle import whistle_context


@login_required
def order(request, tracking_number: str):
    """An order's staff page: the complaint, who has it and by when, the full
    timeline, and the actions this user may take now."""
    view = order_or_404(user=request.user, tracking_number=tracking_number)
    extensions = order_extension_history(view=view)
    actions = order_actions_for(user=request.user, view=view, extensions=extensions, now=timezone.now())
    context = {
        "view": view,
        "complaint": view.complaint,
        "assignment": view.assignment,
        "timeline": order_timeline(view=view),
        "photos": photos_for(complaint=view.complaint) if view.complaint.has_photos else [],
        "forms": _action_forms(view, actions),
        "next_step": order_next_step(view=view),
        "repeats": order_repeats(view=view),
    }
    context.update(order_deadline_context(user=request.user, view=view, extensions=extensions, actions=actions))
    context.update(returns_context(user=request.user, view=view, actions=actions))
    context.update(duplicates_context(user=request.user, view=view))
    context.update(whistle_context(user=request.user, view=view, actions=actions))
    context.update(triage_actions_context(user=request.user, view=view))
    context.update(place_confirm_context(user=request.user, view=view))
    if view.is_dispatcher and view.complaint.status in DISPATCHABLE:
        context["dispatch_form"] = DispatchForm(initial={"version": view.complaint.version})
        context["suggestions"] = dispatch_suggestions(complaint=view.complaint)
    personal_data_view_record_if_shown(user=request.user, view=view, door=PersonalDataDoor.ORDER_PAGE)
    return render(request, "dispatch/order.html", context)


def _action_forms(view: OrderView, actions: OrderActions) -> dict:
    """The forms for the unit's actions that `actions` allows, keyed by action."""
    if not view.can_act:
        return {}
    initial = {"version": view.assignment.version}
    forms = {"note": NoteForm()}
    if "accept" in actions:
        forms["accept"] = AcceptForm(initial=initial)
    if "contact" in actions:
        forms["contact"] = ContactForm(
            initial=initial, templates=order_templates(view=view, purpose=TemplatePurpose.CONTACT)
        )
    if "resolve" in actions:
        forms["resolve"] = ResolveForm(
            initial=initial, templates=order_templates(view=view, purpose=TemplatePurpose.RESOLVE)
        )
    if "hand_down" in actions:
        forms["hand_down"] = HandDownForm(initial=initial, communities=actions.hand_down_targets)
    return forms

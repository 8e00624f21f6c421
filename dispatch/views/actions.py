"""The order page's actions, one URL each. Each parses its form, calls one
service and returns the message to show; refusals are handled by `order_action`."""

from django.utils.translation import gettext as _

from dispatch.forms import AcceptForm, ContactForm, DispatchForm, HandDownForm, NoteForm, ResolveForm
from dispatch.models import TemplatePurpose
from dispatch.selectors import OrderView
from dispatch.selectors.actions import acting_assignment
from dispatch.selectors.desk import hand_down_targets
from dispatch.selectors.reply_templates import order_templates
from dispatch.services.assignments import (
    assignment_accept,
    assignment_add_note,
    assignment_hand_down,
    assignment_record_contact,
)
from dispatch.services.reply_photos import assignment_resolve_with_photos
from dispatch.services.triage import triage_dispatch_to
from dispatch.views.common import order_action


def _assignment_id(view: OrderView) -> int:
    return acting_assignment(view).pk


@order_action
def accept(request, view: OrderView) -> str:
    data = AcceptForm(request.POST).cleaned_or_refused()
    assignment_accept(user=request.user, assignment_id=_assignment_id(view), version=data["version"])
    return _("Signed for.")


@order_action
def contact(request, view: OrderView) -> str:
    data = ContactForm(
        request.POST, templates=order_templates(view=view, purpose=TemplatePurpose.CONTACT)
    ).cleaned_or_refused()
    assignment_record_contact(
        user=request.user, assignment_id=_assignment_id(view), note=data["note"], version=data["version"]
    )
    return _("Contact recorded.")


@order_action
def note(request, view: OrderView) -> str:
    data = NoteForm(request.POST).cleaned_or_refused()
    assignment_add_note(user=request.user, assignment_id=_assignment_id(view), note=data["note"])
    return _("Note added.")


@order_action
def hand_down(request, view: OrderView) -> str:
    assignment_id = _assignment_id(view)
    communities = hand_down_targets(assignment=view.assignment)
    data = HandDownForm(request.POST, communities=communities).cleaned_or_refused()
    assignment = assignment_hand_down(
        user=request.user, assignment_id=assignment_id, community_id=data["community"], version=data["version"]
    )
    return _("Handed down to %(unit)s.") % {"unit": assignment.holder.name}


@order_action
def resolve(request, view: OrderView) -> str:
    templates = order_templates(view=view, purpose=TemplatePurpose.RESOLVE)
    data = ResolveForm(request.POST, request.FILES, templates=templates).cleaned_or_refused()
    assignment_resolve_with_photos(
        user=request.user,
        assignment_id=_assignment_id(view),
        reply=data["reply"],
        version=data["version"],
        files=data["photos"],
    )
    return _("Resolved. The resident will be asked to rate the result.")


@order_action
def dispatch_to(request, view: OrderView) -> str:
    data = DispatchForm(request.POST).cleaned_or_refused()
    assignment = triage_dispatch_to(
        user=request.user,
        complaint_id=view.complaint.pk,
        unit=data["unit"],
        note=data["note"],
        version=data["version"],
    )
    return _("Dispatched to %(unit)s.") % {"unit": assignment.unit.name}

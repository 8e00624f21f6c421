"""The desk page where a unit keeps its reply templates (常用语) and the 12345
centre keeps the city-wide ones. Another unit's templates do not exist here (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dispatch.forms.reply_templates import ReplyTemplateForm
from dispatch.models import ReplyTemplate
from dispatch.selectors.reply_templates import (
    CENTRE,
    reply_template_get_for,
    template_owner_get_for,
    template_owners_for,
    templates_kept,
)
from dispatch.services.reply_templates import (
    reply_template_create,
    reply_template_deactivate,
    reply_template_update,
)
from portal.errors import ActionRefused, NotFound


def _owner_key(unit) -> str:
    return CENTRE if unit is None else str(unit.pk)


@login_required
def reply_templates(request):
    owners = template_owners_for(user=request.user)
    if not owners:
        raise Http404
    by_owner = {}
    for template in templates_kept(owners=owners):
        by_owner.setdefault(template.unit_id, []).append(template)
    sections = [
        {"unit": unit, "key": _owner_key(unit), "templates": by_owner.get(None if unit is None else unit.pk, [])}
        for unit in owners
    ]
    return render(request, "dispatch/reply_templates/index.html", {"sections": sections})


@login_required
def reply_template_new(request, owner: str):
    try:
        unit = template_owner_get_for(user=request.user, owner=owner)
    except NotFound as exc:
        raise Http404 from exc
    form = ReplyTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reply_template_create(
                user=request.user,
                owner=unit,
                purpose=data["purpose"],
                category=data["category"],
                title=data["title"],
                text=data["text"],
            )
        except ActionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The template is saved."))
            return redirect("dispatch:reply_templates")
    return render(request, "dispatch/reply_templates/form.html", {"form": form, "owner": unit, "template": None})


@login_required
def reply_template_edit(request, template_id: int):
    try:
        template = reply_template_get_for(user=request.user, template_id=template_id)
    except NotFound as exc:
        raise Http404 from exc
    form = ReplyTemplateForm(request.POST or None, instance=None, initial=_initial(template))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reply_template_update(
                template=template,
                purpose=data["purpose"],
                category=data["category"],
                title=data["title"],
                text=data["text"],
                is_active=data["is_active"],
            )
        except ActionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The template is saved."))
            return redirect("dispatch:reply_templates")
    context = {"form": form, "owner": template.unit, "template": template}
    return render(request, "dispatch/reply_templates/form.html", context)


@require_POST
@login_required
def reply_template_deactivate_view(request, template_id: int):
    try:
        template = reply_template_get_for(user=request.user, template_id=template_id)
    except NotFound as exc:
        raise Http404 from exc
    reply_template_deactivate(template=template)
    messages.success(request, _("The template is no longer offered."))
    return redirect("dispatch:reply_templates")


def _initial(template: ReplyTemplate) -> dict:
    return {
        "purpose": template.purpose,
        "category": template.category_id,
        "title": template.title,
        "text": template.text,
        "is_active": template.is_active,
    }

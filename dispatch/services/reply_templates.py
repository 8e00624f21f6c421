"""Keeping reply templates (常用语). The views have already checked, through
dispatch.selectors.reply_templates, that the user keeps the owner's templates."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dispatch.models import ReplyTemplate, Unit
from portal.errors import ActionRefused

NO_TEXT = _("Write the template's title and text.")


def _clean(*, title: str, text: str) -> tuple[str, str]:
    title, text = title.strip(), text.strip()
    if not title or not text:
        raise ActionRefused(NO_TEXT)
    return title, text


@transaction.atomic
def reply_template_create(*, user, owner: Unit | None, purpose: str, category, title: str, text: str) -> ReplyTemplate:
    title, text = _clean(title=title, text=text)
    return ReplyTemplate.objects.create(
        unit=owner, purpose=purpose, category=category, title=title, text=text, created_by=user
    )


@transaction.atomic
def reply_template_update(
    *, template: ReplyTemplate, purpose: str, category, title: str, text: str, is_active: bool
) -> ReplyTemplate:
    template.title, template.text = _clean(title=title, text=text)
    template.purpose, template.category, template.is_active = purpose, category, is_active
    template.save(update_fields=["title", "text", "purpose", "category", "is_active"])
    return template


def reply_template_deactivate(*, template: ReplyTemplate) -> ReplyTemplate:
    template.is_active = False
    template.save(update_fields=["is_active"])
    return template

"""Which reply templates (常用语) a unit is offered on an order, and which it manages."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dispatch.access import reach_of
from dispatch.models import ReplyTemplate, Role, Unit
from portal.errors import ActionRefused, NotFound

NOT_OFFERED = _("Choose a template your unit may use.")


def _path_prefixes(path: str) -> list[str]:
    # "bj/110101/110101001/" → ["bj/", "bj/110101/", "bj/110101/110101001/"]: the unit and its ancestors.
    parts = [part for part in path.split("/") if part]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def templates_for(*, unit: Unit | None, category, purpose: str) -> QuerySet[ReplyTemplate]:
    """Active templates for `purpose` of the unit, of the units above it and of the
    12345 centre (no unit), written for the order's category, its parent group or
    every category. One query; the unit and category are already loaded."""
    owners = Q(unit__isnull=True)
    if unit is not None:
        owners |= Q(unit__path__in=_path_prefixes(unit.path))
    categories = Q(category__isnull=True)
    if category is not None:
        categories |= Q(category_id__in=[pk for pk in (category.pk, category.parent_id) if pk])
    return ReplyTemplate.objects.filter(owners, categories, purpose=purpose, is_active=True).order_by("title", "pk")


def templates_kept(*, owners: list[Unit | None]) -> QuerySet[ReplyTemplate]:
    """Every template (active or not) of the given owners; None stands for the centre."""
    kept = Q(unit_id__in=[unit.pk for unit in owners if unit is not None])
    if None in owners:
        kept |= Q(unit__isnull=True)
    return (
        ReplyTemplate.objects.filter(kept).select_related("category__parent").order_by("-is_active", "purpose", "title")
    )


def order_templates(*, view, purpose: str) -> QuerySet[ReplyTemplate]:
    """The templates offered on an order page: for the unit holding the order now."""
    unit = view.assignment.holder if view.assignment is not None else None
    return templates_for(unit=unit, category=view.complaint.category, purpose=purpose)


def template_text_or(*, text: str, template: ReplyTemplate | None) -> str:
    """The rule of every door with a template picker: a chosen template's text
    fills the field only when it was left empty; what the user typed wins."""
    if template is not None and not (text or "").strip():
        return template.text
    return text


def order_text_with_template(*, view, purpose: str, template_id: int | None, text: str, field: str = "template") -> str:
    """`text`, or the chosen template's when `text` is empty. A template not offered
    on this order (another unit's, another purpose's or category's, archived) is
    refused on `field`, before the action writes anything."""
    if template_id is None:
        return text
    template = order_templates(view=view, purpose=purpose).filter(pk=template_id).first()
    if template is None:
        raise ActionRefused(NOT_OFFERED, field=field)
    return template_text_or(text=text, template=template)


CENTRE = "centre"


def template_owners_for(*, user) -> list[Unit | None]:
    """Whose templates the user keeps: each unit they handle or supervise, and the
    centre's (None) for a central dispatcher. Nobody keeps another unit's."""
    reach = reach_of(user)
    units = list(
        Unit.objects.filter(
            memberships__user=user, memberships__role__in=[Role.HANDLER, Role.SUPERVISOR], is_active=True
        )
        .distinct()
        .order_by("path")
    )
    return ([None] if reach.is_dispatcher else []) + units


def template_owner_get_for(*, user, owner: str) -> Unit | None:
    """The owner named in a URL ("centre" or a unit id) if the user keeps its templates, else NotFound."""
    for unit in template_owners_for(user=user):
        key = CENTRE if unit is None else str(unit.pk)
        if key == owner:
            return unit
    raise NotFound()


def reply_template_get_for(*, user, template_id: int) -> ReplyTemplate:
    """A template the user may edit; another unit's does not exist for them."""
    template = ReplyTemplate.objects.select_related("unit", "category").filter(pk=template_id).first()
    if template is None or template.unit not in template_owners_for(user=user):
        raise NotFound()
    return template

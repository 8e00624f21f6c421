"""Small helpers for the desk templates. They read only what the views' selectors
already loaded, so a list never pays a query per row."""

from django import template

from complaints.models import Region, RegionLevel
from dispatch.access import reach_of

register = template.Library()

SEPARATOR = " › "


@register.simple_tag(takes_context=True)
def desk_nav(context) -> dict:
    """What the desk menu offers this user (their memberships are read once per request)."""
    reach = reach_of(context["request"].user)
    unit_ids = sorted(reach.handler_unit_ids)
    return {
        "queue_unit_id": unit_ids[0] if len(unit_ids) == 1 else None,
        "many_units": len(unit_ids) > 1,
        "dispatcher": reach.is_dispatcher,
        "centre": reach.is_centre,
        "supervisor": bool(reach.supervised_paths),
    }


@register.filter
def place(region: Region) -> str:
    """Show "street › community" for a community, the name alone above that. Needs region__parent loaded."""
    if region.level == RegionLevel.COMMUNITY and region.parent_id:
        return f"{region.parent.name}{SEPARATOR}{region.name}"
    return region.name


@register.filter
def place_path(region: Region) -> str:
    """Show "district › street › community". Needs region__parent__parent loaded."""
    names = [region.name]
    while region.level in (RegionLevel.STREET, RegionLevel.COMMUNITY) and region.parent_id:
        region = region.parent
        names.insert(0, region.name)
    return SEPARATOR.join(names)

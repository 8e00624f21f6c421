"""Small helpers for the desk templates. They read only what the views' selectors
already loaded, so a list never pays a query per row; and they are cheap per row,
since a list renders them 25 or 50 times (a row's `{% include %}`, `{% url %}` and
`get_<field>_display` each cost more than the rest of the row)."""

from functools import cache
from urllib.parse import quote

from django import template
from django.conf import settings
from django.db.models import Field, Model
from django.template.defaulttags import CsrfTokenNode
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.encoding import force_str
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from complaints.models import Region, RegionLevel
from dispatch.access import reach_of

register = template.Library()

SEPARATOR = " › "
# Stands for the tracking number while the order page's address is reversed once.
_PLACEHOLDER = "tracking-number-here"
# As django.urls.reverse quotes an argument (RFC 3986 sub-delimiters, plus what a path keeps).
_SAFE_IN_PATH = "!$&'()*+,;=/~:@"


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


@register.filter(expects_localtime=True)
def minute(value) -> str:
    """`value|date:"Y-m-d H:i"`, the desk's way of showing a moment (in the reader's time
    zone, as the template engine converts it): the date filter looks its format up
    and parses it on every call, five times the cost, and a list shows one per row."""
    if value in (None, ""):
        return ""
    try:
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d} {value.hour:02d}:{value.minute:02d}"
    except AttributeError:
        return ""


@register.filter
def display(instance: Model, field_name: str) -> str:
    """The label of `instance`'s choice field, as `get_<field>_display()` gives it. That
    method hashes every choice's lazy label on each call (dozens of translations a row);
    this reads a dict built once per field."""
    field = instance._meta.get_field(field_name)
    value = getattr(instance, field.attname)
    return force_str(_labels(field).get(value, value), strings_only=True)


@cache
def _labels(field: Field) -> dict:
    # The lazy labels themselves: each is translated into the request's language when shown.
    return dict(field.flatchoices)


@register.filter
def order_url(tracking_number: str, view: str = "order") -> str:
    """The staff order page of `tracking_number` (or, given `view`, another of the desk's
    order addresses, such as "dispatch_to"), as `{% url 'dispatch:order' … %}` gives it,
    from the address reversed once per URL configuration and script prefix."""
    prefix, suffix = _order_url_parts(f"dispatch:{view}", get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return f"{prefix}{quote(str(tracking_number), safe=_SAFE_IN_PATH)}{suffix}"


@cache
def _order_url_parts(name: str, script_prefix: str, urlconf) -> tuple[str, str]:
    # Keyed on what reverse() reads besides its arguments, so a changed prefix reverses anew.
    prefix, suffix = reverse(name, urlconf=urlconf, args=[_PLACEHOLDER]).split(_PLACEHOLDER)
    return prefix, suffix


@register.simple_tag
def status_badge(status: str, label: str) -> str:
    """As dispatch/_status.html, without an include's cost per row."""
    return format_html('<span class="badge status-{}">{}</span>', status, label)


@register.simple_tag
def demand_badges(complaint) -> str:
    """As dispatch/_demand_type.html: the demand type as a badge and the channel it came in through."""
    return format_html(
        '<span class="badge demand-type demand-{}">{}</span> <span class="channel muted small">{}</span>',
        complaint.demand_type,
        display(complaint, "demand_type"),
        display(complaint, "channel"),
    )


@register.simple_tag(takes_context=True)
def triage_suggestion_items(context, complaint, suggestion) -> SafeString:
    """The list items of an order's triage suggestions (dispatch/_triage_actions.html):
    the unit the rule that would fire now names, or that none fits, then the units of
    similar orders, each with its one-click dispatch form. Written out here because the
    triage page shows them on every row, where through the template they took longer
    than the rest of the row."""
    dispatch_url = order_url(complaint.tracking_number, "dispatch_to")
    csrf_input = CsrfTokenNode().render(context)
    items = []
    if suggestion.unit:
        # As {% blocktranslate %}: the translation as it is, the values escaped.
        rule = gettext("Rule “%(rule)s”:") % {"rule": conditional_escape(suggestion.rule.name)}
        items.append(
            format_html(
                "<li>{} {}\n      {}</li>",
                mark_safe(rule),  # noqa: S308 - the translation, with the rule's name escaped
                suggestion.unit.name,
                _dispatch_form(dispatch_url, csrf_input, unit=suggestion.unit, complaint=complaint),
            )
        )
    else:
        items.append(format_html('<li class="muted">{}</li>', gettext("No routing rule fits.")))
    for similar in suggestion.similar:
        text = ngettext(
            "%(unit)s: %(counter)s similar order in this street",
            "%(unit)s: %(counter)s similar orders in this street",
            similar.orders,
        ) % {"unit": conditional_escape(similar.name), "counter": similar.orders}
        items.append(
            format_html(
                "<li>{}\n      {}</li>",
                mark_safe(text),  # noqa: S308 - the translation, with the unit's name escaped
                _dispatch_form(dispatch_url, csrf_input, unit=similar, complaint=complaint),
            )
        )
    return mark_safe("\n    ".join(items))  # noqa: S308 - each item built by format_html


def _dispatch_form(dispatch_url: str, csrf_input: str, *, unit, complaint) -> SafeString:
    button = gettext("Dispatch to %(unit)s") % {"unit": conditional_escape(unit.name)}
    return format_html(
        '<form method="post" action="{}" class="inline-action">{}\n'
        '        <input type="hidden" name="unit" value="{}"><input type="hidden" name="version" value="{}">\n'
        '        <button type="submit">{}</button>\n'
        "      </form>",
        dispatch_url,
        csrf_input,
        unit.code,
        complaint.version,
        mark_safe(button),  # noqa: S308 - the translation, with the unit's name escaped
    )

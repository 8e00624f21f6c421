"""The map settings a page's script needs, as data attributes on the map's element,
so the tile server is configured in one place (settings) and never in a script."""

from django import template
from django.conf import settings
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def map_tile_attrs() -> str:
    return format_html(
        'data-tiles="{}" data-attribution="{}"', settings.WHISTLE_MAP_TILES, settings.WHISTLE_MAP_ATTRIBUTION
    )

from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from complaints.models import Region, RegionLevel
from complaints.selectors import regions_under

CHILD_LEVEL = {
    RegionLevel.CITY: RegionLevel.DISTRICT,
    RegionLevel.DISTRICT: RegionLevel.STREET,
    RegionLevel.STREET: RegionLevel.COMMUNITY,
}


@require_GET
def place_children(request, code: str):
    """The places one level below `code`, for the intake form's cascading selects.
    Division codes are public facts, so the answer may be cached anywhere."""
    region = Region.objects.filter(code=code).only("level").first()
    if region is None:
        return JsonResponse({"error": _("Unknown place.")}, status=404)
    level = CHILD_LEVEL.get(region.level)
    children = regions_under(parent_code=code, level=level) if level else Region.objects.none()
    response = JsonResponse({"children": [{"code": r.code, "name": r.name} for r in children]})
    patch_cache_control(response, public=True, max_age=3600)
    return response

from django import forms
from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from complaints.geo import place_for
from complaints.geo.display import outlines_for
from complaints.models import Region, RegionLevel
from complaints.selectors import regions_under
from complaints.selectors.reference import place_name

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
    response = JsonResponse({"children": [{"code": r.code, "name": place_name(region=r)} for r in children]})
    patch_cache_control(response, public=True, max_age=3600)
    return response


class PointForm(forms.Form):
    lat = forms.FloatField(min_value=-90, max_value=90)
    lng = forms.FloatField(min_value=-180, max_value=180)


@require_GET
def place_locate(request):
    """The place codes a WGS-84 point gives, for the intake map to select in the
    cascading lists. Only what the outlines say for sure: a district, and a street
    or community where an outline of one holds the point."""
    form = PointForm(request.GET)
    if not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse({"error": _("Give the point as lat and lng in degrees."), "errors": errors}, status=400)
    match = place_for(latitude=form.cleaned_data["lat"], longitude=form.cleaned_data["lng"])
    if match.district is None:
        message = _("This point is outside Beijing. Move the pin, or choose the place in the lists.")
        if not match.outside:
            message = _("The map cannot place this point. Choose the place in the lists.")
        return JsonResponse({"inside": False, "message": message})
    region = match.region
    street = region.street_code if match.confirmed else None
    community = region.code if match.confirmed and region.level == RegionLevel.COMMUNITY else None
    response = JsonResponse(
        {
            "inside": True,
            "district": match.district.code,
            "district_name": match.district.name,
            "street": street,
            "community": community,
        }
    )
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_GET
def place_outline(request, code: str):
    """The outline of the district `code` lies in (all districts for the city), as
    simplified GeoJSON; public facts, cacheable anywhere."""
    collection = outlines_for(code=code) if code.isdigit() and len(code) <= 12 else None
    if collection is None:
        return JsonResponse({"error": _("No outline for this place.")}, status=404)
    response = JsonResponse(collection)
    patch_cache_control(response, public=True, max_age=3600)
    return response

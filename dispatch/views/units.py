from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse

from dispatch.selectors.desk import unit_search as search_units
from portal.errors import NotFound


@login_required
def unit_search(request):
    """Units for the dispatcher's chooser: `?q=` matches name or code."""
    try:
        units = search_units(user=request.user, q=request.GET.get("q", ""))
    except NotFound as exc:
        raise Http404 from exc
    results = [{"id": unit.pk, "code": unit.code, "name": unit.name, "kind": unit.get_kind_display()} for unit in units]
    return JsonResponse({"results": results})

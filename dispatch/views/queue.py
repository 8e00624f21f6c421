from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from dispatch.filters import QueueFilter
from dispatch.models import Unit
from dispatch.selectors import queue_for
from dispatch.selectors.desk import with_urgency
from dispatch.views.common import paginate
from portal.errors import NotFound


@login_required
def queue(request, unit_id: int):
    """A unit's open orders, earliest due first, filtered and paginated in SQL."""
    unit = Unit.objects.select_related("region").filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    try:
        assignments = queue_for(user=request.user, unit=unit)
    except NotFound as exc:
        raise Http404 from exc
    now = timezone.now()
    # The place column names the street above a community.
    assignments = with_urgency(assignments.select_related("complaint__region__parent"), now=now)
    filterset = QueueFilter(request.GET or None, queryset=assignments, unit=unit)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "dispatch/queue.html",
        {"unit": unit, "filter": filterset, "page": page, "now": now},
    )

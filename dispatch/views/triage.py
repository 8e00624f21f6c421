from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from dispatch.filters import TriageFilter
from dispatch.selectors.triage import triage_page_list, triage_queue_ordered, triage_suggestions
from dispatch.services.returns import FLAG_AFTER_RETURNS
from dispatch.views.common import paginate
from portal.errors import NotFound


@login_required
def triage(request):
    """The 12345 centre's open triage items, oldest first, each with where it
    probably belongs and a one-click dispatch there; the other actions are on its order page."""
    try:
        items = triage_queue_ordered(user=request.user)
    except NotFound as exc:
        raise Http404 from exc
    now = timezone.now()
    # A filter with a bad value shows its error and is left out (as on the unit queue).
    filterset = TriageFilter(request.GET or None, queryset=items)
    filtered = filterset.is_bound and filterset.is_filtered
    page = paginate(request, triage_page_list(ordered=filterset.qs, unfiltered_for=None if filtered else request.user))
    listed = list(page)
    suggestions = triage_suggestions(complaints=[item.complaint for item in listed], now=now)
    rows = [(item, suggestions[item.complaint_id]) for item in listed]
    return render(
        request,
        "dispatch/triage.html",
        {
            "page": page,
            "rows": rows,
            "now": now,
            "flag_after_returns": FLAG_AFTER_RETURNS,
            "filter": filterset,
            "is_filtered": filtered,
        },
    )

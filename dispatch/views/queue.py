from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.core.validators import EMPTY_VALUES
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from dispatch.filters import QueueFilter
from dispatch.models import Unit
from dispatch.selectors import queue_for
from dispatch.selectors.desk import queue_counts, queue_page_list, with_urgency
from portal.errors import NotFound

LIVE_INTERVAL_MS = 20_000  # how often queue-live.js asks for news


@dataclass(frozen=True)
class FilteredQueue:
    unit: Unit
    filterset: QueueFilter
    now: datetime

    @property
    def is_filtered(self) -> bool:
        """Whether the reader asked for any filter, valid or not (a bad one is shown, not applied)."""
        return any(self.filterset.data.get(name) for name in self.filterset.form.fields)

    @property
    def applies_filters(self) -> bool:
        """Whether the rows are filtered: a filter given and valid (a bad one is left out)."""
        if not self.filterset.is_bound:
            return False
        return any(value not in EMPTY_VALUES for value in self.filterset.form.cleaned_data.values())


def filtered_queue(request, *, unit_id: int) -> FilteredQueue:
    """The unit's queue as the request filters it: the one door for the page and its
    live updates, so both show the same rows to the same people. 404 for a unit the
    user does not work in."""
    unit = Unit.objects.select_related("region").filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    try:
        assignments = queue_for(user=request.user, unit=unit)
    except NotFound as exc:
        raise Http404 from exc
    now = timezone.now()
    # The filters and counts read the assignments alone; a page's rows are joined after (queue_page_list).
    assignments = with_urgency(assignments.select_related(None), now=now)
    return FilteredQueue(
        unit=unit, filterset=QueueFilter(request.GET or None, queryset=assignments, unit=unit), now=now
    )


def _asked_past_the_end(request, page) -> int | None:
    """The page number asked for when it lies beyond the last page (the list shows the last one instead)."""
    asked = request.GET.get("page", "")
    if asked.isdigit() and len(asked) < 10 and int(asked) > page.number:
        return int(asked)
    return None


def _page(request, found: FilteredQueue, *, total: int) -> Page:
    """As dispatch.views.common.paginate (a bad or out-of-range number gives the nearest
    page), with the total the counts query already has, so no second COUNT. The page's
    ids are read first (from the queue's index ranges when nothing filters it), then
    only those rows are joined to what the page shows."""
    rows = queue_page_list(
        ids=found.filterset.qs,
        now=found.now,
        total=total,
        unfiltered_of=None if found.applies_filters else found.unit,
    )
    return Paginator(rows, settings.WHISTLE_PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def queue(request, unit_id: int):
    """A unit's open orders, earliest due first, filtered and paginated in SQL: the
    page's ids first, then its rows with their complaints, so the page costs the same
    however many orders the unit holds."""
    found = filtered_queue(request, unit_id=unit_id)
    rows = found.filterset.qs
    counts = queue_counts(assignments=rows, now=found.now)
    page = _page(request, found, total=counts["total"])
    live_query = request.GET.copy()
    live_query.pop("page", None)
    live_url = reverse("dispatch:queue_live", args=[found.unit.pk])
    return render(
        request,
        "dispatch/queue.html",
        {
            "unit": found.unit,
            "filter": found.filterset,
            "page": page,
            "now": found.now,
            "counts": counts,
            "is_filtered": found.is_filtered,
            "asked_page": _asked_past_the_end(request, page),
            "live_url": f"{live_url}?{live_query.urlencode()}" if live_query else live_url,
            "live_interval": LIVE_INTERVAL_MS,
        },
    )

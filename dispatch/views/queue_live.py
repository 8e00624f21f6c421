"""The queue's live updates, read by static/js/queue-live.js: the headline counts and
the rows that arrived after the reader's cursor, for the same filters and the same
people as the page itself (dispatch.views.queue.filtered_queue is the one door)."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dispatch.selectors.desk import queue_counts, queue_rows_after
from dispatch.views.queue import filtered_queue

MAX_NEW_ROWS = 20  # more than this and the reader is offered a reload instead
MAX_CURSOR = 2**63 - 1


def _cursor(value: str | None) -> int | None:
    value = (value or "").strip()
    if not value.isdigit() or int(value) > MAX_CURSOR:
        return None
    return int(value)


@never_cache
@require_GET
@login_required
def queue_live(request, unit_id: int):
    """`?after=<id>` plus the page's own filters: the counts, the new rows' HTML (the
    same row template as the page) and the cursor to send next time."""
    found = filtered_queue(request, unit_id=unit_id)
    after = _cursor(request.GET.get("after"))
    if after is None:
        return JsonResponse(
            {"errors": {"after": [_("“after” must be the id of the newest row shown, a whole number.")]}}, status=400
        )
    if found.filterset.is_bound and not found.filterset.is_valid():
        errors = {name: [str(e) for e in messages] for name, messages in found.filterset.form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)

    rows_qs = found.filterset.qs
    counts = queue_counts(assignments=rows_qs, now=found.now)
    # Nothing can be newer than the cursor when the queue's newest row is the reader's own.
    arrived = (
        queue_rows_after(assignments=rows_qs, after_id=after, limit=MAX_NEW_ROWS + 1, now=found.now)
        if counts["newest"] > after
        else []
    )
    shown = arrived[:MAX_NEW_ROWS]
    html = render_to_string("dispatch/_queue_rows.html", {"rows": shown, "unit": found.unit, "is_new": True})
    return JsonResponse(
        {
            "counts": {key: counts[key] for key in ("total", "new", "due_soon", "overdue")},
            "summary": ngettext("%(counter)s open order", "%(counter)s open orders", counts["total"])
            % {"counter": counts["total"]},
            "cursor": max(after, counts["newest"]),
            "arrived": len(shown),
            "more": len(arrived) > MAX_NEW_ROWS,
            "message": _new_orders_message(len(shown), more=len(arrived) > MAX_NEW_ROWS),
            "rows_html": html.strip(),
        }
    )


def _new_orders_message(count: int, *, more: bool) -> str:
    if not count:
        return ""
    if more:
        return _("More than %(count)s new orders.") % {"count": MAX_NEW_ROWS}
    return ngettext("%(count)s new order.", "%(count)s new orders.", count) % {"count": count}

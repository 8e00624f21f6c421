"""The 12345 centre's queue items, opened and closed by whatever moves an order in
or out of triage (routing, returns, dispatch, reject, merge)."""

from django.utils import timezone

from dispatch.models import TriageItem


def triage_close(*, complaint, user=None) -> int:
    """The order has left the 12345 centre's queue: close its open triage items."""
    return TriageItem.objects.filter(complaint=complaint, closed_at__isnull=True).update(
        closed_at=timezone.now(), closed_by=user
    )

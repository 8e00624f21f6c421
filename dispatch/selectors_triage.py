"""Reads for returned orders: the triage queue with return counts, and an order's returns."""

from django.db.models import Count, Q, QuerySet

from dispatch.models import Assignment, AssignmentStatus, TriageItem
from dispatch.selectors import triage_queue


def triage_queue_with_returns(*, user) -> QuerySet[TriageItem]:
    """The triage queue, each item annotated with `returns`: how often its order
    has been returned. Counted in SQL so the page costs the same for any length."""
    returned = Q(complaint__assignments__status=AssignmentStatus.RETURNED)
    return triage_queue(user=user).annotate(returns=Count("complaint__assignments", filter=returned))


def return_history(*, complaint_id: int) -> QuerySet[Assignment]:
    """Which units returned the order, when and why, oldest first."""
    return (
        Assignment.objects.filter(complaint_id=complaint_id, status=AssignmentStatus.RETURNED)
        .select_related("unit")
        .order_by("returned_at", "pk")
    )

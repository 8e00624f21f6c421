from celery import shared_task
from django.conf import settings
from django.utils import timezone

from complaints.models import Complaint, ComplaintStatus
from dispatch.models import TriageItem
from dispatch.services.alerts import alerts_sweep
from dispatch.services.routing import complaint_route

SWEEP_BATCH = 500


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def route_complaint(complaint_id: int) -> str:
    return complaint_route(complaint_id=complaint_id)


@shared_task(acks_late=True)
def sweep_unrouted() -> int:
    """Re-enqueue complaints still `submitted` and unrouted after a minute: a lost
    message delays a complaint, it never loses it."""
    cutoff = timezone.now() - settings.WHISTLE_REROUTE_AFTER
    ids = list(
        Complaint.objects.filter(status=ComplaintStatus.SUBMITTED, submitted_at__lt=cutoff)
        .exclude(pk__in=TriageItem.objects.filter(closed_at__isnull=True).values("complaint_id"))
        .order_by("submitted_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for pk in ids:
        route_complaint.delay(pk)
    return len(ids)


@shared_task(acks_late=True)
def sweep_deadlines() -> dict[str, int]:
    """Send the deadline warnings, breaches and escalations that have fallen due.
    Beat runs it every minute; two at once, or one retried, send nothing twice."""
    result = alerts_sweep()
    return {"assignments": result.assignments, "alerts": result.alerts, "notifications": result.notifications}

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from complaints.models import Complaint, ComplaintStatus
from dispatch.models import TriageItem, UnsentRouting
from dispatch.services.alerts import alerts_sweep
from dispatch.services.routing import complaint_route
from dispatch.services.routing_backlog import routing_backlog_drain

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
        .exclude(pk__in=UnsentRouting.objects.values("complaint_id"))  # the backlog task sends those
        .order_by("submitted_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for pk in ids:
        route_complaint.delay(pk)
    return len(ids)


@shared_task(acks_late=True)
def drain_routing_backlog() -> int:
    """Send the routings kept while the broker was down. Beat runs it every few
    seconds, so complaints filed in an outage are routed moments after it ends."""
    return routing_backlog_drain()


@shared_task(acks_late=True)
def sweep_deadlines() -> dict[str, int]:
    """Send the deadline warnings, breaches and escalations that have fallen due.
    Beat runs it every minute; two at once, or one retried, send nothing twice."""
    result = alerts_sweep()
    return {"assignments": result.assignments, "alerts": result.alerts, "notifications": result.notifications}

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from dispatch.reports.rollup.tasks import refresh_report_rollup  # noqa: F401 (registers the beat's task)
from dispatch.services.alerts import alerts_sweep
from dispatch.services.alerts_mail import alert_mails_send_for
from dispatch.services.routing_backlog import routing_backlog_drain
from dispatch.services.routing_batch import (
    complaint_route_with_followers,
    complaints_route_unrouted,
    complaints_route_waiting,
)

SWEEP_BATCH = 500


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def route_complaint(complaint_id: int) -> str:
    """Route the complaint and the ones filed after it that still wait, in one
    batch; a message whose complaint a batch has routed already does nothing."""
    return complaint_route_with_followers(complaint_id=complaint_id)


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def route_waiting(since: float | None = None) -> int:
    """Route every complaint waiting for routing (submitted from `since`, a Unix
    time, when given), in batches: the one message that filings share on a Redis
    broker (dispatch.services.routing_backlog)."""
    return complaints_route_waiting(since=since)


@shared_task(acks_late=True)
def sweep_unrouted() -> int:
    """Route complaints still `submitted` and unrouted a minute after filing: a lost
    message delays a complaint, it never loses it. Routed here, in batches, rather
    than sent again: a complaint whose message is merely late in the queue is
    routed once, and its message then finds nothing to do."""
    cutoff = timezone.now() - settings.WHISTLE_REROUTE_AFTER
    return complaints_route_unrouted(submitted_before=cutoff, limit=SWEEP_BATCH)


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


@shared_task
def send_alert_mails(alert_ids: list[int]) -> int:
    """The e-mails of one sweep batch's alerts. Acknowledged on receipt: a worker
    lost mid-way loses some e-mails rather than sending others twice."""
    return alert_mails_send_for(alert_ids=alert_ids)

"""Routing messages that could not be sent, kept in the database until the broker
is back, so the broker is never what makes intake slow or lose a complaint."""

import logging

from django.db import IntegrityError

from dispatch.models import UnsentRouting

log = logging.getLogger(__name__)

DRAIN_BATCH = 500


def _publish(complaint_id: int) -> None:
    from dispatch.tasks import route_complaint

    # One attempt: Celery's default publish retries would hold the resident's
    # request for most of a second while the broker is down.
    route_complaint.apply_async((complaint_id,), retry=False)


def routing_enqueue(*, complaint_id: int) -> bool:
    """Send the routing message, or keep it for the backlog task. True when sent."""
    try:
        _publish(complaint_id)
        return True
    except Exception as exc:  # noqa: BLE001 - any broker failure: the backlog keeps the complaint
        log.warning("broker unavailable, routing of complaint %s kept for later: %s", complaint_id, exc)
    try:
        UnsentRouting.objects.get_or_create(complaint_id=complaint_id)
    except IntegrityError:
        pass  # kept already, or the complaint is gone
    return False


def routing_backlog_drain(*, batch: int = DRAIN_BATCH) -> int:
    """Send what the backlog holds, oldest first; stops at the first failure (the
    broker is still down) and leaves the rest for the next run."""
    sent = 0
    ids = list(UnsentRouting.objects.order_by("failed_at").values_list("complaint_id", flat=True)[:batch])
    for complaint_id in ids:
        try:
            _publish(complaint_id)
        except Exception as exc:  # noqa: BLE001
            log.info("broker still unavailable; %s routings wait: %s", len(ids) - sent, exc)
            break
        UnsentRouting.objects.filter(complaint_id=complaint_id).delete()
        sent += 1
    return sent

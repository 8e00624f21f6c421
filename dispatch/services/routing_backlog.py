"""Routing messages: sent after a filing commits, kept in the database when the
broker cannot take them, so the broker is never what makes intake slow or loses
a complaint.

On a Redis broker filings share one message. A filing sets a short-lived flag in
the broker's Redis and sends a `route_waiting` trigger only when the flag was not
set already; the trigger clears the flag before it reads, then routes every
complaint still waiting. A filing that finds the flag set committed before the
flag was cleared, so the trigger's read sees it: under load most filings cost one
Redis round trip instead of a Celery message, and the worker runs one task per
batch instead of one per complaint. Should the trigger be lost after all (a worker
killed before it cleared the flag, Redis restarted), the flag expires within
TRIGGER_TTL and the next filing sends another; the unrouted sweep catches what no
filing follows. Other brokers (the embedded default) and eager tasks get one
`route_complaint` message per complaint, as before."""

import functools
import logging
import time

from django.db import IntegrityError

from dispatch.models import UnsentRouting

log = logging.getLogger(__name__)

DRAIN_BATCH = 500
TRIGGER_KEY = "whistle:routing:trigger-queued"
# Seconds a set flag holds back further triggers. Long enough to cover the queue's
# usual wait; a lost trigger delays the complaints behind it by at most this long
# (given another filing), and a trigger merely late costs one spare message.
TRIGGER_TTL = 5
# A filing's trigger reads the complaints submitted from this many seconds before it
# was sent: the filings that join it commit after it is sent, so a request could
# only fall outside by taking longer than this (gunicorn stops one at 30 s), or a web
# server's clock by running this far behind. Older complaints still waiting are the
# backlog drain's (it reads all) and the unrouted sweep's.
TRIGGER_LOOKBACK = 300


def routing_enqueue(*, complaint_id: int) -> bool:
    """Have the complaint routed: join the queued trigger, send one, or (other
    brokers) send its own message. On a broker failure the complaint is kept for
    the backlog task. True when nothing needed keeping."""
    try:
        _announce(complaint_id)
        return True
    except Exception as exc:  # noqa: BLE001 - any broker failure: the backlog keeps the complaint
        log.warning("broker unavailable, routing of complaint %s kept for later: %s", complaint_id, exc)
    try:
        UnsentRouting.objects.get_or_create(complaint_id=complaint_id)
    except IntegrityError:
        pass  # kept already, or the complaint is gone
    return False


def routing_trigger_taken() -> None:
    """Called by the trigger task before it reads what waits: filings from now on
    send a new trigger, so none of them is left behind by this one's read."""
    flags = _trigger_flags()
    if flags is not None:
        try:
            flags.delete(TRIGGER_KEY)
        except Exception as exc:  # noqa: BLE001 - the flag then expires on its own
            log.warning("could not clear the routing trigger flag: %s", exc)


def routing_trigger_send(*, since: float | None = None) -> None:
    """Send a trigger whatever the flag says (the backlog drain, for everything
    waiting, or a trigger task that leaves complaints submitted from `since` waiting
    for the next one). Raises on a broker failure."""
    flags = _trigger_flags()
    if flags is not None:
        flags.set(TRIGGER_KEY, 1, ex=TRIGGER_TTL)
    _trigger_publish(since=since)


def routing_backlog_drain(*, batch: int = DRAIN_BATCH) -> int:
    """Send what the backlog holds, oldest first; stops at the first failure (the
    broker is still down) and leaves the rest for the next run. On a Redis broker
    one trigger covers them all."""
    ids = list(UnsentRouting.objects.order_by("failed_at").values_list("complaint_id", flat=True)[:batch])
    if not ids:
        return 0
    if _trigger_flags() is not None:
        try:
            routing_trigger_send()
        except Exception as exc:  # noqa: BLE001
            log.info("broker still unavailable; %s routings wait: %s", len(ids), exc)
            return 0
        UnsentRouting.objects.filter(complaint_id__in=ids).delete()
        return len(ids)
    sent = 0
    for complaint_id in ids:
        try:
            _publish_one(complaint_id)
        except Exception as exc:  # noqa: BLE001
            log.info("broker still unavailable; %s routings wait: %s", len(ids) - sent, exc)
            break
        UnsentRouting.objects.filter(complaint_id=complaint_id).delete()
        sent += 1
    return sent


def _announce(complaint_id: int) -> None:
    flags = _trigger_flags()
    if flags is None:
        _publish_one(complaint_id)
        return
    if not flags.set(TRIGGER_KEY, complaint_id, nx=True, ex=TRIGGER_TTL):
        return  # a trigger is queued and has not read yet: it will see this complaint
    try:
        _trigger_publish(since=time.time() - TRIGGER_LOOKBACK)
    except Exception:
        # Let the next filing try again rather than wait out the flag.
        try:
            flags.delete(TRIGGER_KEY)
        except Exception:  # noqa: BLE001, S110 - Redis is down: the flag is gone with it or expires
            pass
        raise


def _publish_one(complaint_id: int) -> None:
    from dispatch.tasks import route_complaint

    # One attempt: Celery's default publish retries would hold the resident's
    # request for most of a second while the broker is down.
    route_complaint.apply_async((complaint_id,), retry=False)


def _trigger_publish(*, since: float | None) -> None:
    from dispatch.tasks import route_waiting

    route_waiting.apply_async(kwargs={"since": since}, retry=False)


def _trigger_flags():
    """A Redis client on the broker's own database, or None when the broker is not
    Redis or tasks run inline (then every complaint sends its own message)."""
    from portal.celery import app

    if app.conf.task_always_eager:
        return None
    url = app.conf.broker_url or ""
    if not url.startswith(("redis://", "rediss://")) or ";" in url:
        return None
    options = app.conf.broker_transport_options or {}
    return _redis_for(url, options.get("socket_connect_timeout"))


@functools.cache
def _redis_for(url: str, connect_timeout: float | None):
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    # As quick to give up as a publish (settings.CELERY_BROKER_TRANSPORT_OPTIONS):
    # a broker that is down must not hold the resident's request. redis-py retries a
    # refused connection three times with a growing, random pause by default (a
    # filing once took 1.35 s so during an outage): no retry, the backlog keeps it.
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=connect_timeout,
        socket_timeout=connect_timeout or 2,
        retry=Retry(NoBackoff(), 0),
    )

import logging
from datetime import timedelta

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from complaints.models import Complaint, ComplaintStatus, NoticeStatus, ResidentNotice
from complaints.notices import notice_enqueue
from complaints.notices.sending import NoticeNotSent, notice_send, notices_send
from complaints.services import complaint_close_unrated
from complaints.services.photos import photo_thumbnail_make

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def sweep_unrated() -> int:
    """Close resolved complaints that waited out the rating window unrated."""
    cutoff = timezone.now() - settings.WHISTLE_RATING_WINDOW
    ids = Complaint.objects.filter(status=ComplaintStatus.RESOLVED, resolved_at__lt=cutoff).values_list(
        "pk", flat=True
    )[:1000]
    return sum(complaint_close_unrated(complaint_id=pk) for pk in ids)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def make_photo_thumbnails(*, photo_ids: list[int]) -> int:
    """Thumbnails for new photos; a photo that has one already is skipped, so a
    redelivered message does no harm."""
    return sum(photo_thumbnail_make(photo_id=pk) for pk in photo_ids)


# A resident notice is retried this many times after its first try, waiting up to 30 s, 1 min, 2 min, …
# (at most 10 min, with jitter) between tries.
NOTICE_MAX_RETRIES = 5
NOTICE_BACKOFF_SECONDS = 30
NOTICE_BACKOFF_MAX_SECONDS = 600
# A notice still queued this long after its last try lost its message: enqueue it again.
NOTICE_STALE_AFTER = timedelta(minutes=15)


@shared_task(bind=True, acks_late=True, max_retries=NOTICE_MAX_RETRIES)
def send_resident_notice(self, notice_id: int) -> bool:
    """Send one resident notice. The row is claimed before sending, so a
    redelivered or duplicated message sends nothing twice."""
    retries = self.request.retries
    try:
        return notice_send(notice_id=notice_id, last_try=retries >= self.max_retries)
    except NoticeNotSent as exc:
        countdown = get_exponential_backoff_interval(
            factor=NOTICE_BACKOFF_SECONDS, retries=retries, maximum=NOTICE_BACKOFF_MAX_SECONDS, full_jitter=True
        )
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(acks_late=True)
def send_resident_notices(notice_ids: list[int]) -> int:
    """Send a batch of resident notices (a routing batch's), each its first try;
    one whose backend failed goes on as its own `send_resident_notice`, at its
    second try after the usual wait. Returns how many were sent."""
    outcome = notices_send(notice_ids=notice_ids)
    for notice_id in outcome.to_retry:
        countdown = get_exponential_backoff_interval(
            factor=NOTICE_BACKOFF_SECONDS, retries=0, maximum=NOTICE_BACKOFF_MAX_SECONDS, full_jitter=True
        )
        try:
            send_resident_notice.apply_async((notice_id,), countdown=countdown, retries=1)
        except Exception:  # noqa: BLE001 - any broker failure; the sweep sends it later
            log.exception("could not enqueue the retry of resident notice %s; the sweep will", notice_id)
    return len(outcome.sent)


@shared_task(acks_late=True)
def sweep_resident_notices() -> int:
    """Enqueue notices whose message was lost (a broker down at commit, a worker
    gone before retrying). Sending claims the row, so one enqueued twice is harmless."""
    cutoff = timezone.now() - NOTICE_STALE_AFTER
    stale = Q(attempted_at__lt=cutoff) | Q(attempted_at__isnull=True, created_at__lt=cutoff)
    ids = list(
        ResidentNotice.objects.filter(stale, status=NoticeStatus.QUEUED, attempts__lte=NOTICE_MAX_RETRIES)
        .order_by("created_at")
        .values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        notice_enqueue(notice_id=pk)
    return len(ids)

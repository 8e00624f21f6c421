from celery import shared_task
from django.conf import settings
from django.utils import timezone

from complaints.models import Complaint, ComplaintStatus
from complaints.services import complaint_close_unrated
from complaints.services.photos import photo_thumbnail_make


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

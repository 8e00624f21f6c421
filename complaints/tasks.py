from celery import shared_task
from django.conf import settings
from django.utils import timezone

from complaints.models import Complaint, ComplaintStatus
from complaints.services import complaint_close_unrated


@shared_task(acks_late=True)
def sweep_unrated() -> int:
    """Close resolved complaints that waited out the rating window unrated."""
    cutoff = timezone.now() - settings.WHISTLE_RATING_WINDOW
    ids = Complaint.objects.filter(status=ComplaintStatus.RESOLVED, resolved_at__lt=cutoff).values_list(
        "pk", flat=True
    )[:1000]
    return sum(complaint_close_unrated(complaint_id=pk) for pk in ids)

"""The resident stops messages about one complaint (the stop link in every message)."""

from django.db import transaction
from django.utils import timezone

from complaints.models import Complaint, NoticeStatus, ResidentNotice
from complaints.services.lifecycle import complaint_lock


def complaint_notices_stop(*, complaint_id: int) -> Complaint:
    """No more messages about this complaint, over any channel; those still queued
    are not sent. Stopping twice keeps the first time."""
    with transaction.atomic():
        complaint = complaint_lock(complaint_id=complaint_id)
        if complaint.notices_stopped_at is None:
            complaint.notices_stopped_at = timezone.now()
            complaint.save(update_fields=["notices_stopped_at", "updated_at"])
        ResidentNotice.objects.filter(event__complaint=complaint, status=NoticeStatus.QUEUED).update(
            status=NoticeStatus.STOPPED
        )
        return complaint

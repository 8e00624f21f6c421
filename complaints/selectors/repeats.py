"""Repeats (重复件): a demand from the same phone about the same sub-category in the
same street, filed within the category's duplicate window, repeats the first one.
Filing links it (complaint_submit); the hotline desk warns the operator before saving."""

from datetime import timedelta

from django.utils import timezone

from complaints.models import Category, Complaint, ComplaintStatus, Region


def complaint_first_of_matter(*, phone: str, category: Category, region: Region) -> Complaint | None:
    """The first demand of the matter this one repeats: same phone, same
    sub-category, same street, filed within the category's duplicate window. A
    repeat of a repeat links to the first, so a matter's repeats are counted in one place."""
    street = region.street_code
    if street is None:
        return None
    since = timezone.now() - timedelta(hours=category.effective_duplicate_window_hours())
    earlier = (
        Complaint.objects.filter(
            resident_phone=phone, category=category, region__code__startswith=street, submitted_at__gte=since
        )
        .exclude(status=ComplaintStatus.MERGED)
        .select_related("repeat_of")
        .order_by("submitted_at", "pk")
        .first()
    )
    if earlier is None:
        return None
    return earlier.repeat_of or earlier

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
    earlier = _earlier_of_matter(phone=phone, category=category, region=region)
    if earlier is None:
        return None
    earlier = earlier.select_related("repeat_of").first()
    if earlier is None:
        return None
    return earlier.repeat_of or earlier


def first_of_matter_number(*, phone: str, category: Category, region: Region) -> tuple[int, str] | None:
    """`complaint_first_of_matter`'s pk and tracking number, all filing needs to
    link a repeat: every complaint filed asks, and almost always hears "none", so
    it reads four columns rather than two complaints' rows."""
    earlier = _earlier_of_matter(phone=phone, category=category, region=region)
    if earlier is None:
        return None
    row = earlier.values_list("pk", "tracking_number", "repeat_of_id", "repeat_of__tracking_number").first()
    if row is None:
        return None
    pk, number, first_pk, first_number = row
    return (first_pk, first_number) if first_pk is not None else (pk, number)


def _earlier_of_matter(*, phone: str, category: Category, region: Region):
    street = region.street_code
    if street is None:
        return None
    since = timezone.now() - timedelta(hours=category.effective_duplicate_window_hours())
    return (
        Complaint.objects.filter(
            resident_phone=phone, category=category, region__code__startswith=street, submitted_at__gte=since
        )
        .exclude(status=ComplaintStatus.MERGED)
        .order_by("submitted_at", "pk")
    )

"""Repeats (重复件): a demand from the same phone about the same sub-category in the
same street, filed within the category's duplicate window, repeats the first one.
Filing links it (complaint_submit); the hotline desk warns the operator before saving."""

from datetime import timedelta

from django.utils import timezone

from complaints.models import Category, Complaint, ComplaintStatus, Region
from complaints.services.regions import place_tree


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
    link a repeat. Every complaint filed asks, and almost always hears "none", so it
    reads the phone's few recent rows through its index alone (no join to plan) and
    matches the category and the street here, against the place tree."""
    street = region.street_code
    if street is None:
        return None
    rows = (
        Complaint.objects.filter(resident_phone=phone, submitted_at__gte=_window_start(category))
        .order_by("submitted_at", "pk")
        .values_list("pk", "tracking_number", "repeat_of_id", "category_id", "region_id", "status")
    )
    in_street = None
    for pk, number, first_pk, category_id, region_id, status in rows:
        if category_id != category.pk or status == ComplaintStatus.MERGED:
            continue
        if in_street is None:
            in_street = _street_region_ids(street)
        if region_id not in in_street:
            continue
        if first_pk is None:
            return pk, number
        first_number = Complaint.objects.filter(pk=first_pk).values_list("tracking_number", flat=True).first()
        return (first_pk, first_number) if first_number is not None else (pk, number)
    return None


def _street_region_ids(street: str) -> set[int]:
    """The street's own region and every region below it (its communities): the
    places whose codes start with the street's, as a division's codes extend its parent's."""
    tree = place_tree()
    ids, codes = set(), [street]
    while codes:
        code = codes.pop()
        row = tree.by_code.get(code)
        if row is not None:
            ids.add(row.pk)
        codes.extend(child.code for child in tree.children.get(code, ()) if child.code.startswith(street))
    return ids


def _window_start(category: Category):
    return timezone.now() - timedelta(hours=category.effective_duplicate_window_hours())


def _earlier_of_matter(*, phone: str, category: Category, region: Region):
    street = region.street_code
    if street is None:
        return None
    return (
        Complaint.objects.filter(
            resident_phone=phone,
            category=category,
            region__code__startswith=street,
            submitted_at__gte=_window_start(category),
        )
        .exclude(status=ComplaintStatus.MERGED)
        .order_by("submitted_at", "pk")
    )

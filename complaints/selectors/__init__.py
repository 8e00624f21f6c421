"""Reads for residents. Staff reads live in dispatch.selectors, which knows units."""

from django.db.models import QuerySet

from complaints.models import Category, Complaint, ComplaintEvent, Region, RegionLevel


def complaint_track(*, tracking_number: str, phone_last4: str) -> Complaint | None:
    """The complaint if the tracking number and the phone's last four digits match.

    A wrong pair and an unknown number both give None, so the page cannot be used
    to learn which tracking numbers exist.
    """
    tracking_number = (tracking_number or "").strip()
    phone_last4 = (phone_last4 or "").strip()
    if len(phone_last4) != 4 or not phone_last4.isdigit() or not tracking_number:
        return None
    complaint = (
        Complaint.objects.select_related("category__parent", "region__parent__parent")
        .filter(tracking_number=tracking_number)
        .first()
    )
    if complaint is None or not complaint.resident_phone.endswith(phone_last4):
        return None
    return complaint


def public_timeline(*, complaint: Complaint) -> QuerySet[ComplaintEvent]:
    return complaint.events.filter(is_public=True).order_by("created_at", "id")


def categories_for_intake() -> list[Category]:
    """Active top-level categories with their active children prefetched."""
    from django.db.models import Prefetch

    children = Category.objects.filter(is_active=True).order_by("sort_order", "code")
    return list(
        Category.objects.filter(parent__isnull=True, is_active=True)
        .order_by("sort_order", "code")
        .prefetch_related(Prefetch("children", queryset=children))
    )


def regions_under(*, parent_code: str | None, level: str) -> QuerySet[Region]:
    qs = Region.objects.filter(level=level).only("code", "name", "level")
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    return qs.order_by("code")


def districts() -> QuerySet[Region]:
    return regions_under(parent_code=None, level=RegionLevel.DISTRICT)

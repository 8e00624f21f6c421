"""A person's in-app notifications: only their own, newest first."""

from django.db.models import QuerySet
from django.utils import timezone

from dispatch.models import Notification


def notifications_for(*, user) -> QuerySet[Notification]:
    """The user's notifications with what a list row shows, in one query a page."""
    return (
        Notification.objects.filter(user=user)
        .select_related("alert__unit", "alert__assignment__unit", "alert__assignment__complaint")
        .order_by("-created_at", "-pk")
    )


def notification_unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_mark_read(*, user) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())

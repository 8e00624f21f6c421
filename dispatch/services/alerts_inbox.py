"""A person's in-app notifications: only their own, newest first."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.models import Alert, Notification, UnitKind
from portal.errors import NotFound


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


def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of the user's notifications read; one already read keeps its time.
    Someone else's is NotFound, as if it did not exist."""
    Notification.objects.filter(pk=notification_id, user=user, read_at__isnull=True).update(read_at=timezone.now())
    notification = notifications_for(user=user).filter(pk=notification_id).first()
    if notification is None:
        raise NotFound
    return notification


def why_notified(*, alert: Alert) -> str:
    """Why this person hears of the alert, in the reader's language: the words of the
    notifications page. Needs alert__unit loaded."""
    if alert.unit.kind == UnitKind.CENTRE:
        return _("Nobody else could be reached, so the 12345 centre hears of it")
    if alert.level == 0:
        return _("You handle it (%(unit)s)") % {"unit": alert.unit.name}
    if alert.level == 1:
        return _("You supervise %(unit)s") % {"unit": alert.unit.name}
    return _("Escalated to %(unit)s") % {"unit": alert.unit.name}

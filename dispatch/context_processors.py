"""Template context for every page."""

from functools import cache

from dispatch.services.alerts_inbox import notification_unread_count


def unread_notifications(request) -> dict:
    """`unread_notifications`: the signed-in user's unread count. A callable the
    template calls only when it shows the count (one query, then remembered), so
    public pages and anonymous visitors never pay for it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        return notification_unread_count(user=user)

    return {"unread_notifications": count}

"""Which timeline events the resident hears of, and over which channels."""

from complaints.models import ComplaintEvent, EventKind, NoticeChannel, ResidentNotice

K = EventKind

# The moments a resident waits for. "submitted" is not one: the filing page (or the
# operator on the phone) has just given the tracking number. "rated" and "closed"
# follow the resident's own action; "returned" and "triaged" are the centre's
# business until it names a unit, which is an "assigned" message.
NOTIFYING_KINDS = frozenset({K.ASSIGNED, K.ACCEPTED, K.CONTACTED, K.RESOLVED, K.REOPENED, K.REJECTED, K.MERGED})


def notice_channels_for(*, event: ComplaintEvent) -> list[str]:
    """The channels to message over for this event: each the resident gave (an
    e-mail address; a phone, which every complaint has), none for an event the
    resident does not see, and none once the resident has stopped messages."""
    complaint = event.complaint
    if not event.is_public or event.kind not in NOTIFYING_KINDS or complaint.notices_stopped_at is not None:
        return []
    if event.kind == K.ASSIGNED and not assignment_is_news(event=event):
        return []
    channels = []
    if complaint.resident_email:
        channels.append(NoticeChannel.EMAIL)
    if complaint.resident_phone:
        channels.append(NoticeChannel.SMS)
    return channels


def event_unit_id(event: ComplaintEvent) -> int | None:
    """The unit an assignment event names (`unit` in facts, `unit_id` in older rows),
    or the unit that acted in any other event (`by_unit`)."""
    data = event.data or {}
    keys = ("unit", "unit_id") if event.kind == K.ASSIGNED else ("by_unit",)
    for key in keys:
        value = data.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.isdigit():
            return int(value)
    return None


def assignment_is_news(*, event: ComplaintEvent) -> bool:
    """Tell the resident of an assignment only when it names a unit other than the
    last one they were told of.

    The first assignment is news: who will handle it. A re-dispatch after a return
    to another unit is news too: the earlier message named the wrong unit, and the
    new one will call. A hand-back after "not satisfied" goes to the unit that
    resolved it, which the "reopened" message has just said, so it is skipped; so
    is any re-dispatch that lands where it already was. The number of messages is
    bounded by the number of real changes of unit, which a resident wants to know."""
    told = (
        ResidentNotice.objects.filter(event__complaint_id=event.complaint_id, event__kind=K.ASSIGNED)
        .exclude(event_id=event.pk)
        .order_by("-event__created_at", "-event_id")
        .values_list("event__data", flat=True)
        .first()
    )
    if told is None:
        return True
    previous = ComplaintEvent(kind=K.ASSIGNED, data=told or {})
    return event_unit_id(previous) != event_unit_id(event)

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
    if not _may_notify(event):
        return []
    if event.kind == K.ASSIGNED and not assignment_is_news(event=event):
        return []
    return _resident_channels(event.complaint)


def notice_channels_for_many(*, events: list[ComplaintEvent]) -> dict[int, list[str]]:
    """`notice_channels_for` of each event, by the event's pk, with one query for
    all the assignments among them (a routing batch), not one each."""
    candidates = [event for event in events if _may_notify(event)]
    told = _told_before(events=[event for event in candidates if event.kind == K.ASSIGNED])
    channels: dict[int, list[str]] = {event.pk: [] for event in events}
    for event in candidates:
        if event.kind == K.ASSIGNED and not _is_news(event=event, told=told.get(event.complaint_id, _NEVER_TOLD)):
            continue
        channels[event.pk] = _resident_channels(event.complaint)
    return channels


def _may_notify(event: ComplaintEvent) -> bool:
    return event.is_public and event.kind in NOTIFYING_KINDS and event.complaint.notices_stopped_at is None


def _resident_channels(complaint) -> list[str]:
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
    return _is_news(event=event, told=_NEVER_TOLD if told is None else told)


# The resident was never messaged about an assignment of this complaint.
_NEVER_TOLD = object()


def _is_news(*, event: ComplaintEvent, told) -> bool:
    if told is _NEVER_TOLD:
        return True
    previous = ComplaintEvent(kind=K.ASSIGNED, data=told or {})
    return event_unit_id(previous) != event_unit_id(event)


def _told_before(*, events: list[ComplaintEvent]) -> dict[int, dict]:
    """For each complaint of `events`: the data of the latest assignment event other
    than these that the resident was messaged about. Complaints never told are absent.

    Two lookups, each through its own index (the complaints' assignment events, then
    which of them have notices), not one join: with the notices table's statistics
    stale the planner merged the join across the whole events index."""
    if not events:
        return {}
    earlier = list(
        ComplaintEvent.objects.filter(complaint_id__in={event.complaint_id for event in events}, kind=K.ASSIGNED)
        .exclude(pk__in=[event.pk for event in events])
        .values_list("complaint_id", "created_at", "pk", "data")
    )
    if not earlier:
        return {}
    told = set(
        ResidentNotice.objects.filter(event_id__in=[row[2] for row in earlier]).values_list("event_id", flat=True)
    )
    latest: dict[int, tuple] = {}
    for complaint_id, created_at, event_id, data in earlier:
        if event_id in told and (complaint_id not in latest or (created_at, event_id) > latest[complaint_id][0]):
            latest[complaint_id] = ((created_at, event_id), data)
    return {complaint_id: data for complaint_id, (_, data) in latest.items()}

"""Messages to residents about their own complaint (e-mail, SMS).

`complaint_record` calls `event_recorded` for every new timeline event, inside the
writing transaction. The rows it writes (one per event and channel, see
`ResidentNotice`) commit or roll back with the event itself; the task that sends
each one is enqueued only after that commit, by id. A broker that is down loses no
message: the sweep (`complaints.tasks.sweep_resident_notices`) enqueues rows left
queued. The words are made at send time, in the language the resident filed in."""

import logging

from django.db import transaction

from complaints.models import ResidentNotice
from complaints.notices.policy import notice_channels_for, notice_channels_for_many

log = logging.getLogger(__name__)


def event_recorded(*, event) -> None:
    """Queue the messages this event gives the resident, if any."""
    for channel in notice_channels_for(event=event):
        notice = ResidentNotice.objects.create(event=event, channel=channel)
        transaction.on_commit(lambda pk=notice.pk: notice_enqueue(notice_id=pk))


def events_recorded(*, events: list) -> None:
    """`event_recorded` for many events (a routing batch): one INSERT of notices."""
    channels = notice_channels_for_many(events=events)
    notices = ResidentNotice.objects.bulk_create(
        [ResidentNotice(event=event, channel=channel) for event in events for channel in channels[event.pk]]
    )
    if notices:
        transaction.on_commit(lambda ids=[n.pk for n in notices]: _notices_enqueue(notice_ids=ids))


# Notices one batch task sends, at most: a routing batch's notices go out in one task.
SEND_BATCH = 200


def _notices_enqueue(*, notice_ids: list[int]) -> None:
    """One task per SEND_BATCH notices (complaints.tasks.send_resident_notices),
    not one per notice: each message costs the broker, the worker's task overhead
    and, in the task, a claim and a commit that a batch shares. A failure is logged;
    the sweep sends those later."""
    from complaints.tasks import send_resident_notices

    try:
        for start in range(0, len(notice_ids), SEND_BATCH):
            send_resident_notices.delay(notice_ids[start : start + SEND_BATCH])
    except Exception:  # noqa: BLE001 - any broker failure; the sweep is the safety net
        log.exception("could not enqueue %s resident notices; the sweep will retry", len(notice_ids))


def notice_enqueue(*, notice_id: int) -> None:
    # Imported here: the tasks module imports the services, which import this package.
    from complaints.tasks import send_resident_notice

    try:
        send_resident_notice.delay(notice_id)
    except Exception:  # noqa: BLE001 - any broker failure; the sweep is the safety net
        log.exception("could not enqueue resident notice %s; the sweep will retry", notice_id)


__all__ = ["event_recorded", "events_recorded", "notice_enqueue"]

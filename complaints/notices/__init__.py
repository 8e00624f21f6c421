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
from complaints.notices.policy import notice_channels_for

log = logging.getLogger(__name__)


def event_recorded(*, event) -> None:
    """Queue the messages this event gives the resident, if any."""
    for channel in notice_channels_for(event=event):
        notice = ResidentNotice.objects.create(event=event, channel=channel)
        transaction.on_commit(lambda pk=notice.pk: notice_enqueue(notice_id=pk))


def notice_enqueue(*, notice_id: int) -> None:
    # Imported here: the tasks module imports the services, which import this package.
    from complaints.tasks import send_resident_notice

    try:
        send_resident_notice.delay(notice_id)
    except Exception:  # noqa: BLE001 - any broker failure; the sweep is the safety net
        log.exception("could not enqueue resident notice %s; the sweep will retry", notice_id)


__all__ = ["event_recorded", "notice_enqueue"]

"""Sending one notice: claim the row, hand the message to the backend once, record
the outcome. The claim is a conditional update (queued → sending) that only one
worker can win, committed before the backend is called, so a redelivered or
duplicated task finds the row taken and sends nothing. A backend that fails puts
the row back in the queue for the task's retry, or marks it failed at the last try."""

import logging
import smtplib
from dataclasses import dataclass, field

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from complaints.models import ComplaintEvent, NoticeChannel, NoticeStatus, ResidentNotice
from complaints.notices.policy import event_unit_id
from complaints.notices.render import notice_text
from complaints.notices.sms import SmsNotSent, sms_send
from complaints.timeline.names import unit_names_provider

log = logging.getLogger(__name__)

S = NoticeStatus
# Failures worth another try later: the mail server or the SMS gateway.
TRANSIENT = (smtplib.SMTPException, OSError, SmsNotSent)


class NoticeNotSent(Exception):
    """The backend failed this time; the row is queued again for a retry."""


def notice_send(*, notice_id: int, last_try: bool = False) -> bool:
    """Send the notice if it is still queued. True when it went out now; False when
    it was not this call's to send (already claimed, sent, failed or stopped) or the
    resident has stopped messages. Raises NoticeNotSent when worth retrying."""
    now = timezone.now()
    claimed = ResidentNotice.objects.filter(pk=notice_id, status=S.QUEUED).update(
        status=S.SENDING, attempts=F("attempts") + 1, attempted_at=now
    )
    if not claimed:
        return False
    # Two lookups by primary key, not one join: with the notices table's statistics
    # stale (a young table, autovacuum behind) the planner costed the join as a merge
    # over the whole events index, seconds per notice at a million complaints.
    notice = ResidentNotice.objects.get(pk=notice_id)
    notice.event = ComplaintEvent.objects.select_related("complaint__category").get(pk=notice.event_id)
    complaint = notice.event.complaint
    if complaint.notices_stopped_at is not None:
        _finish(notice_id, status=S.STOPPED)
        return False
    try:
        _deliver(notice=notice, complaint=complaint)
    except TRANSIENT as exc:
        error = _error_text(exc, complaint)
        _finish(notice_id, status=S.FAILED if last_try else S.QUEUED, last_error=error)
        log.warning("resident notice %s not sent (%s)", notice_id, type(exc).__name__)
        if last_try:
            return False
        raise NoticeNotSent(error) from exc
    except Exception as exc:
        # Not the backend's fault: a retry would fail the same way.
        _finish(notice_id, status=S.FAILED, last_error=_error_text(exc, complaint))
        raise
    _finish(notice_id, status=S.SENT, sent_at=timezone.now(), last_error="")
    return True


@dataclass
class NoticesSent:
    sent: list[int] = field(default_factory=list)
    # Queued again after the backend failed this time: each is worth its own retry.
    to_retry: list[int] = field(default_factory=list)


def notices_send(*, notice_ids: list[int]) -> NoticesSent:
    """`notice_send` of many notices (a routing batch's), each once, its first try,
    in a fixed number of queries: one transaction claims every notice still queued
    (rows another worker holds are passed over), two reads load them with their
    events and complaints, one names their units; each is then handed to its
    backend, and one UPDATE per outcome records what happened. A notice whose
    backend failed is queued again and returned in `to_retry`; one that cannot be
    sent at all is marked failed without holding back the others."""
    outcome = NoticesSent()
    now = timezone.now()
    with transaction.atomic():
        claimed = list(
            ResidentNotice.objects.filter(pk__in=notice_ids, status=S.QUEUED)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        ResidentNotice.objects.filter(pk__in=claimed, status=S.QUEUED).update(
            status=S.SENDING, attempts=F("attempts") + 1, attempted_at=now
        )
    if not claimed:
        return outcome
    # As in notice_send, two lookups by primary key rather than one join.
    notices = list(ResidentNotice.objects.filter(pk__in=claimed).order_by("pk"))
    events = ComplaintEvent.objects.select_related("complaint__category").in_bulk({n.event_id for n in notices})
    unit_names = unit_names_provider(
        unit_id for unit_id in (event_unit_id(event) for event in events.values()) if unit_id is not None
    )
    stopped = []
    for notice in notices:
        notice.event = events[notice.event_id]
        complaint = notice.event.complaint
        if complaint.notices_stopped_at is not None:
            stopped.append(notice.pk)
            continue
        try:
            _deliver(notice=notice, complaint=complaint, unit_names=unit_names)
        except TRANSIENT as exc:
            _finish(notice.pk, status=S.QUEUED, last_error=_error_text(exc, complaint))
            log.warning("resident notice %s not sent (%s)", notice.pk, type(exc).__name__)
            outcome.to_retry.append(notice.pk)
        except Exception as exc:
            _finish(notice.pk, status=S.FAILED, last_error=_error_text(exc, complaint))
            log.exception("resident notice %s cannot be sent", notice.pk)
        else:
            outcome.sent.append(notice.pk)
    done = timezone.now()
    ResidentNotice.objects.filter(pk__in=outcome.sent, status=S.SENDING).update(
        status=S.SENT, sent_at=done, last_error=""
    )
    if stopped:
        ResidentNotice.objects.filter(pk__in=stopped, status=S.SENDING).update(status=S.STOPPED)
    return outcome


def _deliver(*, notice: ResidentNotice, complaint, unit_names: dict[int, str] | None = None) -> None:
    text = notice_text(event=notice.event, unit_names=unit_names)
    if notice.channel == NoticeChannel.EMAIL:
        if not complaint.resident_email:
            raise ValueError("the complaint has no e-mail address any more")
        message = EmailMessage(
            subject=text.subject,
            body=text.body,
            to=[complaint.resident_email],
            headers={"List-Unsubscribe": f"<{text.stop_url}>"},
        )
        message.send(fail_silently=False)
    else:
        sms_send(phone=complaint.resident_phone, text=text.sms)


def _error_text(exc: Exception, complaint) -> str:
    """The error as stored, retried with and so logged, without the resident's
    address or number: an SMTP refusal names the address, a gateway may echo the number."""
    text = f"{type(exc).__name__}: {exc}"
    for secret, shown in ((complaint.resident_email, "***@***"), (complaint.resident_phone, complaint.masked_phone)):
        if secret:
            text = text.replace(secret, shown)
    return text[:500]


def _finish(notice_id: int, *, status: str, **fields) -> None:
    ResidentNotice.objects.filter(pk=notice_id, status=S.SENDING).update(status=status, **fields)

"""A routing batch's resident notices go out in one task: one claim for all, a fixed
number of queries whatever their number, each notice sent once; a notice whose
backend fails goes on alone with the usual retries, and a resident who stopped
messages gets none."""

import pytest
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints.models import Complaint, NoticeChannel, NoticeStatus, ResidentNotice
from complaints.notices import sms
from complaints.notices.sending import notices_send
from complaints.tasks import send_resident_notice, send_resident_notices
from dispatch.services.routing_batch import complaints_route_waiting
from tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _texts_kept(sms_outbox):
    """Every test here keeps its text messages in memory (tests/conftest.py)."""


@pytest.fixture
def routed(beijing, categories, rules, units, monkeypatch):
    """Route `n` waiting complaints (every other one with an e-mail address) in one
    batch, with the notice task held back; returns the complaints and the ids its
    message carried."""
    held = []
    monkeypatch.setattr(send_resident_notices, "delay", lambda ids: held.append(ids))

    def _route(n):
        complaints = [
            ComplaintFactory(
                category=categories["noise_construction"],
                region=beijing["duofuxiang"],
                resident_phone=f"1391234{k:04d}",
                resident_email=f"r{k}@example.cn" if k % 2 else "",
            )
            for k in range(n)
        ]
        with TestCase.captureOnCommitCallbacks(execute=True):
            complaints_route_waiting(gather=0)
        (ids,) = held
        held.clear()
        return complaints, ids

    return _route


def test_a_batch_of_notices_is_one_message_sent_each_once(routed, sms_outbox):
    complaints, ids = routed(4)
    # The first resident stops messages between the routing and the sending.
    Complaint.objects.filter(pk=complaints[0].pk).update(notices_stopped_at=timezone.now())
    mail.outbox.clear()

    assert send_resident_notices(ids) == 5  # 3 texts and 2 mails; the stopped resident gets none

    assert sorted(text["phone"] for text in sms_outbox) == sorted(c.resident_phone for c in complaints[1:])
    assert sorted(m.to[0] for m in mail.outbox) == ["r1@example.cn", "r3@example.cn"]
    assert all("东华门街道办事处" in text["text"] for text in sms_outbox)
    statuses = dict(ResidentNotice.objects.filter(pk__in=ids).values_list("pk", "status"))
    stopped = ResidentNotice.objects.get(event__complaint=complaints[0]).pk
    assert statuses.pop(stopped) == NoticeStatus.STOPPED
    assert set(statuses.values()) == {NoticeStatus.SENT}
    assert set(ResidentNotice.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == {1}

    # Delivered twice (a redelivered message): nothing goes out again.
    assert send_resident_notices(ids) == 0
    assert len(sms_outbox) == 3 and len(mail.outbox) == 2


def test_a_batch_costs_the_same_queries_whatever_its_size(routed):
    _small, small_ids = routed(2)
    with CaptureQueriesContext(connection) as small:
        notices_send(notice_ids=small_ids)
    _large, large_ids = routed(12)
    with CaptureQueriesContext(connection) as large:
        notices_send(notice_ids=large_ids)
    assert len(large_ids) > len(small_ids)
    assert len(large.captured_queries) == len(small.captured_queries)


class FailsForOne:
    """A gateway that refuses one number and takes the rest."""

    refused = ""

    def send(self, *, phone, text):
        if phone == FailsForOne.refused:
            raise sms.SmsNotSent("gateway busy")
        sms.outbox.append({"phone": phone, "text": text})


def test_a_notice_the_backend_refuses_goes_on_alone_at_its_second_try(routed, settings, monkeypatch, sms_outbox):
    complaints, ids = routed(3)
    settings.WHISTLE_SMS_BACKEND = "tests.complaints.test_notices_batch.FailsForOne"
    FailsForOne.refused = complaints[2].resident_phone
    retried = []
    monkeypatch.setattr(send_resident_notice, "apply_async", lambda args, **options: retried.append((args, options)))

    send_resident_notices(ids)

    refused = ResidentNotice.objects.get(event__complaint=complaints[2], channel=NoticeChannel.SMS)
    assert (refused.status, refused.attempts, refused.last_error) == (
        NoticeStatus.QUEUED,
        1,
        "SmsNotSent: gateway busy",
    )
    ((args, options),) = retried
    assert args == (refused.pk,)
    assert options["retries"] == 1 and options["countdown"] >= 0
    assert len(sms_outbox) == 2

    # The retry is the notice's second try of its usual six.
    FailsForOne.refused = ""
    assert send_resident_notice.apply(args=[refused.pk], retries=1).get() is True
    refused.refresh_from_db()
    assert (refused.status, refused.attempts) == (NoticeStatus.SENT, 2)


def test_a_notice_another_worker_claimed_is_not_sent_by_the_batch(routed, sms_outbox):
    complaints, ids = routed(2)
    taken = ResidentNotice.objects.get(event__complaint=complaints[0], channel=NoticeChannel.SMS)
    ResidentNotice.objects.filter(pk=taken.pk).update(status=NoticeStatus.SENDING)

    outcome = notices_send(notice_ids=ids)

    assert taken.pk not in outcome.sent
    assert [text["phone"] for text in sms_outbox] == [Complaint.objects.get(pk=complaints[1].pk).resident_phone]

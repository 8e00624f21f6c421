"""Messages to residents: one per event and channel, sent after commit by a task,
in the language the resident filed in, retried when the backend fails, never twice."""

import smtplib

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from complaints.models import ComplaintEvent, EventKind, NoticeChannel, NoticeStatus, ResidentNotice, Satisfaction
from complaints.notices import sms
from complaints.services.rating import complaint_rate
from complaints.tasks import send_resident_notice, sweep_resident_notices
from dispatch.services.assignments import (
    assignment_accept,
    assignment_add_note,
    assignment_record_contact,
    assignment_resolve,
)
from dispatch.services.merge import order_merge
from dispatch.services.returns import assignment_return
from dispatch.services.triage import triage_dispatch, triage_reject

K = EventKind
REPLY = "已责令施工方夜间22点后停工"


@pytest.fixture(autouse=True)
def _texts_kept(sms_outbox):
    """Every test here keeps its text messages in memory (tests/conftest.py)."""


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """Run a service the way a request does: its transaction commits, then the
    on-commit callbacks (the notice tasks, eager in tests) run."""

    def _act(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return _act


@pytest.fixture
def complaint(submit):
    return submit(resident_email="zhang.san@example.com")


def _work(act, complaint, people, *, until):
    handler = people["donghuamen_handler"]
    assignment = complaint.assignments.get()
    act(assignment_accept, user=handler, assignment_id=assignment.pk)
    if until == K.ACCEPTED:
        return
    act(assignment_record_contact, user=handler, assignment_id=assignment.pk, note="电话联系了张先生")
    if until == K.CONTACTED:
        return
    act(assignment_resolve, user=handler, assignment_id=assignment.pk, reply=REPLY)


def _mails_about(complaint):
    return [m for m in mail.outbox if complaint.tracking_number in m.subject]


def test_assignment_is_mailed_and_texted_once_after_the_filing_commits(complaint, sms_outbox):
    (message,) = _mails_about(complaint)
    assert message.to == ["zhang.san@example.com"]
    assert message.subject == f"Your complaint {complaint.tracking_number} has been assigned to 东华门街道办事处"
    assert "Your complaint has been assigned to 东华门街道办事处." in message.body
    assert "/notices/stop/" in message.body and message.extra_headers["List-Unsubscribe"].startswith("<http")
    (text,) = sms_outbox
    assert text["phone"] == "13800138000"
    assert complaint.tracking_number in text["text"] and "东华门街道办事处" in text["text"]
    notices = ResidentNotice.objects.filter(event__complaint=complaint)
    assert sorted(notices.values_list("channel", "status", "attempts")) == [
        (NoticeChannel.EMAIL, NoticeStatus.SENT, 1),
        (NoticeChannel.SMS, NoticeStatus.SENT, 1),
    ]
    assert all(notice.sent_at for notice in notices)


def test_nothing_is_sent_before_the_transaction_commits(complaint, people, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    assignment = complaint.assignments.get()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            assignment_accept(user=people["donghuamen_handler"], assignment_id=assignment.pk)
            assert ResidentNotice.objects.filter(event__kind=K.ACCEPTED, status=NoticeStatus.QUEUED).count() == 2
        assert mail.outbox == []
    assert len(callbacks) >= 2
    for callback in callbacks:
        callback()
    assert len(_mails_about(complaint)) == 1


def test_a_rolled_back_action_leaves_no_notice(complaint, people):
    assignment = complaint.assignments.get()
    with pytest.raises(RuntimeError), transaction.atomic():
        assignment_accept(user=people["donghuamen_handler"], assignment_id=assignment.pk)
        raise RuntimeError("the request failed after the service")
    assert not ResidentNotice.objects.filter(event__kind=K.ACCEPTED).exists()


@pytest.mark.parametrize(
    ("until", "subject"),
    [
        (K.ACCEPTED, "Your complaint {n} has been signed for"),
        (K.CONTACTED, "Your complaint {n} is being handled"),
        (K.RESOLVED, "Your complaint {n} has been resolved: please rate the result"),
    ],
)
def test_each_step_of_the_unit_is_sent_once(complaint, people, act, until, subject):
    _work(act, complaint, people, until=until)
    subjects = [m.subject for m in _mails_about(complaint)]
    assert subjects.count(subject.format(n=complaint.tracking_number)) == 1
    assert ResidentNotice.objects.filter(event__kind=until, channel=NoticeChannel.EMAIL).count() == 1


def test_resolved_mail_carries_the_reply_and_a_rating_link(complaint, people, act, sms_outbox):
    _work(act, complaint, people, until=K.RESOLVED)
    message = _mails_about(complaint)[-1]
    assert "东华门街道办事处 has resolved your complaint. Its reply:" in message.body
    assert REPLY in message.body
    assert "/notices/rate/" in message.body and "within 7 days" in message.body
    assert "/notices/rate/" in sms_outbox[-1]["text"]


def test_reopened_is_sent_and_the_hand_back_to_the_same_unit_is_not(complaint, people, act):
    _work(act, complaint, people, until=K.RESOLVED)
    act(complaint_rate, complaint_id=complaint.pk, solved=False, satisfaction=Satisfaction.UNSATISFIED)
    subjects = [m.subject for m in _mails_about(complaint)]
    assert f"Your complaint {complaint.tracking_number} has been reopened" in subjects
    # The order went back to 东华门街道, which the resident was already told of.
    assert complaint.events.filter(kind=K.ASSIGNED).count() == 2
    assert sum("has been assigned" in s for s in subjects) == 1


def test_redispatch_to_another_unit_after_a_return_is_news(submit, people, units, act):
    complaint = submit(category="other_misc", resident_email="li@example.com")
    dispatcher = people["dispatcher"]
    act(triage_dispatch, user=dispatcher, complaint_id=complaint.pk, unit_id=units["jingshan"].pk)
    assignment = complaint.assignments.get()
    act(
        assignment_return,
        user=people["jingshan_handler"],
        assignment_id=assignment.pk,
        reason="wrong_place",
        note="",
    )
    act(triage_dispatch, user=dispatcher, complaint_id=complaint.pk, unit_id=units["donghuamen"].pk)
    subjects = [m.subject for m in _mails_about(complaint)]
    assert subjects == [
        f"Your complaint {complaint.tracking_number} has been assigned to 景山街道办事处",
        f"Your complaint {complaint.tracking_number} has been assigned to 东华门街道办事处",
    ]


def test_rejected_mail_gives_the_reason(submit, people, act):
    complaint = submit(category="other_misc", resident_email="li@example.com")
    act(triage_reject, user=people["dispatcher"], complaint_id=complaint.pk, reason="属于法院受理范围", version=None)
    (message,) = _mails_about(complaint)
    assert message.subject == f"Your complaint {complaint.tracking_number} cannot be accepted for handling"
    assert "属于法院受理范围" in message.body


def test_merged_mail_names_the_lead_order(submit, people, act):
    lead = submit()
    follower = submit(resident_name="李四", resident_phone="13900139000", resident_email="li@example.com")
    mail.outbox.clear()
    act(order_merge, user=people["dispatcher"], follower_id=follower.pk, lead_number=lead.tracking_number)
    (message,) = mail.outbox
    assert message.to == ["li@example.com"]
    assert f"same problem as order {lead.tracking_number}" in message.body


def test_internal_events_never_notify(complaint, people, act, sms_outbox):
    mail.outbox.clear()
    sms_outbox.clear()
    assignment = complaint.assignments.get()
    act(assignment_add_note, user=people["donghuamen_handler"], assignment_id=assignment.pk, note="需要城管配合")
    assert complaint.events.filter(kind=K.NOTE, is_public=False).exists()
    assert mail.outbox == [] and sms_outbox == []
    assert not ResidentNotice.objects.filter(event__is_public=False).exists()


def test_without_an_email_only_the_phone_is_told(submit, sms_outbox):
    complaint = submit()
    assert _mails_about(complaint) == []
    assert [text["phone"] for text in sms_outbox] == ["13800138000"]
    assert list(ResidentNotice.objects.values_list("channel", flat=True)) == [NoticeChannel.SMS]


def test_english_and_chinese_residents_get_their_own_language_from_the_same_kinds(submit, people, act):
    english = submit(resident_email="en@example.com")
    with translation.override("zh-hans"):
        chinese = submit(resident_email="zh@example.com")
    assert (english.language, chinese.language) == ("en", "zh-hans")
    # A handler whose page is in English writes to the Chinese resident in Chinese.
    for complaint in (english, chinese):
        _work(act, complaint, people, until=K.ACCEPTED)
    english_mail = [m for m in mail.outbox if m.to == ["en@example.com"]][-1]
    chinese_mail = [m for m in mail.outbox if m.to == ["zh@example.com"]][-1]
    assert "Status: Signed for" in english_mail.body and "Tracking number" in english_mail.body
    assert "已签收" in chinese_mail.body and "工单编号" in chinese_mail.body
    assert "Signed for" not in chinese_mail.body and "Tracking number" not in chinese_mail.body
    # The subject is the catalogue's Chinese for the same message.
    with translation.override("zh-hans"):
        expected = translation.gettext("Your complaint %(number)s has been signed for")
    assert chinese_mail.subject == expected % {"number": chinese.tracking_number}
    assert english_mail.subject == f"Your complaint {english.tracking_number} has been signed for"


def test_a_failing_mail_server_is_retried_and_the_message_goes_once(complaint, people, act, monkeypatch):
    calls = []
    real_send = mail.EmailMessage.send

    def flaky_send(message, fail_silently=False):
        calls.append(message.subject)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return real_send(message, fail_silently=fail_silently)

    monkeypatch.setattr(mail.EmailMessage, "send", flaky_send)
    mail.outbox.clear()
    _work(act, complaint, people, until=K.ACCEPTED)
    notice = ResidentNotice.objects.get(event__kind=K.ACCEPTED, channel=NoticeChannel.EMAIL)
    assert (notice.status, notice.attempts) == (NoticeStatus.SENT, 2)
    assert len(calls) == 2 and len(mail.outbox) == 1


def test_a_backend_that_keeps_failing_marks_the_notice_failed_after_bounded_tries(complaint, people, act, settings):
    settings.WHISTLE_SMS_BACKEND = "tests.complaints.test_notices.BrokenGateway"
    BrokenGateway.calls = 0
    _work(act, complaint, people, until=K.ACCEPTED)
    notice = ResidentNotice.objects.get(event__kind=K.ACCEPTED, channel=NoticeChannel.SMS)
    assert notice.status == NoticeStatus.FAILED
    assert notice.attempts == BrokenGateway.calls == send_resident_notice.max_retries + 1
    assert "SmsNotSent: gateway says no" == notice.last_error


class BrokenGateway:
    calls = 0

    def send(self, *, phone, text):
        BrokenGateway.calls += 1
        raise sms.SmsNotSent("gateway says no")


def test_a_task_run_twice_sends_once(complaint, sms_outbox):
    notice = ResidentNotice.objects.get(event__complaint=complaint, channel=NoticeChannel.EMAIL)
    mail.outbox.clear()
    assert send_resident_notice.apply(args=[notice.pk]).get() is False
    assert mail.outbox == []
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.SENT, 1)


def test_one_notice_per_event_and_channel_even_when_recorded_twice(complaint):
    from django.db import IntegrityError

    event = ComplaintEvent.objects.get(complaint=complaint, kind=K.ASSIGNED)
    with pytest.raises(IntegrityError), transaction.atomic():
        ResidentNotice.objects.create(event=event, channel=NoticeChannel.EMAIL)
    assert ResidentNotice.objects.filter(event=event).count() == 2


def test_the_sweep_enqueues_a_notice_whose_message_was_lost(complaint, people, django_capture_on_commit_callbacks):
    import time_machine
    from django.utils import timezone

    mail.outbox.clear()
    assignment = complaint.assignments.get()
    # The broker was down: the on-commit enqueue never ran.
    with django_capture_on_commit_callbacks(execute=False):
        assignment_accept(user=people["donghuamen_handler"], assignment_id=assignment.pk)
    assert ResidentNotice.objects.filter(status=NoticeStatus.QUEUED).count() == 2
    assert sweep_resident_notices() == 0  # not stale yet
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=20)):
        assert sweep_resident_notices() == 2
    assert not ResidentNotice.objects.filter(status=NoticeStatus.QUEUED).exists()
    assert len(_mails_about(complaint)) == 1


@pytest.mark.parametrize(("accept", "language"), [("en", "en"), ("zh-CN,zh;q=0.9", "zh-hans"), ("fr", "zh-hans")])
def test_a_complaint_filed_through_the_api_keeps_the_requests_language(
    beijing, categories, rules, accept, language, django_capture_on_commit_callbacks
):
    from django.core.cache import cache
    from django.urls import reverse
    from rest_framework.test import APIClient

    from complaints.models import Complaint

    cache.clear()
    body = {
        "category": categories["noise_construction"].pk,
        "region": beijing["duofuxiang"].code,
        "address": "东华门大街 1 号",
        "description": "凌晨两点还在施工",
        "resident_name": "张三",
        "resident_phone": "13800138000",
        "resident_email": "zhang.san@example.com",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = APIClient(HTTP_ACCEPT_LANGUAGE=accept).post(reverse("complaints_api:file"), body, format="json")
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get(tracking_number=response.json()["tracking_number"])
    assert complaint.language == language
    (message,) = _mails_about(complaint)
    assert ("Tracking number" in message.body) == (language == "en")


def test_the_default_sms_backend_logs_a_masked_number_only(submit, settings, caplog):
    settings.WHISTLE_SMS_BACKEND = "complaints.notices.sms.LoggingBackend"
    with caplog.at_level("INFO", logger="complaints.notices.sms"):
        submit()
    logged = " ".join(record.getMessage() for record in caplog.records if record.name == "complaints.notices.sms")
    assert "138****8000" in logged
    assert "13800138000" not in logged
    assert ResidentNotice.objects.get(channel=NoticeChannel.SMS).status == NoticeStatus.SENT


def test_the_admin_lists_notices_and_changes_none(complaint, admin_client):
    from django.urls import reverse

    page = admin_client.get(reverse("admin:complaints_residentnotice_changelist"))
    assert page.status_code == 200
    assert page.content.count(b'class="field-channel"') == 2
    notice = ResidentNotice.objects.first()
    assert admin_client.get(reverse("admin:complaints_residentnotice_add")).status_code == 403
    change = admin_client.post(
        reverse("admin:complaints_residentnotice_change", args=[notice.pk]), {"status": "queued"}
    )
    assert change.status_code == 403
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT

"""Residents' names, phones and e-mails reach only the units handling the order
and the 12345 centre. Each door a role without that right can reach is checked
here: the order page and API for supervisors, lists and queues, Open311, the
overdue exports, staff alerts and notifications, and the logs of messages sent to
residents. Timeline events cannot be edited or deleted through the admin."""

import csv
import io
import logging
import smtplib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from complaints.models import ComplaintEvent, NoticeChannel, ResidentNotice
from complaints.notices import sms
from complaints.open311.keys import open311_client_create
from dispatch.models import AssignmentStatus, Notification, PersonalDataView, Role
from dispatch.services.assignments import assignment_accept, assignment_add_note
from dispatch.services.whistle import whistle_blow
from dispatch.tasks import sweep_deadlines
from portal.api.tokens import token_issue
from tests.factories import MembershipFactory, UserFactory

NAME, PHONE, EMAIL = "李雪梅", "13912345678", "li.xuemei@example.com"
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture(autouse=True)
def _texts_kept(sms_outbox):
    """Every test here keeps its text messages in memory (tests/conftest.py)."""


@pytest.fixture
def complaint(submit):
    with time_machine.travel(T0, tick=False):
        return submit(resident_name=NAME, resident_phone=PHONE, resident_email=EMAIL)


def assert_no_personal_data(text: str) -> None:
    for value in (NAME, PHONE, EMAIL):
        assert value not in text, value


def api(people, username: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(username=people[username].username)}")
    return client


@pytest.mark.parametrize("username", ["dongcheng_supervisor", "city_supervisor"])
def test_a_supervisors_order_page_is_masked(client, people, complaint, username):
    client.force_login(people[username])
    response = client.get(reverse("dispatch:order", args=[complaint.tracking_number]))

    html = response.content.decode()
    assert response.status_code == 200
    assert_no_personal_data(html)
    assert "李**" in html and "139****5678" in html


@pytest.mark.parametrize("username", ["dongcheng_supervisor", "city_supervisor"])
def test_a_supervisors_api_order_is_masked(people, complaint, username):
    response = api(people, username).get(f"/api/v1/orders/{complaint.tracking_number}/")

    assert response.status_code == 200
    assert response.json()["resident"] == {"name": "李**", "phone": "139****5678", "email": None, "masked": True}
    assert_no_personal_data(response.content.decode())


def test_a_summoned_unit_sees_the_details_only_while_its_summons_is_live(people, units, complaint):
    handler = people["donghuamen_handler"]
    lead = complaint.assignments.get()
    assignment_accept(user=handler, assignment_id=lead.pk)
    whistle_blow(user=handler, assignment_id=lead.pk, unit_ids=[units["dc_market"].pk], message="请到场", version=None)
    assert (
        api(people, "market_handler").get(f"/api/v1/orders/{complaint.tracking_number}/").json()["resident"]["phone"]
        == PHONE
    )

    co = complaint.assignments.get(unit=units["dc_market"])
    co.status = AssignmentStatus.SUPERSEDED  # the summons is over: the unit still reads the order, masked
    co.save(update_fields=["status"])
    answer = api(people, "market_handler").get(f"/api/v1/orders/{complaint.tracking_number}/")
    assert answer.status_code == 200 and answer.json()["resident"]["masked"] is True
    assert_no_personal_data(answer.content.decode())


def test_queues_and_lists_show_no_contact_details(client, people, complaint, submit):
    unrouted = submit(category="other_misc", resident_name=NAME, resident_phone=PHONE)
    client.force_login(people["donghuamen_handler"])
    queue = client.get(reverse("dispatch:queue", args=[complaint.assignments.get().unit_id]))
    assert complaint.tracking_number in queue.content.decode()
    assert_no_personal_data(queue.content.decode())

    client.force_login(people["dispatcher"])
    triage = client.get(reverse("dispatch:triage"))
    assert unrouted.tracking_number in triage.content.decode()
    assert_no_personal_data(triage.content.decode())
    assert not PersonalDataView.objects.exists()  # lists without contact details log nothing


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_answers_never_carry_a_name_phone_or_email(client, complaint, fmt):
    cache.clear()
    _, key = open311_client_create(name="城市随手拍")
    for params in ({}, {"api_key": key}):
        listing = client.get(f"/open311/v2/requests.{fmt}", params)
        one = client.get(f"/open311/v2/requests/{complaint.tracking_number}.{fmt}", params)
        assert listing.status_code == one.status_code == 200
        assert complaint.tracking_number in one.content.decode()
        for answer in (listing, one):
            assert_no_personal_data(answer.content.decode())
            assert "139****" not in answer.content.decode()  # not even masked
    cache.clear()


def test_the_overdue_exports_carry_no_personal_data(client, people, complaint):
    client.force_login(people["city_supervisor"])
    with time_machine.travel(T0 + timedelta(hours=30), tick=False):
        as_csv = client.get(reverse("dispatch:overdue"), {"format": "csv"})
        as_xlsx = client.get(reverse("dispatch:overdue"), {"format": "xlsx"})

    text = as_csv.getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [row[0] for row in rows[1:]] == [complaint.tracking_number]
    assert_no_personal_data(text)
    cells = str([list(r) for r in load_workbook(io.BytesIO(as_xlsx.content)).active.iter_rows(values_only=True)])
    assert complaint.tracking_number in cells
    assert_no_personal_data(cells)
    assert "139****5678" not in cells and "李**" not in cells


def test_staff_alerts_and_notifications_carry_no_personal_data(
    client, people, units, complaint, django_capture_on_commit_callbacks
):
    supervisor = UserFactory(username="dhm_supervisor", email="dhm-sup@example.org")
    MembershipFactory(user=supervisor, unit=units["donghuamen"], role=Role.SUPERVISOR)
    people["donghuamen_handler"].email = "handler@example.org"
    people["donghuamen_handler"].save(update_fields=["email"])
    mail.outbox.clear()
    with time_machine.travel(T0 + timedelta(hours=49), tick=False), django_capture_on_commit_callbacks(execute=True):
        sweep_deadlines()

    staff_mail = [m for m in mail.outbox if EMAIL not in m.to]
    assert staff_mail, "the sweep should have told the unit"
    for message in staff_mail:
        assert_no_personal_data(message.subject + message.body + str(getattr(message, "alternatives", "")))
    assert Notification.objects.filter(user=people["donghuamen_handler"]).exists()
    client.force_login(people["donghuamen_handler"])
    assert_no_personal_data(client.get(reverse("dispatch:notifications")).content.decode())


def test_the_default_sms_backend_logs_the_number_masked(submit, settings, caplog):
    settings.WHISTLE_SMS_BACKEND = "complaints.notices.sms.LoggingBackend"
    with caplog.at_level(logging.DEBUG):
        submit(resident_name=NAME, resident_phone=PHONE)
    assert "139****5678" in caplog.text
    assert_no_personal_data(caplog.text)


class EchoingGateway:
    """A gateway that names the number it refuses, as real ones do."""

    def send(self, *, phone, text):
        raise sms.SmsNotSent(f"number {phone} is not reachable")


def test_a_gateway_error_naming_the_number_is_stored_and_logged_masked(submit, settings, caplog):
    settings.WHISTLE_SMS_BACKEND = "tests.dispatch.test_personal_data_masking.EchoingGateway"
    with caplog.at_level(logging.DEBUG):
        complaint = submit(resident_name=NAME, resident_phone=PHONE)
    notice = ResidentNotice.objects.filter(event__complaint=complaint, channel=NoticeChannel.SMS).first()
    assert notice is not None and notice.last_error == "SmsNotSent: number 139****5678 is not reachable"
    assert_no_personal_data(caplog.text)


def test_a_mail_server_refusing_the_address_is_stored_without_it(submit, monkeypatch, caplog):
    def refuse(message, fail_silently=False):
        raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})

    monkeypatch.setattr(mail.EmailMessage, "send", refuse)
    with caplog.at_level(logging.DEBUG):
        complaint = submit(resident_name=NAME, resident_phone=PHONE, resident_email=EMAIL)
    notice = ResidentNotice.objects.get(event__complaint=complaint, channel=NoticeChannel.EMAIL)
    assert notice.last_error.startswith("SMTPRecipientsRefused")
    assert "***@***" in notice.last_error
    assert_no_personal_data(notice.last_error + caplog.text)


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_a_timeline_event_cannot_be_edited_or_deleted_through_the_admin(superuser_client, complaint):
    event = complaint.events.order_by("pk").first()
    before = ComplaintEvent.objects.filter(pk=event.pk).values().get()

    change = reverse("admin:complaints_complaintevent_change", args=[event.pk])
    assert superuser_client.post(change, {"kind": "note", "message": "改过了", "is_public": "on"}).status_code == 403
    delete = reverse("admin:complaints_complaintevent_delete", args=[event.pk])
    assert superuser_client.get(delete).status_code == 403
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    assert superuser_client.get(reverse("admin:complaints_complaintevent_add")).status_code == 403
    superuser_client.post(
        reverse("admin:complaints_complaintevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert ComplaintEvent.objects.filter(pk=event.pk).values().get() == before


def test_the_complaint_admin_cannot_edit_or_remove_its_events_inline(superuser_client, complaint):
    page = superuser_client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="events-0-message"' not in html and "events-0-DELETE" not in html


def test_notes_typed_with_the_residents_details_are_masked_for_a_supervisor(client, people, complaint):
    handler = people["donghuamen_handler"]
    assignment = complaint.assignments.get()
    assignment_accept(user=handler, assignment_id=assignment.pk)
    typed = f"已致电{NAME}（139 1234-5678），邮件 LI.XUEMEI@example.com"
    assignment_add_note(user=handler, assignment_id=assignment.pk, note=typed)
    masked = "已致电李**（139****5678），邮件 ***@***"

    client.force_login(people["dongcheng_supervisor"])
    page = client.get(reverse("dispatch:order", args=[complaint.tracking_number])).content.decode()
    assert masked in page
    assert_no_personal_data(page)
    answer = api(people, "dongcheng_supervisor").get(f"/api/v1/orders/{complaint.tracking_number}/")
    assert masked in [line["text"] for line in answer.json()["timeline"]]
    assert_no_personal_data(answer.content.decode())

    handling = api(people, "donghuamen_handler").get(f"/api/v1/orders/{complaint.tracking_number}/").json()
    assert f"已致电{NAME}（139 1234-5678），邮件 LI.XUEMEI@example.com" in [
        line["text"] for line in handling["timeline"]
    ]


def test_masking_in_text_touches_only_the_residents_own_values(submit):
    from complaints.personal import personal_data_masked_in

    complaint = submit(resident_name="王", resident_phone=PHONE)
    text = "王府井 13912345678 与 139123456789 及 013912345678"
    assert personal_data_masked_in(text, complaint=complaint) == "王府井 139****5678 与 139123456789 及 013912345678"

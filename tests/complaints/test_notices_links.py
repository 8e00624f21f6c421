"""The links in residents' messages: the rating link opens the rating form without
the tracking number; the stop link stops messages; forged or expired links are
refused with a clear message and change nothing."""

import re

import pytest
import time_machine
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints.models import ComplaintStatus, NoticeStatus, Rating, ResidentNotice
from complaints.notices.links import STOP_SALT, rate_token, stop_token
from dispatch.services.assignments import assignment_accept, assignment_record_contact, assignment_resolve

LINK = re.compile(r"http://127\.0\.0\.1:8000(/notices/(?:rate|stop)/[^/\s]+/)")


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def complaint(submit):
    return submit(resident_email="zhang.san@example.com")


@pytest.fixture
def resolved(complaint, people, django_capture_on_commit_callbacks):
    handler = people["donghuamen_handler"]
    assignment = complaint.assignments.get()
    with django_capture_on_commit_callbacks(execute=True):
        assignment_accept(user=handler, assignment_id=assignment.pk)
        assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系了张先生")
        assignment_resolve(user=handler, assignment_id=assignment.pk, reply="已责令施工方夜间停工")
    complaint.refresh_from_db()
    return complaint


def _link(kind: str) -> str:
    paths = [path for path in LINK.findall(mail.outbox[-1].body) if f"/{kind}/" in path]
    assert paths, mail.outbox[-1].body
    return paths[0]


def test_rating_link_opens_the_rate_form_without_the_tracking_number(client, resolved):
    response = client.get(_link("rate"))
    assert response.status_code == 303
    assert response["Location"] == f"/track/{resolved.tracking_number}/#rate-title"
    page = client.get(response["Location"]).content.decode()
    assert 'name="satisfaction" value="satisfied"' in page
    assert "已责令施工方夜间停工" in page


def test_rating_through_the_emailed_link_closes_the_complaint(client, resolved):
    client.get(_link("rate"))
    response = client.post(
        reverse("complaints:rate", args=[resolved.tracking_number]), {"solved": "yes", "satisfaction": "satisfied"}
    )
    assert response.status_code == 303
    resolved.refresh_from_db()
    assert resolved.status == ComplaintStatus.CLOSED
    assert Rating.objects.get(complaint=resolved).satisfaction == "satisfied"


def test_a_forged_rating_link_is_refused_and_grants_nothing(client, resolved):
    forged = _link("rate")[:-6] + "AAAAA/"
    response = client.get(forged)
    assert response.status_code == 400
    assert "This link is not valid." in response.content.decode()
    detail = client.get(reverse("complaints:track_detail", args=[resolved.tracking_number]))
    assert detail.status_code == 302 and detail["Location"].startswith(reverse("complaints:track"))


def test_a_stop_link_cannot_be_replayed_as_a_rating_link(client, resolved):
    token = stop_token(complaint=resolved)
    response = client.get(reverse("complaints:notice_rate", args=[token]))
    assert response.status_code == 400
    assert client.get(reverse("complaints:track_detail", args=[resolved.tracking_number])).status_code == 302


def test_a_rating_link_expires_with_the_rating_window(client, resolved, settings):
    path = _link("rate")
    with time_machine.travel(timezone.now() + settings.WHISTLE_RATING_WINDOW + timezone.timedelta(hours=1)):
        response = client.get(path)
    assert response.status_code == 400
    assert "This rating link has expired." in response.content.decode()


def test_a_rating_link_for_an_earlier_result_is_refused(client, resolved):
    token = rate_token(complaint=resolved)
    resolved.reopen_count = 1
    resolved.save(update_fields=["reopen_count"])
    response = client.get(reverse("complaints:notice_rate", args=[token]))
    assert response.status_code == 400
    assert "earlier result" in response.content.decode()


def test_stop_link_asks_then_stops_every_later_message(client, complaint, people, django_capture_on_commit_callbacks):
    path = _link("stop")
    page = client.get(path)
    assert page.status_code == 200
    assert complaint.tracking_number in page.content.decode()
    complaint.refresh_from_db()
    assert complaint.notices_stopped_at is None  # GET changes nothing

    response = client.post(path)
    assert response.status_code == 303
    complaint.refresh_from_db()
    assert complaint.notices_stopped_at is not None
    assert "Messages about this complaint are stopped." in client.get(path).content.decode()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assignment_accept(user=people["donghuamen_handler"], assignment_id=complaint.assignments.get().pk)
    assert mail.outbox == []
    assert not ResidentNotice.objects.filter(event__kind="accepted").exists()


def test_stopping_cancels_messages_still_queued(client, complaint, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        assignment_accept(user=people["donghuamen_handler"], assignment_id=complaint.assignments.get().pk)
    client.post(reverse("complaints:notice_stop", args=[stop_token(complaint=complaint)]))
    statuses = set(ResidentNotice.objects.filter(event__kind="accepted").values_list("status", flat=True))
    assert statuses == {NoticeStatus.STOPPED}


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps({"c": 1}, salt="another.purpose"),
        signing.dumps({"c": "1"}, salt=STOP_SALT),
        signing.dumps({"c": 999999}, salt=STOP_SALT),
        signing.dumps([1], salt=STOP_SALT),
    ],
    ids=["garbage", "other-salt", "string-id", "no-such-complaint", "not-a-dict"],
)
def test_a_forged_stop_link_is_refused_and_saves_nothing(client, complaint, token):
    for method in (client.get, client.post):
        response = method(reverse("complaints:notice_stop", args=[token]))
        assert response.status_code == 400
        assert "This link is not valid." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.notices_stopped_at is None


def test_an_expired_stop_link_is_refused_and_saves_nothing(client, complaint):
    path = _link("stop")
    with time_machine.travel(timezone.now() + timezone.timedelta(days=400)):
        response = client.post(path)
    assert response.status_code == 400
    assert "This link has expired." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.notices_stopped_at is None


def test_refusal_is_in_the_readers_language(complaint):
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(reverse("complaints:notice_stop", args=["x"]))
    assert response.status_code == 400
    assert 'lang="zh-hans"' in response.content.decode()

"""Following a complaint: proving the tracking number with the phone's last four
digits, and what the detail page shows (and never shows)."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints.services.lifecycle import complaint_record

TRACK_URL = reverse("complaints:track")
UNKNOWN_NUMBER = "2099010100000000"


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def complaint(submit):
    return submit(description="凌晨两点还在施工，噪声很大")


def _detail_url(number):
    return reverse("complaints:track_detail", args=[number])


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_right_number_and_last_four_open_the_detail(client, complaint):
    response = client.post(TRACK_URL, {"tracking_number": complaint.tracking_number, "phone_last4": "8000"})

    assert response.status_code == 303
    assert response["Location"] == _detail_url(complaint.tracking_number)
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    html = detail.content.decode()
    assert complaint.tracking_number in html
    assert "Assigned" in html
    assert "sent to the unit responsible" in html
    assert "噪声扰民 / 施工噪声" in html
    assert "东城区 · 东华门街道 · 多福巷社区" in html
    assert "东华门大街 1 号" in html
    assert "凌晨两点还在施工，噪声很大" in html


def test_number_read_out_in_groups_is_accepted(client, complaint):
    n = complaint.tracking_number
    spaced = f"{n[:4]} {n[4:8]}-{n[8:12]} {n[12:]}"
    response = client.post(TRACK_URL, {"tracking_number": spaced, "phone_last4": "8000"})
    assert response["Location"] == _detail_url(n)


def test_wrong_last_four_and_unknown_number_look_the_same(client, complaint):
    wrong_pair = client.post(TRACK_URL, {"tracking_number": complaint.tracking_number, "phone_last4": "1234"})
    unknown = client.post(TRACK_URL, {"tracking_number": UNKNOWN_NUMBER, "phone_last4": "1234"})

    assert wrong_pair.status_code == unknown.status_code == 200
    assert "No complaint matches this tracking number and phone." in unknown.content.decode()
    # The echoed number is the only difference: the resident's own input.
    assert _without_csrf(wrong_pair.content.decode()).replace(complaint.tracking_number, "N") == _without_csrf(
        unknown.content.decode()
    ).replace(UNKNOWN_NUMBER, "N")
    # And neither opened anything.
    assert client.get(_detail_url(complaint.tracking_number)).status_code == 302


@pytest.mark.parametrize(
    ("last4", "message"),
    [("", "Enter the last four digits of your phone."), ("80a0", "Enter the last four digits of your phone.")],
)
def test_malformed_last_four_is_explained(client, complaint, last4, message):
    response = client.post(TRACK_URL, {"tracking_number": complaint.tracking_number, "phone_last4": last4})

    assert response.status_code == 200
    assert message in response.context["form"].errors["phone_last4"]


def test_detail_without_grant_sends_to_the_track_form_with_the_number_filled_in(client, complaint):
    response = client.get(_detail_url(complaint.tracking_number))
    unknown = client.get(_detail_url(UNKNOWN_NUMBER))

    assert response.status_code == unknown.status_code == 302
    assert response["Location"] == f"{TRACK_URL}?tracking_number={complaint.tracking_number}"
    assert unknown["Location"] == f"{TRACK_URL}?tracking_number={UNKNOWN_NUMBER}"
    form = client.get(response["Location"]).content.decode()
    assert f'name="tracking_number" value="{complaint.tracking_number}"' in form


def test_a_grant_is_for_one_browser_only(client, complaint):
    client.post(TRACK_URL, {"tracking_number": complaint.tracking_number, "phone_last4": "8000"})

    assert client.get(_detail_url(complaint.tracking_number)).status_code == 200
    assert Client().get(_detail_url(complaint.tracking_number)).status_code == 302


def test_detail_hides_the_residents_name_phone_and_internal_notes(client, complaint):
    complaint_record(complaint=complaint, kind="note", message="内部备注：居民情绪激动", is_public=False)
    complaint_record(complaint=complaint, kind="note", message="已电话联系，明天上门", is_public=True)
    client.post(TRACK_URL, {"tracking_number": complaint.tracking_number, "phone_last4": "8000"})

    html = client.get(_detail_url(complaint.tracking_number)).content.decode()

    assert "13800138000" not in html
    assert "张三" not in html
    assert "内部备注" not in html
    assert "138****8000" in html
    assert "已电话联系，明天上门" in html


def test_timeline_shows_the_public_steps_in_order(client, complaint):
    client.post(TRACK_URL, {"tracking_number": complaint.tracking_number, "phone_last4": "8000"})

    html = client.get(_detail_url(complaint.tracking_number)).content.decode()

    timeline = html[html.index('class="timeline"') :]
    assert timeline.index("event-submitted") < timeline.index("event-assigned")
    # Rendered in the reader's language (this client reads English); the unit keeps its own name.
    assert "Assigned to 东华门街道办事处." in timeline
    assert "12345 centre" in timeline


def test_timeline_is_rendered_in_chinese_for_a_chinese_reader(client, complaint):
    client.post(TRACK_URL, {"tracking_number": complaint.tracking_number, "phone_last4": "8000"})

    html = client.get(_detail_url(complaint.tracking_number), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    timeline = html[html.index('class="timeline"') :]
    assert "已派单至 东华门街道办事处。" in timeline and "12345中心" in timeline


def test_times_are_shown_in_beijing_time(client, complaint):
    client.post(TRACK_URL, {"tracking_number": complaint.tracking_number, "phone_last4": "8000"})
    local = timezone.localtime(complaint.submitted_at).strftime("%Y-%m-%d %H:%M")
    assert timezone.localtime(complaint.submitted_at).utcoffset().total_seconds() == 8 * 3600

    assert local in client.get(_detail_url(complaint.tracking_number)).content.decode()


def test_rating_form_is_not_offered_before_resolution(client, complaint):
    client.post(TRACK_URL, {"tracking_number": complaint.tracking_number, "phone_last4": "8000"})

    html = client.get(_detail_url(complaint.tracking_number)).content.decode()

    assert reverse("complaints:rate", args=[complaint.tracking_number]) not in html
    assert 'name="satisfaction"' not in html


def test_detail_costs_a_fixed_number_of_queries(client, complaint, django_assert_max_num_queries):
    client.post(TRACK_URL, {"tracking_number": complaint.tracking_number, "phone_last4": "8000"})
    for n in range(5):
        complaint_record(complaint=complaint, kind="note", message=f"进展 {n}", is_public=True)

    with django_assert_max_num_queries(6):  # one more: the photos; one more: the units the timeline names
        response = client.get(_detail_url(complaint.tracking_number))
    assert "进展 4" in response.content.decode()

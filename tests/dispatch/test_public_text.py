"""No resident's phone number or e-mail in a text the public reads: the resolve
reply, a summoned unit's line for the resident and a rejection reason are refused
with a clear message when they carry one, whatever the spacing, from the page and
from the API, and nothing is saved."""

import html

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from complaints.models import ComplaintEvent
from dispatch.models import Assignment
from dispatch.services.assignments import assignment_accept, assignment_record_contact
from dispatch.services.merge import order_merge
from dispatch.services.public_text import public_text_check
from dispatch.services.whistle import whistle_blow
from portal.api.tokens import token_issue
from portal.errors import ActionRefused

EMAIL = "ZhangSan@Example.com"
REFUSED = "Take the resident's phone number and e-mail out of this text"
CARRIES = [
    "请联系13800138000",
    "已电话联系 138 0013 8000 的市民",
    "回电 138-0013-8000",
    "回电+86 13800138000",
    "回电 +86-138-0013-8000",
    "回电（138）0013.8000",
    "回电１３８００１３８０００",  # full-width digits
    "已回复 zhangsan@example.com",
    "已回复 ZHANGSAN@EXAMPLE.COM。",
]
CLEAN = [
    "已责令施工方夜间停工，2026-11-16 10:20 现场核实",
    "市民电话尾号8000，已联系",
    "工单 20261126000001 已办结，联系电话 12345",
    "请拨打13900139000咨询施工方",  # somebody else's number
]


@pytest.fixture
def complaint(submit):
    return submit(resident_email=EMAIL)


@pytest.mark.parametrize("text", CARRIES)
def test_a_text_with_the_residents_phone_or_email_is_refused(complaint, text):
    with pytest.raises(ActionRefused) as refused:
        public_text_check(complaint=complaint, text=text, field="reply")
    assert REFUSED in str(refused.value) and refused.value.field == "reply"


@pytest.mark.parametrize("text", CLEAN)
def test_a_text_without_them_passes(complaint, text):
    public_text_check(complaint=complaint, text=text, field="reply")


def test_a_phone_stored_with_the_country_code_is_caught_without_it(submit):
    complaint = submit(resident_phone="+86 138 0013 8000")
    with pytest.raises(ActionRefused):
        public_text_check(complaint=complaint, text="回电13800138000", field="reply")


def test_the_phone_of_a_resident_following_a_merged_order_is_refused_too(submit, people):
    lead = submit()
    follower = submit(resident_phone="13900139000", description="同一工地，又来投诉")
    order_merge(user=people["dispatcher"], follower_id=follower.pk, lead_number=lead.tracking_number)
    with pytest.raises(ActionRefused):
        public_text_check(complaint=lead, text="已联系 139 0013 9000", field="reply")


# --- every door -------------------------------------------------------------------


def page_as(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def api_as(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(username=user.username)}")
    return client


def state(complaint):
    complaint.refresh_from_db()
    return (
        complaint.status,
        complaint.version,
        list(Assignment.objects.filter(complaint=complaint).order_by("pk").values_list("status", "version")),
        ComplaintEvent.objects.filter(complaint=complaint).count(),
    )


def in_progress(complaint, people):
    handler = people["donghuamen_handler"]
    lead = complaint.assignments.get()
    assignment_accept(user=handler, assignment_id=lead.pk)
    assignment_record_contact(user=handler, assignment_id=lead.pk, note="已电话联系")
    lead.refresh_from_db()
    return lead


def to_resolve(complaint, people, text):
    lead = in_progress(complaint, people)
    return people["donghuamen_handler"], "resolve", "order_resolve", {"reply": text, "version": lead.version}


def to_report(complaint, people, text):
    lead = in_progress(complaint, people)
    (summons,) = whistle_blow(
        user=people["donghuamen_handler"],
        assignment_id=lead.pk,
        unit_ids=[people["market_handler"].memberships.get().unit_id],
        message="请到现场",
        version=None,
    )
    body = {"note": "已到现场", "publish": True, "public_line": text, "version": summons.version}
    return people["market_handler"], "whistle_report", "order_whistle_report", body


def to_reject(complaint, people, text):
    complaint.refresh_from_db()
    return people["dispatcher"], "reject", "order_reject", {"reason": text, "version": complaint.version}


DOORS = {"resolve": (to_resolve, "reply"), "report": (to_report, "public_line"), "reject": (to_reject, "reason")}
FORMATS = ["13800138000", "138 0013 8000", "138-0013-8000", "+86 13800138000", EMAIL.lower()]


@pytest.mark.parametrize("text", FORMATS)
@pytest.mark.parametrize("door", DOORS)
def test_the_page_refuses_a_public_text_with_the_residents_contact(complaint, people, door, text):
    situation, _field = DOORS[door]
    user, page_name, _api_name, body = situation(complaint, people, f"已处理，电话 {text}")
    if page_name == "whistle_report":
        body["publish"] = "on"
    before = state(complaint)

    response = page_as(user).post(reverse(f"dispatch:{page_name}", args=[complaint.tracking_number]), body, follow=True)

    assert response.status_code == 200
    assert REFUSED in html.unescape(response.content.decode())
    assert state(complaint) == before


@pytest.mark.parametrize("text", FORMATS)
@pytest.mark.parametrize("door", DOORS)
def test_the_api_refuses_a_public_text_with_the_residents_contact(complaint, people, door, text):
    situation, field = DOORS[door]
    user, _page_name, api_name, body = situation(complaint, people, f"已处理，电话 {text}")
    before = state(complaint)

    url = reverse(f"dispatch_api:{api_name}", args=[complaint.tracking_number])
    response = api_as(user).post(url, body, format="json")

    assert response.status_code == 400, response.json()
    assert list(response.json()["fields"]) == [field]
    assert REFUSED in response.json()["fields"][field][0]
    assert state(complaint) == before


@pytest.mark.parametrize("door", DOORS)
def test_a_clean_public_text_still_goes_through(complaint, people, door):
    situation, _field = DOORS[door]
    user, _page_name, api_name, body = situation(complaint, people, "已处理，市民电话尾号8000")
    response = api_as(user).post(reverse(f"dispatch_api:{api_name}", args=[complaint.tracking_number]), body)
    assert response.status_code == 200, response.json()


def test_an_internal_report_may_name_the_residents_number(complaint, people):
    """Only the line for the resident is public; the report itself is for staff."""
    user, _page, api_name, body = to_report(complaint, people, "")
    body.update(note="已联系市民 13800138000", publish=False)
    response = api_as(user).post(reverse(f"dispatch_api:{api_name}", args=[complaint.tracking_number]), body)
    assert response.status_code == 200, response.json()

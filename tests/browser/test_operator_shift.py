"""The centre's desk, end to end in a real browser, as the issue's "done when" says:
signed in as an operator, take a call from a number that has called before and see
its history; answer a consultation from the knowledge base (closed at once, never
routed); file a noise complaint that is routed to 东华门街道; and a day later, from
the callback queue, record the resident's rating taken by phone."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from complaints.models import Complaint, ComplaintStatus, Satisfaction
from dispatch.models import Assignment, AssignmentRole, DirectAnswer, Role
from dispatch.services.assignments import assignment_accept, assignment_record_contact, assignment_resolve
from tests.dispatch.hotline_setup import article, ask_noise_time
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pass-word-123"
CALLER = "13800138000"


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("[name=username]", username)
    page.fill("[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/desk/"))


def _choose_place(page, path: str, code: str):
    page.fill("[name=place]", path.split(" › ")[-1][:3])
    page.wait_for_function("() => document.querySelectorAll('#place-suggestions option').length > 0")
    page.fill("[name=place]", path)
    page.wait_for_function(f"() => document.getElementById('id_region').value === '{code}'")


def test_an_operator_answers_files_and_calls_back(
    live_server, page_factory, screenshot, submit, units, categories, people
):
    ask_noise_time(categories)
    earlier = submit(answers={"noise_time": "night"}, category="noise_neighbour")
    operator = UserFactory(username="operator")
    MembershipFactory(user=operator, unit=units["centre"], role=Role.OPERATOR)
    heating = article()

    page = page_factory()
    _sign_in(page, live_server, "operator")
    # The telephony system opens the desk as the call rings.
    page.goto(f"{live_server.url}/desk/hotline/?caller={CALLER}")
    assert earlier.tracking_number in page.inner_text("#caller-panel")
    screenshot(page, "caller history")

    # 1. A consultation, answered on the call from the knowledge base.
    page.fill("[name=caller_name]", "张先生")
    page.select_option("[name=demand_type]", "consultation")
    page.select_option("[name=category]", str(categories["other_misc"].pk))
    _choose_place(page, "东城区 › 东华门街道 › 多福巷社区", "110101001001")
    page.fill("[name=description]", "问今年供暖从哪天开始")
    page.fill("[name=kq]", "供暖")
    page.press("[name=kq]", "Enter")
    page.wait_for_selector("#knowledge-results button[name=answer_with]")
    page.click("#knowledge-results button[name=answer_with]")
    page.wait_for_url(re.compile(r"/desk/hotline/filed/"))
    answered = Complaint.objects.latest("pk")
    assert answered.status == ComplaintStatus.CLOSED
    assert DirectAnswer.objects.get(complaint=answered).article == heating
    assert not Assignment.objects.filter(complaint=answered).exists()
    heating.refresh_from_db()
    assert heating.use_count == 1

    # 2. The same caller's noise complaint, routed to the street.
    page.click("p.next a[href*='?caller=']")
    page.wait_for_url(re.compile(r"/desk/hotline/\?caller="))
    page.fill("[name=caller_name]", "张先生")
    page.select_option("[name=demand_type]", "complaint")
    page.select_option("[name=category]", str(categories["noise_construction"].pk))
    page.wait_for_selector("[name=q_noise_time]", state="attached")
    page.select_option("[name=q_noise_time]", "night")
    _choose_place(page, "东城区 › 东华门街道 › 多福巷社区", "110101001001")
    page.fill("[name=address]", "多福巷 8 号院")
    page.fill("[name=description]", "隔壁工地每天夜里施工到两点")
    page.click("button[name=file]")
    page.wait_for_url(re.compile(r"/desk/hotline/filed/"))
    filed = Complaint.objects.latest("pk")
    assert re.sub(r"\s", "", page.inner_text(".tracking-number")) == filed.tracking_number
    screenshot(page, "tracking number to read out")
    filed.refresh_from_db()
    assert filed.status == ComplaintStatus.ASSIGNED
    lead = Assignment.objects.get(complaint=filed, role=AssignmentRole.LEAD)
    assert lead.unit == units["donghuamen"]

    # The street office works it to resolved; the resident never rates it.
    handler = people["donghuamen_handler"]
    assignment_accept(user=handler, assignment_id=lead.pk)
    assignment_record_contact(user=handler, assignment_id=lead.pk, note="电话联系张先生")
    assignment_resolve(user=handler, assignment_id=lead.pk, reply="已责令工地夜间22点后停工")

    # 3. A day later the order waits in the callback queue; the operator calls.
    with time_machine.travel(timezone.now() + timedelta(hours=25), tick=True):
        page.goto(f"{live_server.url}/desk/callbacks/")
        row = page.locator(f"form.callback-rate[action*='{filed.tracking_number}']")
        row.locator("[name=solved][value=yes]").check()
        row.locator(f"[name=satisfaction][value={Satisfaction.SATISFIED}]").check()
        row.locator("button[type=submit]").click()
        page.wait_for_load_state()
        screenshot(page, "callback recorded")
    filed.refresh_from_db()
    assert filed.status == ComplaintStatus.CLOSED
    rating = filed.ratings.get()
    assert rating.by_phone and rating.taken_by == operator and rating.satisfaction == Satisfaction.SATISFIED

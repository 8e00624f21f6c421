"""Issue 4's "done when", in a real browser.

1. A street handler blows the whistle on an order to two departments; each
   department's handler finds it in their queue and reports; the street resolves
   it; the resident rates it.
2. A misrouted order is returned, re-dispatched from triage, and solved by the
   right unit.
"""

import re

import pytest

from complaints.models import Complaint, ComplaintStatus
from dispatch.models import AssignmentRole, DepartmentKind, Role, UnitKind
from tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pass-word-123"


def sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("[name=username]", username)
    page.fill("[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/desk/"))


def open_from_queue(page, tracking_number):
    page.click(f"a:has-text('{tracking_number}')")
    page.wait_for_url(re.compile(rf"/desk/orders/{tracking_number}/$"))


def post(page, action, **fields):
    form = f"form[action$='/{action}/']"
    for name, value in fields.items():
        page.fill(f"{form} [name={name}]", value)
    page.click(f"{form} button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def health(units):
    unit = UnitFactory(
        code="dep-110101-health",
        name="东城区卫生健康委员会",
        kind=UnitKind.DEPARTMENT,
        department_kind=DepartmentKind.HEALTH,
        parent=units["dongcheng"],
        region=units["dongcheng"].region,
    )
    MembershipFactory(user=UserFactory(username="health_handler"), unit=unit, role=Role.HANDLER)
    return unit


def test_street_blows_the_whistle_two_departments_report_street_resolves_resident_rates(
    live_server, page_factory, submit, units, people, health
):
    complaint = submit(category="noise_construction", resident_phone="13912345678")
    tn = complaint.tracking_number

    street = page_factory()
    sign_in(street, live_server.url, "donghuamen_handler")
    open_from_queue(street, tn)
    post(street, "accept")
    for unit in (units["dc_market"], health):
        street.check(f"#whistle-form [name=units][value='{unit.pk}']")
    street.fill("#whistle-form [name=message]", "请15:00前到现场核查工地夜间施工")
    street.click("#whistle-form button[type=submit]")
    street.wait_for_load_state()
    summoned = complaint.assignments.filter(role=AssignmentRole.CO_HANDLER)
    assert set(summoned.values_list("unit__code", flat=True)) == {"dep-110101-market", "dep-110101-health"}

    for username, note in (("market_handler", "已到现场，责令停工"), ("health_handler", "已到现场，无卫生问题")):
        department = page_factory()
        sign_in(department, live_server.url, username)
        assert tn in department.content()  # the summons is in the department's own queue
        open_from_queue(department, tn)
        if username == "market_handler":
            # This unit also tells the resident, in a line written for them.
            department.check("form[action$='/report/'] [name=publish]")
            department.fill("form[action$='/report/'] [name=public_line]", "市场监管部门已到场，工地已停工")
        post(department, "report", note=note)
        # The report itself is internal: written for the lead unit, never shown to the resident.
        report = complaint.events.get(data__fact="whistle_report", data__note=note)
        assert not report.is_public
    assert complaint.events.filter(is_public=True, message="市场监管部门已到场，工地已停工").exists()

    street.reload()
    post(street, "contact", note="电话联系居民，说明处理进展")
    post(street, "resolve", reply="已会同市场监管、卫健部门到场处置，工地夜间停工")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESOLVED
    assert set(summoned.values_list("status", flat=True)) == {"resolved"}

    resident = page_factory()
    resident.goto(f"{live_server.url}/track/")
    resident.fill("[name=tracking_number]", tn)
    resident.fill("[name=phone_last4]", "5678")
    resident.click("form.track-form button[type=submit]")
    resident.wait_for_url(re.compile(rf"/track/{tn}/$"))
    html = resident.content()
    assert "市场监管部门已到场，工地已停工" in html
    assert "已到现场，责令停工" not in html and "已到现场，无卫生问题" not in html
    resident.check("[name=solved][value=yes]")
    resident.check("[name=satisfaction][value=satisfied]")
    resident.click(f"form[action$='/track/{tn}/rate/'] button[type=submit]")
    resident.wait_for_selector(".status-closed")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED


def test_misrouted_order_is_returned_redispatched_from_triage_and_solved_by_the_right_unit(
    live_server, page_factory, submit, units, people
):
    # Filed at 多福巷 (东华门街道), but the site is in 景山街道: 东华门 returns it.
    complaint = submit(category="noise_neighbour", address="景山前街 4 号")
    tn = complaint.tracking_number

    wrong = page_factory()
    sign_in(wrong, live_server.url, "donghuamen_handler")
    open_from_queue(wrong, tn)
    wrong.select_option("#return-form [name=reason]", "wrong_place")
    wrong.fill("#return-form [name=note]", "地址在景山街道辖区")
    wrong.click("#return-form button[type=submit]")
    wrong.wait_for_load_state()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RETURNED

    centre = page_factory()
    sign_in(centre, live_server.url, "dispatcher")
    centre.goto(f"{live_server.url}/desk/triage/")
    assert "地址在景山街道辖区" in centre.content()
    open_from_queue(centre, tn)
    centre.fill("form[action$='/dispatch/'] [name=unit]", "s-110101002")
    centre.click("form[action$='/dispatch/'] button[type=submit]")
    centre.wait_for_load_state()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ASSIGNED

    right = page_factory()
    sign_in(right, live_server.url, "jingshan_handler")
    open_from_queue(right, tn)
    post(right, "accept")
    post(right, "contact", note="电话联系居民")
    post(right, "resolve", reply="已上门调解，邻居承诺夜间降低音量")
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.status == ComplaintStatus.RESOLVED
    lead = complaint.assignments.get(status="resolved", role=AssignmentRole.LEAD)
    assert lead.unit == units["jingshan"]

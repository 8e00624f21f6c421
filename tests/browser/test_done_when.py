"""The issue's "done when", in a real browser: a resident files a complaint with the
cascading place selects, the street office signs in and works it to resolved, the
resident tracks it, rates it, and sees it closed. Runs against the live server with
routing on commit (Celery eager in tests)."""

import re

import pytest

from complaints.models import Complaint, ComplaintStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_files_street_works_it_resident_rates_it_closed(
    live_server, page_factory, beijing, categories, rules, units, people
):
    resident = page_factory()
    resident.goto(f"{live_server.url}/file/")
    resident.select_option("select[name=category]", str(categories["noise_construction"].pk))
    resident.select_option("select[name=district]", beijing["dongcheng"].code)
    # The street and community lists are filled by intake.js from the places endpoint.
    resident.wait_for_selector(f"select[name=street] option[value='{beijing['donghuamen'].code}']", state="attached")
    resident.select_option("select[name=street]", beijing["donghuamen"].code)
    resident.wait_for_selector(f"select[name=community] option[value='{beijing['duofuxiang'].code}']", state="attached")
    resident.select_option("select[name=community]", beijing["duofuxiang"].code)
    resident.fill("[name=address]", "东华门大街 1 号")
    resident.fill("[name=description]", "工地每晚施工到凌晨两点，影响休息")
    resident.fill("[name=resident_name]", "王芳")
    resident.fill("[name=resident_phone]", "13912345678")
    resident.click("#intake-form button[type=submit]:not([name=refresh_places])")
    tracking_number = resident.inner_text("#tracking-number").strip()
    assert re.fullmatch(r"\d{16}", tracking_number)
    complaint = Complaint.objects.get(tracking_number=tracking_number)
    assert complaint.status == ComplaintStatus.ASSIGNED
    assert complaint.assignments.get().unit == units["donghuamen"]

    handler = page_factory()
    handler.goto(f"{live_server.url}/accounts/login/")
    handler.fill("[name=username]", "donghuamen_handler")
    handler.fill("[name=password]", "pass-word-123")
    handler.click("form button[type=submit]")
    handler.wait_for_url(re.compile(r"/desk/units/\d+/queue/"))
    handler.click(f"a:has-text('{tracking_number}')")
    handler.wait_for_url(re.compile(rf"/desk/orders/{tracking_number}/$"))
    assert "13912345678" in handler.content()

    handler.click("form[action$='/accept/'] button")
    handler.fill("form[action$='/contact/'] [name=note]", "电话联系王女士")
    handler.click("form[action$='/contact/'] button")
    handler.fill("form[action$='/resolve/'] [name=reply]", "已约谈施工单位，夜间22点后停止施工")
    handler.click("form[action$='/resolve/'] button")
    handler.wait_for_selector("form[action$='/resolve/']", state="detached")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESOLVED

    resident.goto(f"{live_server.url}/track/{tracking_number}/")
    assert "已约谈施工单位" in resident.content()
    assert "电话联系王女士" not in resident.content()
    resident.check("[name=solved][value=yes]")
    resident.check("[name=satisfaction][value=satisfied]")
    resident.click(f"form[action$='/track/{tracking_number}/rate/'] button[type=submit]")
    resident.wait_for_selector(".status-closed")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED

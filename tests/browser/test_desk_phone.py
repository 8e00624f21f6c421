"""The desk on a 390 px phone: the queue is a stack of cards and neither the queue
nor the order page scrolls sideways."""

import re

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pass-word-123"
PHONE = {"width": 390, "height": 844}


def test_the_queue_and_the_order_page_fit_a_phone(live_server, browser, submit, units, people, screenshot):
    complaint = submit()
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("[name=username]", "donghuamen_handler")
        page.fill("[name=password]", PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_url(re.compile(r"/desk/"))

        page.goto(live_server.url + reverse("dispatch:queue", args=[units["donghuamen"].pk]))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        row = page.locator(".desk-table tbody tr").first
        assert page.evaluate("(r) => getComputedStyle(r).display", row.element_handle()) == "block"
        screenshot(page, "desk-queue-phone")

        page.goto(live_server.url + reverse("dispatch:order", args=[complaint.tracking_number]))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(page, "desk-order-phone")
    finally:
        context.close()


def test_the_password_field_and_the_desk_s_date_inputs_are_styled_like_the_other_fields(
    live_server, browser, people, units
):
    context = browser.new_context(locale="en", timezone_id="Asia/Shanghai")
    style = "(e) => { const s = getComputedStyle(e); return [s.borderTopWidth, s.borderTopStyle, s.borderRadius]; }"
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        username = page.eval_on_selector("[name=username]", style)
        assert page.eval_on_selector("[name=password]", style) == username
        assert page.eval_on_selector("[name=password]", "(e) => getComputedStyle(e).minHeight") == "44px"
        page.fill("[name=username]", "dongcheng_supervisor")
        page.fill("[name=password]", PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_url(re.compile(r"/desk/"))

        page.goto(live_server.url + reverse("dispatch:report_trends"))
        dates = page.locator("input[type=date]")
        assert dates.count() >= 1
        assert dates.first.evaluate(style) == ["1px", "solid", "4px"]
    finally:
        context.close()

"""The hotline desk in a real browser (static/js/hotline.js): the caller's number
from the URL draws their history, typing a place offers suggestions and choosing
one draws the open orders nearby, Enter in the knowledge-base box searches without
saving, "answer directly" files and closes the consultation, and choosing a
category draws its questions in place."""

import re

import pytest

from complaints.models import Complaint, ComplaintStatus
from dispatch.models import DirectAnswer, Role
from tests.dispatch.hotline_setup import article, ask_noise_time
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pass-word-123"


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("[name=username]", username)
    page.fill("[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/desk/"))


def test_an_operator_takes_a_call_with_the_keyboard(live_server, page_factory, screenshot, submit, units, categories):
    earlier = submit()
    operator = UserFactory(username="operator")
    MembershipFactory(user=operator, unit=units["centre"], role=Role.OPERATOR)
    heating = article()

    page = page_factory(locale="en-US")
    sign_in(page, live_server, "operator")
    page.goto(f"{live_server.url}/desk/hotline/?caller=13800138000")
    history = page.locator("#caller-panel")
    assert earlier.tracking_number in history.inner_text()
    # The number came from the telephony system: the cursor waits in the name.
    assert page.evaluate("document.activeElement.name") == "caller_name"
    page.keyboard.type("张先生")

    page.select_option("[name=category]", str(categories["noise_construction"].pk))
    page.fill("[name=place]", "银闸")
    page.wait_for_function("() => document.querySelectorAll('#place-suggestions option').length > 0")
    path = page.eval_on_selector("#place-suggestions option", "option => option.value")
    assert path == "东城区 › 东华门街道 › 银闸社区"
    page.fill("[name=place]", path)
    page.wait_for_function("() => document.getElementById('id_region').value === '110101001002'")
    page.wait_for_function(
        "number => document.getElementById('nearby-panel').innerText.includes(number)", arg=earlier.tracking_number
    )
    page.wait_for_function("() => document.getElementById('caller-panel').innerText.includes('Repeat caller')")

    page.fill("[name=description]", "问供暖从哪天开始")
    page.fill("[name=kq]", "供暖")
    page.press("[name=kq]", "Enter")
    page.wait_for_selector("#knowledge-results button[name=answer_with]")
    assert Complaint.objects.count() == 1  # Enter searched; it did not save
    screenshot(page, "desk")

    page.click("#knowledge-results button[name=answer_with]")
    page.wait_for_url(re.compile(r"/desk/hotline/filed/"))
    answered = Complaint.objects.latest("pk")
    assert answered.status == ComplaintStatus.CLOSED
    assert DirectAnswer.objects.get().article == heating
    shown = page.inner_text(".tracking-number")
    assert re.sub(r"\s", "", shown) == answered.tracking_number
    screenshot(page, "filed")


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_desk_and_the_filed_page_pass_wcag_aa(live_server, browser, submit, units, categories, locale):
    from tests.browser.test_accessibility import Audit

    submit()
    ask_noise_time(categories)
    operator = UserFactory(username="operator")
    MembershipFactory(user=operator, unit=units["centre"], role=Role.OPERATOR)
    article()
    context = browser.new_context(locale=locale, timezone_id="Asia/Shanghai", bypass_csp=True)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        sign_in(page, live_server, "operator")
        audit = Audit(locale)
        page.goto(f"{live_server.url}/desk/hotline/?caller=13800138000&kq=供暖&region=110101001001")
        audit.check("hotline desk", page)
        page.fill("[name=caller_name]", "张先生")
        page.select_option("[name=category]", str(categories["noise_construction"].pk))
        page.wait_for_selector("[name=q_noise_time]")  # the category's question, drawn in place
        page.fill("[name=place]", "多福巷")  # a partial name: the list of places to choose from
        page.click("button[name=file]")
        page.wait_for_selector(".place-choices")
        audit.check("place choices, and the category's question unanswered", page)
        page.select_option("[name=q_noise_time]", "night")
        page.check(".place-choices input[value='110101001001']")
        page.fill("[name=address]", "东华门大街 1 号")
        page.fill("[name=description]", "楼下着火了")
        page.click("button[name=file]")
        page.wait_for_url(re.compile(r"/desk/hotline/filed/"))
        audit.check("filed, with the emergency notice", page)
        audit.assert_clean()
    finally:
        context.close()


def test_choosing_a_category_draws_its_questions_to_answer_with_the_keyboard(
    live_server, page_factory, rules, units, categories
):
    ask_noise_time(categories)
    operator = UserFactory(username="operator")
    MembershipFactory(user=operator, unit=units["centre"], role=Role.OPERATOR)
    page = page_factory(locale="en-US")
    sign_in(page, live_server, "operator")
    page.goto(f"{live_server.url}/desk/hotline/?caller=13900139000")
    page.keyboard.type("李女士")

    page.select_option("[name=category]", str(categories["market_food"].pk))
    page.wait_for_selector("#hotline-questions input[name=questions_for]", state="attached")
    assert page.locator("[name=q_noise_time]").count() == 0
    page.select_option("[name=category]", str(categories["noise_construction"].pk))
    page.wait_for_selector("[name=q_noise_time]")
    # Tab goes from the category to its question.
    page.focus("[name=category]")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "q_noise_time"

    page.fill("[name=place]", "多福巷社区")
    page.fill("[name=address]", "东华门大街 1 号")
    page.fill("[name=description]", "凌晨两点还在施工")
    page.click("button[name=file]")
    # Not answered: refused next to the question, nothing saved.
    page.wait_for_selector("#hotline-questions .has-error")
    assert "Answer this question." in page.inner_text("#hotline-questions")
    assert not Complaint.objects.exists()
    page.select_option("[name=q_noise_time]", "night")
    page.click("button[name=file]")
    page.wait_for_url(re.compile(r"/desk/hotline/filed/"))
    assert Complaint.objects.get().answers == {"noise_time": "night"}

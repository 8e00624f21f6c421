"""Back, in a real browser: the page the browser draws again keeps the places that
were chosen (the street and community lists too), and sending the form again gives
the complaint it already filed, never a second one."""

import pytest

from complaints.models import CategoryQuestion, Complaint, QuestionType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEND = "#intake-form button[type=submit]:not([name=refresh_places])"


def _choose_places(page, beijing):
    page.select_option("select[name=district]", beijing["dongcheng"].code)
    page.wait_for_selector(f"select[name=street] option[value='{beijing['donghuamen'].code}']", state="attached")
    page.select_option("select[name=street]", beijing["donghuamen"].code)
    page.wait_for_selector(f"select[name=community] option[value='{beijing['yinzha'].code}']", state="attached")
    page.select_option("select[name=community]", beijing["yinzha"].code)


def _fill(page, categories, beijing, *, description="凌晨两点还在施工"):
    page.goto(page.url)
    page.select_option("select[name=category]", str(categories["noise_construction"].pk))
    _choose_places(page, beijing)
    page.fill("[name=address]", "东华门大街 1 号")
    page.fill("[name=description]", description)
    page.fill("[name=resident_name]", "王芳")
    page.fill("[name=resident_phone]", "13912345678")


def _places_restored(page, beijing):
    page.wait_for_function(
        "code => document.querySelector('select[name=community]').value === code", arg=beijing["yinzha"].code
    )
    assert page.input_value("select[name=district]") == beijing["dongcheng"].code
    assert page.input_value("select[name=street]") == beijing["donghuamen"].code
    streets = page.eval_on_selector_all("select[name=street] option", "os => os.map(o => o.value)")
    communities = page.eval_on_selector_all("select[name=community] option", "os => os.map(o => o.value)")
    assert streets == ["", beijing["donghuamen"].code, beijing["jingshan"].code]
    assert communities == ["", beijing["duofuxiang"].code, beijing["yinzha"].code]


def test_back_after_filing_then_send_again_gives_the_same_complaint(
    live_server, page_factory, beijing, categories, rules
):
    page = page_factory()
    page.goto(f"{live_server.url}/file/")
    _fill(page, categories, beijing)
    page.click(SEND)
    page.wait_for_selector("#tracking-number")
    first = page.inner_text("#tracking-number")

    page.go_back()
    page.wait_for_selector("#intake-form")
    _places_restored(page, beijing)
    page.click(SEND)
    page.wait_for_selector("#tracking-number")

    assert page.inner_text("#tracking-number") == first
    assert Complaint.objects.count() == 1
    # The page says why nothing new was filed.
    assert page.locator(".messages .message").count() == 1


def test_a_new_visit_after_filing_files_a_new_complaint(live_server, page_factory, beijing, categories, rules):
    page = page_factory()
    page.goto(f"{live_server.url}/file/")
    _fill(page, categories, beijing)
    page.click(SEND)
    page.wait_for_selector("#tracking-number")
    first = page.inner_text("#tracking-number")

    page.click("main a[href='/file/']")  # “File another complaint”, in the page's language
    page.wait_for_selector("#intake-form")
    # Another matter: the same content again this soon would be taken for a resend.
    _fill(page, categories, beijing, description="工地门口的路灯坏了一周")
    page.click(SEND)
    page.wait_for_selector("#tracking-number")

    assert page.inner_text("#tracking-number") != first
    assert Complaint.objects.count() == 2


def test_back_to_the_form_from_another_page_keeps_the_lists_and_the_choices(
    live_server, page_factory, beijing, categories
):
    page = page_factory()
    page.goto(f"{live_server.url}/file/")
    _choose_places(page, beijing)
    page.fill("[name=address]", "东华门大街 1 号")

    page.click(".site-nav a[href='/track/']")
    page.wait_for_selector("[name=phone_last4]")
    page.go_back()
    page.wait_for_selector("#intake-form")

    _places_restored(page, beijing)
    assert page.input_value("[name=address]") == "东华门大街 1 号"


def test_a_form_sent_with_a_mistake_comes_back_with_the_lists_and_the_choices(
    live_server, page_factory, beijing, categories, rules
):
    page = page_factory()
    page.goto(f"{live_server.url}/file/")
    _fill(page, categories, beijing)
    page.fill("[name=resident_name]", "")
    page.click(SEND)
    page.wait_for_selector("#error-summary")

    _places_restored(page, beijing)
    page.fill("[name=resident_name]", "王芳")
    page.click(SEND)
    page.wait_for_selector("#tracking-number")
    assert Complaint.objects.get().region == beijing["yinzha"]


def test_back_to_the_form_draws_the_chosen_categorys_questions_again(live_server, page_factory, beijing, categories):
    CategoryQuestion.objects.create(
        category=categories["noise"],
        code="noise_time",
        prompt="噪声一般在什么时候出现？",
        datatype=QuestionType.SINGLE,
        required=True,
        values=[{"key": "night", "name": "夜间"}, {"key": "daytime", "name": "白天"}],
    )
    page = page_factory()
    page.goto(f"{live_server.url}/file/")
    page.select_option("select[name=category]", str(categories["noise_construction"].pk))
    page.wait_for_selector("select[name=q_noise_time]")

    page.click(".site-nav a[href='/track/']")
    page.wait_for_selector("[name=phone_last4]")
    page.go_back()

    page.wait_for_selector("select[name=q_noise_time] option[value=night]", state="attached")
    assert page.input_value("select[name=category]") == str(categories["noise_construction"].pk)

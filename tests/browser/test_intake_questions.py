"""In a real browser, intake.js asks the categories API for the chosen category's
extra questions and draws them; the answers are filed with the complaint."""

import pytest

from complaints.models import CategoryQuestion, Complaint, QuestionType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_a_category_draws_its_questions_and_files_the_answers(
    live_server, page_factory, beijing, categories, rules
):
    CategoryQuestion.objects.create(
        category=categories["water_outage"],
        code="outage_since",
        prompt="从什么时候开始停水？",
        prompt_en="Since when?",
        datatype=QuestionType.DATETIME,
        required=True,
        order=10,
    )
    CategoryQuestion.objects.create(
        category=categories["water_outage"],
        code="account_number",
        prompt="用水户号",
        datatype=QuestionType.STRING,
        order=20,
    )
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
    page.wait_for_selector("select[name=q_noise_time] option[value=night]", state="attached")
    assert "噪声一般在什么时候出现？" in page.inner_text("#questions")

    page.select_option("select[name=category]", str(categories["water_outage"].pk))
    page.wait_for_selector("input[name=q_outage_since][type=datetime-local]")
    assert page.query_selector("[name=q_noise_time]") is None
    # An optional question says so (the words come from the template, in the page's language).
    assert page.inner_text("label[for=id_q_account_number]").startswith("用水户号 ")

    page.fill("[name=q_outage_since]", "2026-12-01T08:00")
    page.fill("[name=q_account_number]", "0101-2233")
    page.select_option("select[name=district]", beijing["dongcheng"].code)
    page.wait_for_selector(f"select[name=street] option[value='{beijing['donghuamen'].code}']", state="attached")
    page.select_option("select[name=street]", beijing["donghuamen"].code)
    page.fill("[name=address]", "东华门大街 1 号")
    page.fill("[name=description]", "早上八点起停水")
    page.fill("[name=resident_name]", "王芳")
    page.fill("[name=resident_phone]", "13912345678")
    page.click("#intake-form button[type=submit]:not([name=refresh_places])")
    page.wait_for_selector("#tracking-number")

    complaint = Complaint.objects.get()
    assert complaint.answers == {"outage_since": "2026-12-01T08:00", "account_number": "0101-2233"}

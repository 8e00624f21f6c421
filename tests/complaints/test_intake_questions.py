"""The web form asks the chosen category's extra questions: typed fields after the
category, redrawn without JavaScript, checked by answers_clean, stored with the
complaint."""

import re
import uuid

import pytest
from django.urls import reverse

from complaints.models import CategoryQuestion, Complaint, QuestionType

FILE_URL = reverse("complaints:file")


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def asked(categories):
    water, noise = categories["water_outage"], categories["noise"]
    make = CategoryQuestion.objects.create
    return {
        "since": make(
            category=water,
            code="outage_since",
            prompt="从什么时候开始停水？",
            prompt_en="Since when has the water been off?",
            datatype=QuestionType.DATETIME,
            required=True,
            order=10,
            datatype_description="日期和时间",
        ),
        "account": make(
            category=water,
            code="account_number",
            prompt="用水户号",
            prompt_en="Water account number",
            datatype=QuestionType.STRING,
            order=20,
        ),
        "households": make(
            category=water, code="households", prompt="影响户数", datatype=QuestionType.NUMBER, order=30
        ),
        "details": make(category=water, code="details", prompt="补充说明", datatype=QuestionType.TEXT, order=40),
        "where": make(
            category=water,
            code="where",
            prompt="哪里没水",
            prompt_en="Where is there no water?",
            datatype=QuestionType.MULTI,
            order=50,
            values=[{"key": "kitchen", "name": "厨房", "name_en": "Kitchen"}, {"key": "bath", "name": "卫生间"}],
        ),
        "notice": make(
            category=water, code="notice", prompt="请保持电话畅通", datatype=QuestionType.STRING, variable=False
        ),
        "noise_time": make(
            category=noise,
            code="noise_time",
            prompt="噪声一般在什么时候出现？",
            prompt_en="When does it happen?",
            datatype=QuestionType.SINGLE,
            required=True,
            values=[{"key": "night", "name": "夜间", "name_en": "At night"}, {"key": "daytime", "name": "白天"}],
        ),
    }


@pytest.fixture
def form_data(beijing, categories, rules, asked):
    def _data(**overrides):
        data = {
            "category": str(categories["water_outage"].pk),
            "district": "110101",
            "street": "110101001",
            "community": "110101001001",
            "address": "东华门大街 1 号",
            "description": "早上八点起停水",
            "resident_name": "张三",
            "resident_phone": "13800138000",
            "submission_token": str(uuid.uuid4()),
            "q_outage_since": "2026-12-01T08:00",
        }
        data.update(overrides)
        return data

    return _data


def _field(html: str, name: str) -> str:
    match = re.search(rf'<div class="field[^"]*">(?:(?!<div class="field).)*?name="{name}".*?</div>', html, re.S)
    assert match, f"no field {name}"
    return match.group(0)


def test_an_empty_form_asks_no_questions(client, form_data):
    html = client.get(FILE_URL).content.decode()

    assert 'id="questions"' in html
    assert 'name="q_' not in html


def test_the_redrawn_form_asks_the_chosen_categorys_questions_typed(client, form_data):
    html = client.post(FILE_URL, form_data(refresh_places="1")).content.decode()

    assert 'type="datetime-local" name="q_outage_since"' in html
    assert 'value="2026-12-01T08:00"' in html
    assert 'type="text" name="q_account_number"' in html
    assert 'type="number" name="q_households"' in html
    assert '<textarea name="q_details"' in html
    assert 'type="checkbox" name="q_where" value="kitchen"' in html
    assert "Since when has the water been off?" in html
    assert "Water account number (optional)" in html
    # No English for a choice: its Chinese name.
    assert "Kitchen" in html and "卫生间" in html
    assert "日期和时间" in html
    assert "请保持电话畅通" in html and 'name="q_notice"' not in html
    # The questions come right after the category, before the description.
    assert html.index('name="category"') < html.index('name="q_outage_since"') < html.index('name="description"')


def test_a_groups_question_is_a_select_for_its_sub_categories(client, form_data, categories):
    html = client.post(
        FILE_URL, form_data(category=str(categories["noise_construction"].pk), refresh_places="1")
    ).content.decode()

    select = re.search(r'<select name="q_noise_time".*?</select>', html, re.S).group(0)
    assert '<option value="" selected>Choose one</option>' in select
    assert '<option value="night">At night</option>' in select
    assert 'name="q_outage_since"' not in html


def test_answers_are_filed_with_the_complaint(client, form_data):
    response = client.post(
        FILE_URL, form_data(q_account_number=" 0101-2233 ", q_households="12", q_where=["bath", "kitchen"])
    )

    assert response.status_code == 303, response.content.decode()[:3000]
    assert Complaint.objects.get().answers == {
        "outage_since": "2026-12-01T08:00",
        "account_number": "0101-2233",
        "households": "12",
        "where": ["bath", "kitchen"],
    }


def test_a_missing_required_answer_is_said_next_to_its_question(client, form_data):
    response = client.post(FILE_URL, form_data(q_outage_since=""))

    assert response.status_code == 200
    assert "Answer this question." in _field(response.content.decode(), "q_outage_since")
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "name", "message"),
    [
        ({"q_outage_since": "yesterday"}, "q_outage_since", "Give a date and time"),
        ({"q_households": "a dozen"}, "q_households", "Give a number."),
        ({"q_where": ["kitchen", "garage"]}, "q_where", "Choose from the list."),
        ({"q_account_number": "9" * 501}, "q_account_number", "Keep it under 500 characters."),
    ],
)
def test_a_bad_answer_is_said_next_to_its_question_and_kept(client, form_data, overrides, name, message):
    response = client.post(FILE_URL, form_data(**overrides))

    html = response.content.decode()
    assert message in _field(html, name)
    assert "Please check the form." in html
    assert not Complaint.objects.exists()


def test_an_answer_to_another_categorys_question_is_ignored(client, form_data, categories):
    response = client.post(
        FILE_URL,
        form_data(category=str(categories["noise_construction"].pk), q_noise_time="night", q_colour="red"),
    )

    assert response.status_code == 303
    assert Complaint.objects.get().answers == {"noise_time": "night"}


def test_a_forged_choice_in_a_select_is_refused(client, form_data, categories):
    response = client.post(FILE_URL, form_data(category=str(categories["noise_construction"].pk), q_noise_time="noon"))

    assert "Choose from the list." in _field(response.content.decode(), "q_noise_time")
    assert not Complaint.objects.exists()


def test_the_questions_follow_the_language_of_the_page(form_data, client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"

    html = client.post(FILE_URL, form_data(refresh_places="1", q_outage_since="")).content.decode()

    assert "从什么时候开始停水？" in html and "Since when" not in html


def test_the_redrawn_form_keeps_the_checked_boxes(client, form_data):
    html = client.post(FILE_URL, form_data(refresh_places="1", q_where=["kitchen", "bath"])).content.decode()

    assert re.search(r'value="kitchen"[^>]*checked', html)
    assert re.search(r'value="bath"[^>]*checked', html)


def test_the_form_with_questions_costs_a_fixed_number_of_queries(client, form_data, django_assert_max_num_queries):
    # As the form without questions (tests/complaints/test_intake_views.py) plus the questions.
    with django_assert_max_num_queries(9):
        client.post(FILE_URL, form_data(refresh_places="1"))


def test_the_page_tells_the_script_where_the_questions_are(client, form_data, categories):
    html = client.get(FILE_URL).content.decode()

    url = reverse("complaints_api:category", args=[0])
    assert f'data-url="{url}"' in html
    assert 'data-optional="(optional)"' in html and 'data-choose="Choose one"' in html

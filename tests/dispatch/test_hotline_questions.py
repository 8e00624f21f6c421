# ruff: noqa: F811
"""The hotline desk asks the chosen category's questions: drawn after the category
(by hotline.js from the questions fragment, or by the server when the form comes
back), answered into the demand, each refusal next to its question with nothing
saved. A consultation answered directly need not answer them."""

import re

import pytest
from django.urls import reverse

from complaints.models import Complaint, ComplaintStatus
from dispatch.models import Assignment, DirectAnswer

# The shared fixtures are imported by name, so pytest finds them and ruff sees them used.
from tests.dispatch.hotline_setup import (  # noqa: F401
    DESK,
    article,
    english,
    filed_url,
    form_data,
    noise_time,
    operator,
    operator_client,
)

QUESTIONS = reverse("dispatch:hotline_questions")


def file(client, django_capture_on_commit_callbacks, data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(DESK, data)


def question_field(page: str) -> str:
    """The noise question's field, as drawn: its label, message and control."""
    match = re.search(r'<div class="field[^"]*">\s*<label for="id_q_noise_time".*?</select>', page, re.S)
    assert match, "the noise question is not on the page"
    return match.group(0)


def test_a_noise_complaint_is_filed_with_its_answer_and_routed_to_the_street(
    operator_client, categories, rules, beijing, units, django_capture_on_commit_callbacks
):
    response = file(operator_client, django_capture_on_commit_callbacks, form_data(categories, q_noise_time="night"))

    complaint = Complaint.objects.get()
    assert response.status_code == 303, response.content.decode()[:2000]
    assert response["Location"] == filed_url(complaint.tracking_number)
    assert complaint.answers == {"noise_time": "night"}
    assert complaint.status == ComplaintStatus.ASSIGNED
    assert Assignment.objects.get(complaint=complaint).unit == units["donghuamen"]


def test_a_missing_answer_is_refused_by_the_question_and_nothing_is_saved(
    operator_client, categories, rules, beijing, django_capture_on_commit_callbacks
):
    response = file(operator_client, django_capture_on_commit_callbacks, form_data(categories, q_noise_time=""))

    page = response.content.decode()
    assert response.status_code == 200
    assert not Complaint.objects.exists()
    field = question_field(page)
    assert "has-error" in field
    assert "Answer this question." in field
    assert "When does the noise happen?" in field
    # The cursor goes to the question to fix.
    assert re.search(r'<select name="q_noise_time"[^>]*autofocus', page)


def test_an_answer_not_in_the_list_is_refused_by_the_question(
    operator_client, categories, rules, beijing, django_capture_on_commit_callbacks
):
    response = file(
        operator_client, django_capture_on_commit_callbacks, form_data(categories, q_noise_time="sometimes")
    )

    assert response.status_code == 200
    assert not Complaint.objects.exists()
    assert "Choose from the list." in question_field(response.content.decode())


def test_without_script_a_form_sent_before_the_questions_were_drawn_shows_them_and_saves_nothing(
    operator_client, categories, rules, beijing, django_capture_on_commit_callbacks
):
    # The page was drawn with no category, so without script no question was shown.
    data = form_data(categories, questions_for="", q_noise_time=None)

    response = file(operator_client, django_capture_on_commit_callbacks, data)

    page = response.content.decode()
    assert not Complaint.objects.exists()
    assert "This category asks a few more questions" in page
    assert "Answer this question." in question_field(page)
    noise = categories["noise_construction"].pk
    assert f'<input type="hidden" name="questions_for" value="{noise}">' in page
    assert re.search(r'<select name="q_noise_time"[^>]*autofocus', page)
    # Answered on the redrawn form, it files.
    again = file(operator_client, django_capture_on_commit_callbacks, form_data(categories, questions_for=str(noise)))
    assert again.status_code == 303
    assert Complaint.objects.get().answers == {"noise_time": "night"}


def test_an_optional_question_not_yet_shown_is_shown_before_anything_is_filed(
    operator_client, categories, rules, beijing, noise_time, django_capture_on_commit_callbacks
):
    noise_time.required = False
    noise_time.save(update_fields=["required"])

    response = file(
        operator_client, django_capture_on_commit_callbacks, form_data(categories, questions_for="", q_noise_time=None)
    )

    assert response.status_code == 200
    assert not Complaint.objects.exists()
    assert "(optional)" in question_field(response.content.decode())


def test_the_show_questions_button_redraws_with_them_and_saves_nothing(
    operator_client, categories, rules, beijing, django_capture_on_commit_callbacks
):
    data = form_data(categories, questions_for="", q_noise_time=None, show_questions="1")

    response = file(operator_client, django_capture_on_commit_callbacks, data)

    page = response.content.decode()
    assert response.status_code == 200
    assert not Complaint.objects.exists()
    field = question_field(page)
    assert "has-error" not in field  # not checked: the operator is not done
    assert re.search(r'<select name="q_noise_time"[^>]*autofocus', page)
    assert 'value="凌晨两点还在施工，噪声很大"' in page or "凌晨两点还在施工，噪声很大</textarea>" in page


def test_a_consultation_answered_directly_needs_no_answer_to_the_categorys_questions(
    operator_client, categories, rules, beijing, django_capture_on_commit_callbacks
):
    heating = article()
    data = form_data(
        categories, demand_type="consultation", address="", description="问供暖从哪天开始", q_noise_time=None
    )

    response = file(operator_client, django_capture_on_commit_callbacks, {**data, "answer_with": str(heating.pk)})

    complaint = Complaint.objects.get()
    assert response.status_code == 303
    assert complaint.status == ComplaintStatus.CLOSED
    assert complaint.answers == {}
    assert DirectAnswer.objects.get().complaint == complaint


def test_a_consultation_answered_directly_still_has_a_bad_answer_refused(
    operator_client, categories, rules, beijing, django_capture_on_commit_callbacks
):
    heating = article()
    data = form_data(categories, demand_type="consultation", address="", q_noise_time="sometimes")

    response = file(operator_client, django_capture_on_commit_callbacks, {**data, "answer_with": str(heating.pk)})

    assert response.status_code == 200
    assert not Complaint.objects.exists()
    assert "Choose from the list." in question_field(response.content.decode())


def test_the_questions_fragment_draws_the_categorys_questions_keeping_an_answer(operator_client, categories):
    noise = categories["noise_neighbour"].pk

    answer = operator_client.get(QUESTIONS, {"category": str(noise), "q_noise_time": "daytime"})

    html = answer.json()["html"]
    assert answer.status_code == 200
    assert f'<input type="hidden" name="questions_for" value="{noise}">' in html
    assert '<option value="daytime" selected>In the daytime</option>' in html
    assert "has-error" not in html


@pytest.mark.parametrize("category", ["", "market_food", "noise", "999999", "x" * 50])
def test_the_questions_fragment_of_a_category_without_questions_or_no_category_is_empty(
    operator_client, categories, category
):
    value = str(categories[category].pk) if category in categories else category

    answer = operator_client.get(QUESTIONS, {"category": value})

    assert answer.status_code == 200
    assert "q_noise_time" not in answer.json()["html"]


def test_the_desk_starts_with_an_empty_questions_box_for_the_script_to_fill(operator_client, categories):
    page = operator_client.get(DESK).content.decode()
    assert 'id="hotline-questions"' in page
    assert 'data-questions-url="/desk/hotline/questions.json"' in page
    assert "q_noise_time" not in page

# ruff: noqa: F811
"""A consultation answered on the call from a knowledge-base article: filed and
closed at once, never routed, the article counted and linked; an article that may
not be given (expired, archived, unknown) leaves nothing saved."""

from datetime import date

import pytest
import time_machine

from complaints.models import Channel, Complaint, ComplaintEvent, ComplaintStatus, DemandType
from complaints.services.submit import complaint_submit
from dispatch.models import Assignment, DirectAnswer, KnowledgeArticle
from dispatch.services.hotline import HotlineDemand, consultation_answer_directly
from dispatch.services.knowledge import article_archive
from portal.errors import ActionRefused, NotFound

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
    submit,
)


@pytest.fixture
def heating(db):
    return article()


def answer(client, captured, categories, article_id, **overrides):
    defaults = {"demand_type": "consultation", "address": "", "description": "问供暖从哪天开始"}
    data = form_data(categories, **{**defaults, **overrides})
    with captured(execute=True) as callbacks:
        response = client.post(DESK, {**data, "answer_with": str(article_id)})
    return response, callbacks


@time_machine.travel("2026-12-02 10:00 +0800", tick=False)
def test_the_consultation_is_closed_at_once_never_routed_and_the_article_counted(
    operator_client, operator, categories, rules, beijing, heating, django_capture_on_commit_callbacks
):
    response, callbacks = answer(operator_client, django_capture_on_commit_callbacks, categories, heating.pk)
    complaint = Complaint.objects.get()
    assert response.status_code == 303
    assert response["Location"] == filed_url(complaint.tracking_number)
    assert complaint.status == ComplaintStatus.CLOSED
    assert complaint.demand_type == DemandType.CONSULTATION
    assert complaint.channel == Channel.HOTLINE
    assert complaint.filed_by == operator
    assert not Assignment.objects.exists()
    assert callbacks == []  # nothing announced, so nothing routes it
    record = DirectAnswer.objects.get()
    assert (record.complaint, record.article, record.article_version, record.operator) == (
        complaint,
        heating,
        1,
        operator,
    )
    heating.refresh_from_db()
    assert heating.use_count == 1
    assert heating.last_used_at is not None
    facts = list(ComplaintEvent.objects.filter(complaint=complaint).values_list("data__fact", flat=True))
    assert "answered_directly" in facts
    page = operator_client.get(response["Location"]).content.decode()
    assert "Answered directly and closed" in page
    assert heating.title in page


def test_the_operator_does_not_have_to_switch_the_type_to_consultation(
    operator_client, categories, rules, beijing, heating, django_capture_on_commit_callbacks
):
    response, _ = answer(
        operator_client, django_capture_on_commit_callbacks, categories, heating.pk, demand_type="complaint"
    )
    assert response.status_code == 303
    assert Complaint.objects.get().demand_type == DemandType.CONSULTATION


def test_a_second_send_counts_the_article_once(
    operator_client, categories, rules, beijing, heating, django_capture_on_commit_callbacks
):
    data = {
        **form_data(categories, demand_type="consultation", address=""),
        "answer_with": str(heating.pk),
    }
    first = operator_client.post(DESK, data)
    second = operator_client.post(DESK, data)
    assert second["Location"] == first["Location"]
    assert Complaint.objects.count() == 1
    assert DirectAnswer.objects.count() == 1
    heating.refresh_from_db()
    assert heating.use_count == 1


@time_machine.travel("2026-12-02 10:00 +0800", tick=False)
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: article(valid_until=date(2026, 11, 30)), "This article has expired"),
        (lambda: article(valid_from=date(2027, 1, 1)), "not valid yet"),
        ("archived", "This article is archived"),
        (lambda: None, "This article no longer exists"),
    ],
)
def test_an_article_that_may_not_be_given_is_refused_and_nothing_is_saved(
    operator_client, people, categories, rules, beijing, django_capture_on_commit_callbacks, make, message
):
    if make == "archived":
        chosen = article()
        article_archive(user=people["dispatcher"], article_id=chosen.pk, version=1)
    else:
        chosen = make()
    article_id = chosen.pk if chosen else 987654
    response, _ = answer(operator_client, django_capture_on_commit_callbacks, categories, article_id)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Complaint.objects.exists()
    assert not DirectAnswer.objects.exists()
    assert not KnowledgeArticle.objects.filter(use_count__gt=0).exists()


@pytest.mark.parametrize("article_id", ["", "abc", "-1", "9" * 40])
def test_a_mangled_article_id_is_refused_cleanly(
    operator_client, categories, rules, beijing, heating, django_capture_on_commit_callbacks, article_id
):
    response, _ = answer(operator_client, django_capture_on_commit_callbacks, categories, article_id)
    assert response.status_code == 200
    assert "This article no longer exists" in response.content.decode()
    assert not Complaint.objects.exists()


def test_an_incomplete_form_is_refused_and_the_article_not_counted(
    operator_client, categories, rules, beijing, heating, django_capture_on_commit_callbacks
):
    response, _ = answer(operator_client, django_capture_on_commit_callbacks, categories, heating.pk, category="")
    assert response.status_code == 200
    assert "Choose what the demand is about." in response.content.decode()
    heating.refresh_from_db()
    assert heating.use_count == 0
    assert not Complaint.objects.exists()


def test_an_emergency_is_not_answered_directly_and_the_article_not_counted(
    operator_client, categories, rules, beijing, heating, django_capture_on_commit_callbacks
):
    response, _ = answer(
        operator_client,
        django_capture_on_commit_callbacks,
        categories,
        heating.pk,
        description="家里暖气管爆了，着火了",
    )
    assert response.status_code == 200
    assert "do not answer it directly" in response.content.decode()
    heating.refresh_from_db()
    assert heating.use_count == 0
    assert not Complaint.objects.exists()


def test_the_service_refuses_anyone_outside_the_centre(people, categories, beijing, heating):
    data = HotlineDemand(
        caller_phone="13800138000",
        caller_name="张先生",
        category=categories["noise_construction"],
        region=beijing["duofuxiang"],
        description="问供暖",
    )
    for who in ("donghuamen_handler", "city_supervisor", "nobody"):
        with pytest.raises(NotFound):
            consultation_answer_directly(user=people[who], article_id=heating.pk, data=data)
    assert not Complaint.objects.exists()
    heating.refresh_from_db()
    assert heating.use_count == 0


def test_a_token_that_filed_a_routed_demand_is_not_turned_into_an_answer(operator, categories, beijing, heating):
    import uuid

    token = uuid.uuid4()
    routed = complaint_submit(
        category=categories["noise_construction"],
        region=beijing["duofuxiang"],
        address="东华门大街 1 号",
        description="施工噪声",
        resident_name="张先生",
        resident_phone="13800138000",
        submission_token=token,
        answers={"noise_time": "night"},
    )
    data = HotlineDemand(
        caller_phone="13800138000",
        caller_name="张先生",
        category=categories["noise_construction"],
        region=beijing["duofuxiang"],
        description="问供暖",
        submission_token=token,
    )
    assert consultation_answer_directly(user=operator, article_id=heating.pk, data=data) == routed
    assert not DirectAnswer.objects.exists()
    with pytest.raises(ActionRefused):
        consultation_answer_directly(
            user=operator,
            article_id=heating.pk + 1000,
            data=HotlineDemand(**{**data.__dict__, "submission_token": None}),
        )

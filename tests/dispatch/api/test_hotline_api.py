# ruff: noqa: F811
"""The hotline desk over the API: the caller's history, filing for the caller
(the category's questions answered, repeats linked, routed like any demand, an
Idempotency-Key retry filing once) and a consultation answered directly; every
mistake a field error with nothing saved, and 404 for anyone outside the centre."""

import pytest

from complaints.models import Channel, Complaint, ComplaintStatus, DemandType, Priority
from dispatch.models import Assignment, DirectAnswer

# The shared fixtures are imported by name, so pytest finds them and ruff sees them used.
from tests.dispatch.hotline_setup import article, noise_time, operator, submit  # noqa: F401

HISTORY = "/api/v1/hotline/history/"
DEMANDS = "/api/v1/hotline/demands/"
DIRECT = "/api/v1/hotline/direct-answers/"


def body(categories, **overrides) -> dict:
    data = {
        "caller_phone": "138 0013 8000",
        "caller_name": "张先生",
        "category": categories["noise_construction"].pk,
        "region": "110101001001",
        "address": "东华门大街 1 号",
        "description": "凌晨两点还在施工，噪声很大",
        "answers": {"noise_time": "night"},
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def consultation(categories, heating, **overrides) -> dict:
    defaults = {"address": None, "answers": None, "description": "问供暖从哪天开始", "article": heating.pk}
    return body(categories, **{**defaults, **overrides})


@pytest.fixture
def as_operator(api_as, operator):
    return api_as(operator)


def file(client, captured, url, data, **headers):
    with captured(execute=True):
        return client.post(url, data, format="json", headers=headers)


# --- Filing -------------------------------------------------------------------------


def test_the_operator_files_a_noise_complaint_with_its_answer_and_it_is_routed_to_the_street(
    as_operator, operator, categories, rules, beijing, units, django_capture_on_commit_callbacks
):
    response = file(as_operator, django_capture_on_commit_callbacks, DEMANDS, body(categories, urgent=True))

    assert response.status_code == 201, response.content
    answer = response.json()
    complaint = Complaint.objects.get()
    assert answer["tracking_number"] == complaint.tracking_number
    assert (answer["channel"], answer["demand_type"], answer["priority"]) == ("hotline", "complaint", "urgent")
    assert answer["answers"] == {"noise_time": "night"}
    assert answer["place"]["path"] == "东城区 › 东华门街道 › 多福巷社区"
    assert (answer["repeat_of"], answer["repeat_count"], answer["emergency_notice"]) == (None, 0, None)
    assert complaint.channel == Channel.HOTLINE and complaint.filed_by == operator
    assert complaint.resident_phone == "13800138000"
    assert complaint.answers == {"noise_time": "night"}
    assert complaint.status == ComplaintStatus.ASSIGNED
    assert Assignment.objects.get(complaint=complaint).unit == units["donghuamen"]


def test_a_missing_answer_is_a_field_error_and_nothing_is_saved(
    as_operator, categories, rules, beijing, django_capture_on_commit_callbacks
):
    response = file(as_operator, django_capture_on_commit_callbacks, DEMANDS, body(categories, answers={}))

    assert response.status_code == 400
    assert response.json()["fields"] == {"answers.noise_time": ["Answer this question."]}
    assert not Complaint.objects.exists()


def test_a_second_call_about_the_same_matter_is_linked_as_a_repeat(
    as_operator, categories, rules, beijing, submit, django_capture_on_commit_callbacks
):
    first = submit()

    response = file(as_operator, django_capture_on_commit_callbacks, DEMANDS, body(categories))

    assert response.status_code == 201, response.content
    assert (response.json()["repeat_of"], response.json()["repeat_count"]) == (first.tracking_number, 1)


def test_an_emergency_word_files_it_urgent_with_the_notice_for_the_caller(
    as_operator, categories, rules, beijing, django_capture_on_commit_callbacks
):
    data = body(categories, description="楼道里着火了，有烟")

    answer = file(as_operator, django_capture_on_commit_callbacks, DEMANDS, data).json()

    assert answer["priority"] == Priority.URGENT
    assert "着火" in answer["emergency_words"]
    assert "call 110, 119 or 120" in answer["emergency_notice"]


def test_a_retry_with_the_same_idempotency_key_gives_the_first_demand(
    as_operator, api_as, categories, rules, beijing, units, django_capture_on_commit_callbacks
):
    captured = django_capture_on_commit_callbacks
    first = file(as_operator, captured, DEMANDS, body(categories), **{"Idempotency-Key": "call-1"})
    again = file(as_operator, captured, DEMANDS, body(categories, caller_name="李"), **{"Idempotency-Key": "call-1"})

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["tracking_number"] == first.json()["tracking_number"]
    assert Complaint.objects.count() == 1
    # Another operator's key is their own.
    from tests.dispatch.callbacks_setup import make_operator

    other = file(api_as(make_operator(units)), captured, DEMANDS, body(categories), **{"Idempotency-Key": "call-1"})
    assert other.status_code == 201
    assert Complaint.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"caller_phone": "12345"}, "caller_phone"),
        ({"caller_phone": 13800138000}, "caller_phone"),
        ({"caller_name": ""}, "caller_name"),
        ({"category": 999999}, "category"),
        ({"category": "noise"}, "category"),
        ({"region": "310101001001"}, "region"),  # a place in Shanghai
        ({"region": "110101"}, "region"),  # a district: the street is needed
        ({"region": None}, "region"),
        ({"address": ""}, "address"),
        ({"description": ""}, "description"),
        ({"demand_type": "gossip"}, "demand_type"),
        ({"answers": {"noise_time": "sometimes"}}, "answers.noise_time"),
        ({"answers": {"colour": "red", "noise_time": "night"}}, "answers.colour"),
        ({"answers": ["night"]}, "answers"),
    ],
)
def test_bad_input_is_a_field_error_and_nothing_is_saved(
    as_operator, categories, rules, beijing, django_capture_on_commit_callbacks, overrides, field
):
    data = body(categories, **overrides)
    if overrides == {"region": None}:
        data.pop("region", None)

    response = file(as_operator, django_capture_on_commit_callbacks, DEMANDS, data)

    assert response.status_code == 400, response.content
    assert field in response.json()["fields"], response.json()
    assert not Complaint.objects.exists()


def test_a_bad_idempotency_key_is_refused(as_operator, categories, rules, beijing, django_capture_on_commit_callbacks):
    response = file(
        as_operator, django_capture_on_commit_callbacks, DEMANDS, body(categories), **{"Idempotency-Key": ""}
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["fields"]
    assert not Complaint.objects.exists()


def test_a_consultation_needs_no_address(as_operator, categories, rules, beijing, django_capture_on_commit_callbacks):
    data = body(categories, demand_type="consultation", address=None)

    response = file(as_operator, django_capture_on_commit_callbacks, DEMANDS, data)

    assert response.status_code == 201, response.content
    assert Complaint.objects.get().demand_type == DemandType.CONSULTATION


# --- Answered directly --------------------------------------------------------------


def test_a_consultation_under_a_noise_category_is_answered_directly_without_answers(
    as_operator, operator, categories, rules, beijing, django_capture_on_commit_callbacks
):
    heating = article()

    response = file(as_operator, django_capture_on_commit_callbacks, DIRECT, consultation(categories, heating))

    assert response.status_code == 201, response.content
    answer = response.json()
    assert (answer["status"], answer["demand_type"], answer["answers"]) == ("closed", "consultation", {})
    assert answer["article"] == {"id": heating.pk, "title": heating.title, "version": 1}
    complaint = Complaint.objects.get()
    assert complaint.status == ComplaintStatus.CLOSED and not Assignment.objects.exists()
    assert DirectAnswer.objects.get().operator == operator
    heating.refresh_from_db()
    assert heating.use_count == 1


def test_a_direct_answer_retried_with_its_key_counts_the_article_once(
    as_operator, categories, rules, beijing, django_capture_on_commit_callbacks
):
    heating = article()
    captured = django_capture_on_commit_callbacks
    first = file(as_operator, captured, DIRECT, consultation(categories, heating), **{"Idempotency-Key": "k"})
    again = file(as_operator, captured, DIRECT, consultation(categories, heating), **{"Idempotency-Key": "k"})

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["article"]["id"] == heating.pk
    heating.refresh_from_db()
    assert heating.use_count == 1 and Complaint.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"article": 999999}, "article"),
        ({"article": None}, "article"),
        ({"answers": {"noise_time": "sometimes"}}, "answers.noise_time"),
        ({"description": "家里着火了怎么办"}, None),
    ],
)
def test_a_direct_answer_that_may_not_be_given_saves_nothing(
    as_operator, categories, rules, beijing, django_capture_on_commit_callbacks, overrides, field
):
    heating = article()
    data = consultation(categories, heating, **{k: v for k, v in overrides.items() if v is not None})
    if overrides == {"article": None}:
        data.pop("article")

    response = file(as_operator, django_capture_on_commit_callbacks, DIRECT, data)

    assert response.status_code == 400, response.content
    if field:
        assert field in response.json()["fields"], response.json()
    assert not Complaint.objects.exists() and not DirectAnswer.objects.exists()
    heating.refresh_from_db()
    assert heating.use_count == 0


def test_an_archived_article_may_not_be_given(
    as_operator, people, categories, rules, beijing, django_capture_on_commit_callbacks
):
    from dispatch.services.knowledge import article_archive

    heating = article()
    article_archive(user=people["dispatcher"], article_id=heating.pk, version=1)

    response = file(as_operator, django_capture_on_commit_callbacks, DIRECT, consultation(categories, heating))

    assert response.status_code == 400
    assert "article" in response.json()["fields"]
    assert not Complaint.objects.exists()


# --- The caller's history -----------------------------------------------------------


def test_the_history_lists_the_callers_demands_and_the_matter_a_new_one_would_repeat(
    as_operator, categories, beijing, submit, django_assert_num_queries
):
    first = submit()
    submit(category="market_food", description="买到过期面包")

    query = {"phone": "+86 138 0013 8000", "category": categories["noise_construction"].pk, "region": "110101001002"}
    # The category comes from the tree the filings above read (complaints.services.categories).
    with django_assert_num_queries(8):
        response = as_operator.get(HISTORY, query)

    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["phone"], answer["total"], answer["open_count"]) == ("13800138000", 2, 2)
    newest, oldest = answer["rows"]
    assert newest["category"]["code"] == "market.food" and newest["holder"] == "东城区市场监督管理局"
    assert oldest["tracking_number"] == first.tracking_number
    assert (oldest["status"], oldest["holder"], oldest["repeat_of"], oldest["repeat_count"]) == (
        "assigned",
        "东华门街道办事处",
        None,
        0,
    )
    assert oldest["place"]["path"] == "东城区 › 东华门街道 › 多福巷社区"
    assert answer["repeat"]["first"] == first.tracking_number
    assert answer["repeat"]["repeat_count"] == 0


def test_a_number_never_heard_has_an_empty_history(as_operator, categories, beijing):
    answer = as_operator.get(HISTORY, {"phone": "13900139000"}).json()
    assert (answer["total"], answer["rows"], answer["repeat"]) == (0, [], None)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "phone"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "1" * 40}, "phone"),
        ({"phone": "13800138000", "category": "x"}, "category"),
        ({"phone": "13800138000", "category": "999999"}, "category"),
        ({"phone": "13800138000", "region": "abc"}, "region"),
    ],
)
def test_a_bad_history_query_is_a_field_error(as_operator, categories, beijing, query, field):
    response = as_operator.get(HISTORY, query)
    assert response.status_code == 400
    assert field in response.json()["fields"], response.json()


# --- Only the centre ----------------------------------------------------------------

OUTSIDERS = ["donghuamen_handler", "market_handler", "dongcheng_supervisor", "city_supervisor", "nobody"]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_everyone_outside_the_centre_gets_404_and_nothing_is_saved(
    api_as, people, categories, rules, beijing, submit, who, django_capture_on_commit_callbacks
):
    submit()
    heating = article()
    client = api_as(who)
    captured = django_capture_on_commit_callbacks

    assert client.get(HISTORY, {"phone": "13800138000"}).status_code == 404
    assert client.get(HISTORY, {"phone": "bad"}).status_code == 404  # no word about the input
    assert file(client, captured, DEMANDS, body(categories)).status_code == 404
    assert file(client, captured, DEMANDS, {}).status_code == 404
    assert file(client, captured, DIRECT, consultation(categories, heating)).status_code == 404
    assert Complaint.objects.count() == 1 and not DirectAnswer.objects.exists()


def test_the_anonymous_get_401(api_as, categories, beijing):
    client = api_as()
    assert client.get(HISTORY, {"phone": "13800138000"}).status_code == 401
    assert client.post(DEMANDS, body(categories), format="json").status_code == 401
    assert not Complaint.objects.exists()


def test_a_dispatcher_of_the_centre_may_file_too(
    api_as, categories, rules, beijing, django_capture_on_commit_callbacks
):
    response = file(api_as("dispatcher"), django_capture_on_commit_callbacks, DEMANDS, body(categories))
    assert response.status_code == 201, response.content

"""The callback queue (回访) over the API: the same queue, phone rating and "no
answer" as the desk pages, the same refusals (400, nothing saved), the rows'
personal data in the log, and 404 for anyone outside the 12345 centre."""

from datetime import timedelta

import pytest
import time_machine

from complaints.models import Rating
from dispatch.models import CallbackAttempt, PersonalDataDoor, PersonalDataView
from tests.dispatch.callbacks_setup import REPLY, RESOLVED_AT, make_operator, resolve

QUEUE = "/api/v1/callbacks/"
A_DAY_LATER = RESOLVED_AT + timedelta(days=1, minutes=5)


def rate_url(complaint) -> str:
    return f"/api/v1/callbacks/{complaint.tracking_number}/rate/"


def no_answer_url(complaint) -> str:
    return f"/api/v1/callbacks/{complaint.tracking_number}/no-answer/"


@pytest.fixture
def operator(units):
    return make_operator(units)


@pytest.fixture
def resolved(submit, people):
    with time_machine.travel(RESOLVED_AT, tick=False):
        return resolve(submit(resident_name="王芳", resident_phone="13912345678"), people["donghuamen_handler"])


def test_the_queue_lists_due_orders_with_the_residents_number_and_logs_the_view(api_as, operator, resolved):
    client = api_as(operator)

    with time_machine.travel(RESOLVED_AT + timedelta(hours=23), tick=False):
        early = client.get(QUEUE)
    with time_machine.travel(A_DAY_LATER, tick=False):
        response = client.get(QUEUE)

    assert early.status_code == 200 and early.json()["results"] == []
    assert response.status_code == 200, response.content
    [row] = response.json()["results"]
    assert row["tracking_number"] == resolved.tracking_number
    assert row["resident"] == {"name": "王芳", "phone": "13912345678"}
    assert (row["reply"], row["resolved_by"], row["attempts"], row["attempts_allowed"]) == (
        REPLY,
        "东华门街道办事处",
        0,
        3,
    )
    assert row["place"]["path"] == "东城区 › 东华门街道 › 多福巷社区"
    assert list(PersonalDataView.objects.values_list("user_id", "complaint_id", "door")) == [
        (operator.pk, resolved.pk, PersonalDataDoor.CALLBACK_API)
    ]


def test_a_phone_rating_over_the_api_closes_the_order(api_as, operator, resolved):
    with time_machine.travel(A_DAY_LATER, tick=False):
        response = api_as(operator).post(
            rate_url(resolved), {"solved": True, "satisfaction": "basically", "comment": "还行"}
        )

    assert response.status_code == 201, response.content
    answer = response.json()
    assert (answer["status"], answer["round"], answer["satisfaction"], answer["by_phone"]) == (
        "closed",
        1,
        "basically",
        True,
    )
    rating = Rating.objects.get()
    assert rating.taken_by == operator and rating.comment == "还行"


def test_not_satisfied_over_the_api_reopens_to_the_unit(api_as, operator, resolved):
    with time_machine.travel(A_DAY_LATER, tick=False):
        response = api_as(operator).post(rate_url(resolved), {"solved": False, "satisfaction": "unsatisfied"})

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "assigned"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"solved": True, "satisfaction": "thrilled"}, "satisfaction"),
        ({"satisfaction": "satisfied"}, "solved"),
        ({"solved": True, "satisfaction": "satisfied", "comment": 5}, "comment"),
        ({"solved": True, "satisfaction": "satisfied", "comment": "长" * 1001}, "comment"),
    ],
)
def test_bad_answers_are_field_errors_and_save_nothing(api_as, operator, resolved, body, field):
    with time_machine.travel(A_DAY_LATER, tick=False):
        response = api_as(operator).post(rate_url(resolved), body)

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Rating.objects.exists()


def test_an_order_not_due_yet_is_refused_with_nothing_saved(api_as, operator, resolved):
    with time_machine.travel(RESOLVED_AT + timedelta(hours=1), tick=False):
        rate = api_as(operator).post(rate_url(resolved), {"solved": True, "satisfaction": "satisfied"})
        missed = api_as(operator).post(no_answer_url(resolved))

    assert (rate.status_code, missed.status_code) == (400, 400)
    assert rate.json()["code"] == "refused"
    assert "due for a callback from 2026-12-02 10:00" in rate.json()["detail"]
    assert not Rating.objects.exists() and not CallbackAttempt.objects.exists()


def test_no_answer_counts_attempts_and_the_last_closes_the_order(api_as, operator, resolved):
    client = api_as(operator)
    answers = []
    for n in range(3):
        with time_machine.travel(A_DAY_LATER + n * timedelta(hours=4), tick=False):
            answers.append(client.post(no_answer_url(resolved)))

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [(a.json()["attempt"], a.json()["closed_unreachable"], a.json()["status"]) for a in answers] == [
        (1, False, "resolved"),
        (2, False, "resolved"),
        (3, True, "closed"),
    ]
    with time_machine.travel(A_DAY_LATER + timedelta(hours=9), tick=False):
        again = client.post(no_answer_url(resolved))
    assert again.status_code == 400 and again.json()["detail"] == "This order is already closed."
    assert CallbackAttempt.objects.count() == 3


@pytest.mark.parametrize("who", ["donghuamen_handler", "dongcheng_supervisor", "nobody"])
def test_outside_the_centre_every_callback_endpoint_is_404_and_changes_nothing(api_as, people, resolved, who):
    client = api_as(who)

    with time_machine.travel(A_DAY_LATER, tick=False):
        answers = [
            client.get(QUEUE),
            client.post(rate_url(resolved), {"solved": True, "satisfaction": "satisfied"}),
            client.post(no_answer_url(resolved)),
        ]

    assert [a.status_code for a in answers] == [404, 404, 404]
    assert not Rating.objects.exists() and not CallbackAttempt.objects.exists()
    assert not PersonalDataView.objects.exists()


def test_anonymous_is_401(api_as, resolved):
    assert api_as().get(QUEUE).status_code == 401
    assert api_as().post(no_answer_url(resolved)).status_code == 401


def test_an_unknown_tracking_number_is_404(api_as, operator):
    response = api_as(operator).post("/api/v1/callbacks/20260000000000/rate/", {"solved": True, "satisfaction": "x"})

    assert response.status_code == 404

"""A phone rating taken on the callback (回访): the operator records the resident's
answers for them; it counts, closes and reopens exactly as the resident's own
rating, is marked "rated by phone" with the operator's name on the staff timeline,
and the resident's tracking page says it was taken on the call. Bad input and
orders that cannot be called now get a clear message and change nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from complaints.models import Rating
from complaints.services.rating import complaint_close_unrated, complaint_rate
from dispatch.models import Assignment, AssignmentReason
from dispatch.selectors import order_get_for
from dispatch.selectors.personal import order_timeline
from dispatch.services.callbacks import callback_no_answer, callback_record_rating
from portal.errors import ActionRefused, NotFound
from tests.dispatch.callbacks_setup import QUEUE, RESOLVED_AT, make_operator, rate_url, resolve

A_DAY_LATER = RESOLVED_AT + timedelta(days=1, minutes=5)


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def operator(units):
    return make_operator(units)


@pytest.fixture
def resolved(submit, people):
    with time_machine.travel(RESOLVED_AT, tick=False):
        return resolve(submit(), people["donghuamen_handler"])


def rate_on_the_call(client, complaint, **data):
    with time_machine.travel(A_DAY_LATER, tick=False):
        return client.post(rate_url(complaint), data, follow=True)


def test_a_day_later_the_operator_records_the_residents_phone_rating_from_the_queue(client, operator, people, resolved):
    client.force_login(operator)
    with time_machine.travel(A_DAY_LATER, tick=False):
        assert resolved.tracking_number in client.get(QUEUE).content.decode()

    response = rate_on_the_call(client, resolved, solved="yes", satisfaction="satisfied", comment="夜里安静多了，谢谢")

    assert response.redirect_chain == [(QUEUE, 302)]
    assert f"Order {resolved.tracking_number}: rating recorded and the order closed." in response.content.decode()
    assert response.context["rows"] == []
    rating = Rating.objects.get(complaint=resolved)
    assert (rating.round, rating.solved, rating.satisfaction, rating.comment) == (
        1,
        True,
        "satisfied",
        "夜里安静多了，谢谢",
    )
    assert rating.by_phone and rating.taken_by == operator
    resolved.refresh_from_db()
    assert resolved.status == "closed"

    # Staff read who took it; the resident reads that it was taken on the call, with no staff name.
    view = order_get_for(user=people["dispatcher"], tracking_number=resolved.tracking_number)
    (line,) = [line for line in order_timeline(view=view) if line.fact == "rated_by_phone"]
    assert line.person == "李丽"
    assert line.text.startswith("Rated by phone on the 12345 centre's callback. Solved: yes. Satisfaction: Satisfied.")
    assert "夜里安静多了，谢谢" in line.text
    order_page = client_for(people["dispatcher"]).get(reverse("dispatch:order", args=[resolved.tracking_number]))
    assert "(李丽)" in order_page.content.decode()

    public = resident_page(resolved)
    assert "Your answers on the 12345 centre&#x27;s call back. Solved: yes. Satisfaction: Satisfied." in public
    assert "李丽" not in public


def test_not_satisfied_on_the_phone_reopens_to_the_unit_that_resolved_it(client, operator, units, resolved):
    client.force_login(operator)

    response = rate_on_the_call(client, resolved, solved="no", satisfaction="unsatisfied", comment="晚上还在施工")

    assert f"Order {resolved.tracking_number}: rating recorded; not satisfied" in response.content.decode()
    resolved.refresh_from_db()
    assert resolved.status == "assigned" and resolved.reopen_count == 1
    again = Assignment.objects.filter(complaint=resolved).latest("assigned_at")
    assert again.unit == units["donghuamen"] and again.reason == AssignmentReason.REOPENED
    facts = list(resolved.events.order_by("pk").values_list("data__fact", flat=True))
    # Exactly the resident's own path: their rating, their reopening, the hand-back.
    assert facts[-3:] == ["rated_by_phone", "reopened", "reassigned"]
    assert resolved.events.get(data__fact="reopened").data["by"] == "resident"


def test_the_same_rating_by_the_resident_and_by_phone_reopens_the_same_way(submit, people, operator):
    """Side by side: the resident's own "not satisfied" and one taken on the phone."""
    handler = people["donghuamen_handler"]
    with time_machine.travel(RESOLVED_AT, tick=False):
        own = resolve(submit(resident_phone="13800138001"), handler)
        by_phone = resolve(submit(resident_phone="13800138002"), handler)
    with time_machine.travel(A_DAY_LATER, tick=False):
        complaint_rate(complaint_id=own.pk, solved=False, satisfaction="unsatisfied")
        callback_record_rating(
            user=operator, complaint_id=by_phone.pk, solved=False, satisfaction="unsatisfied", comment=""
        )

    def path(complaint):
        complaint.refresh_from_db()
        facts = complaint.events.order_by("pk").values_list("data__fact", flat=True)
        return complaint.status, complaint.reopen_count, [f.replace("rated_by_phone", "rated") for f in facts]

    assert path(own) == path(by_phone)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"solved": "yes", "satisfaction": "thrilled"}, "Choose how satisfied the resident is"),
        ({"solved": "yes"}, "Choose how satisfied the resident is"),
        ({"solved": "maybe", "satisfaction": "satisfied"}, "Choose whether the resident says the problem is solved."),
        ({"solved": "yes", "satisfaction": "satisfied", "comment": "长" * 1001}, "at most 1000 characters"),
    ],
)
def test_a_bad_answer_is_a_form_error_and_saves_nothing(client, operator, resolved, data, error):
    client.force_login(operator)

    with time_machine.travel(A_DAY_LATER, tick=False):
        response = client.post(rate_url(resolved), data)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Rating.objects.exists()
    resolved.refresh_from_db()
    assert resolved.status == "resolved"


def refused(client, complaint, when=A_DAY_LATER) -> str:
    with time_machine.travel(when, tick=False):
        response = client.post(rate_url(complaint), {"solved": "yes", "satisfaction": "satisfied"}, follow=True)
    assert response.redirect_chain == [(QUEUE, 302)]
    return response.content.decode()


def test_an_order_not_yet_resolved_is_refused(client, operator, submit):
    complaint = submit()
    client.force_login(operator)

    html = refused(client, complaint)

    assert f"Order {complaint.tracking_number}: Only a resolved order waits for a callback; this one is" in html
    assert not Rating.objects.exists()


def test_an_order_the_resident_already_rated_is_refused(client, operator, resolved):
    complaint_rate(complaint_id=resolved.pk, solved=True, satisfaction="basically")
    client.force_login(operator)

    html = refused(client, resolved)

    assert "The resident has already rated this resolution." in html
    assert list(Rating.objects.values_list("by_phone", "satisfaction")) == [(False, "basically")]


def test_an_order_already_closed_unrated_is_refused(client, operator, resolved, settings):
    with time_machine.travel(RESOLVED_AT + settings.WHISTLE_RATING_WINDOW + timedelta(minutes=1), tick=False):
        assert complaint_close_unrated(complaint_id=resolved.pk)
    client.force_login(operator)

    html = refused(client, resolved, when=RESOLVED_AT + timedelta(days=8))

    assert "This order is already closed." in html
    assert not Rating.objects.exists()


def test_an_order_is_not_called_before_the_delay(client, operator, resolved):
    client.force_login(operator)

    html = refused(client, resolved, when=RESOLVED_AT + timedelta(hours=2))

    # Beijing time: the resident keeps the first day to rate it themselves.
    assert "This order is due for a callback from 2026-12-02 10:00" in html
    assert not Rating.objects.exists()
    with time_machine.travel(RESOLVED_AT + timedelta(hours=2), tick=False):
        page = client.get(reverse("dispatch:callback", args=[resolved.tracking_number])).content.decode()
    assert "This order is due for a callback from 2026-12-02 10:00" in page
    assert f'action="{rate_url(resolved)}"' not in page


def test_two_operators_rating_at_once_give_one_rating_and_one_clear_refusal(operator, units, resolved):
    colleague = make_operator(units, username="operator_wang", name="王强")
    with time_machine.travel(A_DAY_LATER, tick=False):
        callback_record_rating(user=operator, complaint_id=resolved.pk, solved=True, satisfaction="satisfied")
        with pytest.raises(ActionRefused, match="already rated"):
            callback_record_rating(user=colleague, complaint_id=resolved.pk, solved=False, satisfaction="unsatisfied")

    assert list(Rating.objects.values_list("taken_by__username", "satisfaction")) == [("operator_li", "satisfied")]


def test_a_resident_who_missed_the_call_can_be_rated_when_they_ring_back(operator, resolved):
    with time_machine.travel(A_DAY_LATER, tick=False):
        callback_no_answer(user=operator, complaint_id=resolved.pk)
    with time_machine.travel(A_DAY_LATER + timedelta(minutes=10), tick=False):
        callback_record_rating(user=operator, complaint_id=resolved.pk, solved=True, satisfaction="basically")

    resolved.refresh_from_db()
    assert resolved.status == "closed"


def test_a_handler_cannot_take_a_phone_rating_through_the_service(people, resolved):
    with time_machine.travel(A_DAY_LATER, tick=False), pytest.raises(NotFound):
        callback_record_rating(
            user=people["donghuamen_handler"], complaint_id=resolved.pk, solved=True, satisfaction="satisfied"
        )

    assert not Rating.objects.exists()


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def resident_page(complaint) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        reverse("complaints:track"), {"tracking_number": complaint.tracking_number, "phone_last4": "8000"}
    )
    assert response.status_code == 303
    return client.get(reverse("complaints:track_detail", args=[complaint.tracking_number])).content.decode()

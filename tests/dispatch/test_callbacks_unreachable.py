"""Callbacks nobody answers (回访未接通): each is an attempt on the current
resolution; the WHISTLE_CALLBACK_ATTEMPTS-th closes the order as "resident
unreachable", with no rating, so it counts in neither the resolution nor the
satisfaction rate. The month's rates for a unit with a resident's own rating,
phone ratings and an unreachable order come out as the README's formulas say."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from complaints.models import Rating
from complaints.services.rating import complaint_rate
from dispatch.models import Assignment, AssignmentRole, CallbackAttempt, UnitKind
from dispatch.reports.periods import Month
from dispatch.reports.rankings import unit_rankings
from dispatch.reports.scope import report_scope_for
from dispatch.selectors import order_get_for
from dispatch.selectors.personal import order_timeline
from dispatch.services.assignments import assignment_accept, assignment_record_contact, assignment_resolve
from dispatch.services.callbacks import callback_no_answer, callback_record_rating
from portal.errors import ActionRefused
from tests.dispatch.callbacks_setup import BJ, QUEUE, RESOLVED_AT, make_operator, no_answer_url, resolve

FIRST_CALL = RESOLVED_AT + timedelta(days=1, minutes=5)
RETRY = timedelta(hours=4)


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


def no_answer(client, complaint, at) -> str:
    with time_machine.travel(at, tick=False):
        response = client.post(no_answer_url(complaint), follow=True)
    assert response.redirect_chain == [(QUEUE, 302)]
    return response.content.decode()


def test_after_three_unanswered_calls_the_order_closes_as_resident_unreachable(client, operator, people, resolved):
    client.force_login(operator)
    number = resolved.tracking_number

    first = no_answer(client, resolved, FIRST_CALL)
    second = no_answer(client, resolved, FIRST_CALL + RETRY)
    resolved.refresh_from_db()
    assert resolved.status == "resolved"
    third = no_answer(client, resolved, FIRST_CALL + 2 * RETRY)

    assert f"Order {number}: no answer (attempt 1 of 3); it comes back later." in first
    assert f"Order {number}: no answer (attempt 2 of 3); it comes back later." in second
    assert f"Order {number}: no answer (attempt 3 of 3); closed as “resident unreachable”, with no rating." in third
    resolved.refresh_from_db()
    assert resolved.status == "closed"
    assert not Rating.objects.exists()
    assert list(CallbackAttempt.objects.values_list("round", "operator__username")) == [(1, "operator_li")] * 3

    view = order_get_for(user=people["dispatcher"], tracking_number=number)
    lines = [line for line in order_timeline(view=view) if line.fact in ("callback_unanswered", "closed_unreachable")]
    assert [(line.text, line.person, line.public) for line in lines] == [
        ("Callback: no answer (attempt 1 of 3).", "李丽", False),
        ("Callback: no answer (attempt 2 of 3).", "李丽", False),
        ("Callback: no answer (attempt 3 of 3).", "李丽", False),
        ("Closed: the resident could not be reached for the callback, so it is not rated.", "李丽", True),
    ]


def test_the_number_of_attempts_is_a_setting(operator, resolved, settings):
    settings.WHISTLE_CALLBACK_ATTEMPTS = 1

    with time_machine.travel(FIRST_CALL, tick=False):
        outcome = callback_no_answer(user=operator, complaint_id=resolved.pk)

    assert (outcome.attempt, outcome.attempts, outcome.closed) == (1, 1, True)
    resolved.refresh_from_db()
    assert resolved.status == "closed"


def test_a_second_no_answer_within_the_retry_interval_is_refused(client, operator, units, resolved):
    """Two operators on the same row: one attempt counted, one clear refusal."""
    colleague = make_operator(units, username="operator_wang", name="王强")
    with time_machine.travel(FIRST_CALL, tick=False):
        callback_no_answer(user=operator, complaint_id=resolved.pk)
    client.force_login(colleague)

    html = no_answer(client, resolved, FIRST_CALL + timedelta(minutes=1))

    assert (
        f"Order {resolved.tracking_number}: An unanswered callback was recorded at 2026-12-02 10:05; "
        "call again from 2026-12-02 14:05." in html
    )
    assert CallbackAttempt.objects.count() == 1
    assert resolved.events.filter(data__fact="callback_unanswered").count() == 1


@pytest.mark.parametrize("state", ["in_progress", "rated", "unreachable"])
def test_no_answer_on_an_order_that_is_not_waiting_is_refused_and_saves_nothing(
    client, operator, submit, resolved, settings, state
):
    if state == "in_progress":
        complaint = submit(resident_phone="13900000001")
    elif state == "rated":
        complaint = resolved
        complaint_rate(complaint_id=complaint.pk, solved=True, satisfaction="satisfied")
    else:
        complaint = resolved
        settings.WHISTLE_CALLBACK_ATTEMPTS = 1
        with time_machine.travel(FIRST_CALL, tick=False):
            callback_no_answer(user=operator, complaint_id=complaint.pk)
    attempts = CallbackAttempt.objects.count()
    client.force_login(operator)

    html = no_answer(client, complaint, FIRST_CALL + timedelta(days=1))

    expected = {
        "in_progress": "Only a resolved order waits for a callback",
        "rated": "The resident has already rated this resolution.",
        "unreachable": "This order is already closed.",
    }[state]
    assert f"Order {complaint.tracking_number}: {expected}" in html
    assert CallbackAttempt.objects.count() == attempts


def test_calls_are_counted_per_resolution(operator, people, resolved):
    """Two unanswered calls, then the resident rings back not satisfied: the order is
    reopened and resolved again, and the new resolution starts with no calls."""
    with time_machine.travel(FIRST_CALL, tick=False):
        callback_no_answer(user=operator, complaint_id=resolved.pk)
    with time_machine.travel(FIRST_CALL + RETRY, tick=False):
        callback_no_answer(user=operator, complaint_id=resolved.pk)
        callback_record_rating(user=operator, complaint_id=resolved.pk, solved=False, satisfaction="unsatisfied")
        resolve(resolved, people["donghuamen_handler"])

    with time_machine.travel(FIRST_CALL + RETRY + timedelta(days=1), tick=False):
        outcome = callback_no_answer(user=operator, complaint_id=resolved.pk)

    assert (outcome.attempt, outcome.closed) == (1, False)
    assert list(CallbackAttempt.objects.order_by("pk").values_list("round", flat=True)) == [1, 1, 2]


def test_an_order_cannot_be_reported_unanswered_before_it_is_due(operator, resolved):
    with time_machine.travel(RESOLVED_AT + timedelta(hours=3), tick=False), pytest.raises(ActionRefused) as refused:
        callback_no_answer(user=operator, complaint_id=resolved.pk)

    assert "due for a callback from 2026-12-02 10:00" in str(refused.value)
    assert not CallbackAttempt.objects.exists()


# --- the month's rates ------------------------------------------------------------


def dec(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=BJ)


def test_the_months_rates_count_phone_ratings_as_the_residents_own_and_unreachable_orders_in_neither(
    client, operator, people, units, submit
):
    """东华门街道, December 2026, four orders:

    c1 the resident rates it themselves: solved, basically satisfied;
    c2 rated by phone on the callback: solved, satisfied;
    c3 rated by phone: not solved, not satisfied → reopened to 东华门, resolved again the same day;
    c4 contacted after its contact deadline; three calls unanswered → closed "resident unreachable".

    response     = contact deadlines met ÷ due = 4 ÷ 5 (c1 c2 c3 c3′ on time, c4 late) = 80 %
    resolution   = solved ÷ ratings = 2 ÷ 3 (c4 has no rating) = 66.7 %
    satisfaction = (1.0 × 1 + 0.8 × 1) ÷ 3 = 60 %
    composite    = 0.2 × 0.8 + 0.4 × 2/3 + 0.4 × 0.6 = 66.7 %
    """
    handler = people["donghuamen_handler"]
    with time_machine.travel(dec(1, 9), tick=False):
        c1, c2, c3, c4 = (submit(resident_phone=f"1380013800{n}") for n in range(1, 5))
    with time_machine.travel(dec(1, 10), tick=False):
        for complaint in (c1, c2, c3):
            resolve(complaint, handler)
        late = Assignment.objects.get(complaint=c4)
        assignment_accept(user=handler, assignment_id=late.pk)
    with time_machine.travel(late.contact_due + timedelta(hours=1), tick=False):
        assignment_record_contact(user=handler, assignment_id=late.pk, note="联系晚了")
        assignment_resolve(user=handler, assignment_id=late.pk, reply="已处理")
    c4_resolved = late.contact_due + timedelta(hours=1)
    with time_machine.travel(dec(1, 12), tick=False):
        complaint_rate(complaint_id=c1.pk, solved=True, satisfaction="basically")
    client.force_login(operator)
    with time_machine.travel(dec(2, 11), tick=False):
        for complaint, answers in ((c2, ("yes", "satisfied")), (c3, ("no", "unsatisfied"))):
            response = client.post(
                reverse("dispatch:callback_rate", args=[complaint.tracking_number]),
                {"solved": answers[0], "satisfaction": answers[1]},
            )
            assert response.status_code == 302
    with time_machine.travel(dec(2, 11, 30), tick=False):
        resolve(c3, handler)
    for n in range(3):
        no_answer(client, c4, c4_resolved + timedelta(days=1, hours=4 * n))
    c4.refresh_from_db()
    assert c4.status == "closed"
    assert Assignment.objects.filter(complaint__in=[c1, c2, c3, c4], role=AssignmentRole.LEAD).count() == 5

    with time_machine.travel(dec(4, 9), tick=False):
        rows = unit_rankings(
            scope=report_scope_for(user=people["city_supervisor"]),
            kind=UnitKind.STREET_OFFICE,
            month=Month(2026, 12),
            now=dec(4, 9),
        )

    (dhm,) = [row for row in rows if row.unit == units["donghuamen"]]
    assert (dhm.due, dhm.met) == (5, 4)
    assert (dhm.rated, dhm.solved, dhm.satisfied, dhm.basically) == (3, 2, 1, 1)
    assert dhm.response_rate == pytest.approx(0.8)
    assert dhm.resolution_rate == pytest.approx(2 / 3)
    assert dhm.satisfaction_rate == pytest.approx(0.6)
    assert dhm.composite == pytest.approx(0.2 * 0.8 + 0.4 * 2 / 3 + 0.4 * 0.6)
    assert (dhm.response_pct, dhm.resolution_pct, dhm.satisfaction_pct, dhm.composite_pct) == (80.0, 66.7, 60.0, 66.7)


def test_the_rankings_page_says_how_phone_ratings_and_unreachable_orders_count(client, people):
    client.force_login(people["city_supervisor"])

    html = client.get(reverse("dispatch:report_rankings")).content.decode()

    assert "a rating taken by phone on the 12345 centre&#x27;s callback counts as the resident&#x27;s own" in html
    assert "counts in neither this rate nor satisfaction" in html
    assert "an order later closed without a rating still counts" in html

"""The 12345 centre's callback queue (回访): resolved orders nobody rated, due a
configurable delay after resolution, oldest first, with the resident's name and
phone in full (and each view of them in the personal data log); one query for
the page however many rows; nobody outside the centre finds it."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import ComplaintEvent, Rating
from complaints.services.rating import complaint_rate
from dispatch.models import CallbackAttempt, PersonalDataDoor, PersonalDataView
from dispatch.services.callbacks import callback_no_answer
from tests.dispatch.callbacks_setup import QUEUE, REPLY, RESOLVED_AT, make_operator, no_answer_url, rate_url, resolve


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def operator(units):
    return make_operator(units)


@pytest.fixture
def file_and_resolve(submit, people):
    """File a noise complaint at 多福巷 and let 东华门街道 resolve it at `at`."""

    def _file(at, phone="13800138000", **fields):
        with time_machine.travel(at, tick=False):
            return resolve(submit(resident_phone=phone, **fields), people["donghuamen_handler"])

    return _file


def queued(client) -> list[str]:
    response = client.get(QUEUE)
    assert response.status_code == 200
    return [complaint.tracking_number for complaint, _form in response.context["rows"]]


def test_unrated_resolved_orders_join_the_queue_after_the_delay_oldest_first(
    client, operator, submit, people, file_and_resolve
):
    older = file_and_resolve(RESOLVED_AT, phone="13800138001")
    newer = file_and_resolve(RESOLVED_AT + timedelta(hours=1), phone="13800138002")
    too_recent = file_and_resolve(RESOLVED_AT + timedelta(hours=23), phone="13800138003")
    rated = file_and_resolve(RESOLVED_AT, phone="13800138004")
    complaint_rate(complaint_id=rated.pk, solved=True, satisfaction="satisfied")
    with time_machine.travel(RESOLVED_AT, tick=False):
        still_open = submit(resident_phone="13800138005")
    client.force_login(operator)

    with time_machine.travel(RESOLVED_AT + timedelta(hours=25), tick=False):
        listed = queued(client)
    with time_machine.travel(RESOLVED_AT + timedelta(hours=47), tick=False):
        later = queued(client)

    assert listed == [older.tracking_number, newer.tracking_number]
    assert later == [older.tracking_number, newer.tracking_number, too_recent.tracking_number]
    assert still_open.tracking_number not in later and rated.tracking_number not in later


def test_the_delay_is_a_setting(client, operator, settings, file_and_resolve):
    settings.WHISTLE_CALLBACK_DELAY = timedelta(hours=2)
    complaint = file_and_resolve(RESOLVED_AT)
    client.force_login(operator)

    with time_machine.travel(RESOLVED_AT + timedelta(hours=1, minutes=59), tick=False):
        assert queued(client) == []
    with time_machine.travel(RESOLVED_AT + timedelta(hours=2), tick=False):
        assert queued(client) == [complaint.tracking_number]


def test_an_unanswered_call_brings_the_order_back_after_the_retry_interval(client, operator, file_and_resolve):
    complaint = file_and_resolve(RESOLVED_AT)
    client.force_login(operator)
    called = RESOLVED_AT + timedelta(days=1, hours=1)
    with time_machine.travel(called, tick=False):
        callback_no_answer(user=operator, complaint_id=complaint.pk)
        assert queued(client) == []

    with time_machine.travel(called + timedelta(hours=3, minutes=59), tick=False):
        assert queued(client) == []
    with time_machine.travel(called + timedelta(hours=4), tick=False):
        response = client.get(QUEUE)

    (row, _form) = response.context["rows"][0]
    assert row.tracking_number == complaint.tracking_number
    assert row.attempts_made == 1
    assert "1 / 3" in response.content.decode()


def test_each_row_shows_what_the_operator_needs_for_the_call(client, operator, units, file_and_resolve):
    complaint = file_and_resolve(RESOLVED_AT, resident_name="王芳", phone="13912345678")
    hidden = file_and_resolve(RESOLVED_AT, resident_name="赵六", phone="13912340000", hide_name=True)
    client.force_login(operator)

    with time_machine.travel(RESOLVED_AT + timedelta(days=1), tick=False):
        html = client.get(QUEUE).content.decode()

    for shown in (complaint.tracking_number, "施工噪声", "东华门街道 › 多福巷社区", units["donghuamen"].name, REPLY):
        assert shown in html
    assert "2026-12-01 10:00" in html  # resolved at, in Beijing time
    assert "王芳" in html and 'href="tel:13912345678"' in html
    # A resident who asked to hide their name is still called, by number.
    assert "赵六" not in html and 'href="tel:13912340000"' in html
    assert f'action="{rate_url(complaint)}"' in html and f'action="{no_answer_url(complaint)}"' in html
    for value in ("satisfied", "basically", "unsatisfied"):
        assert f'name="satisfaction" value="{value}"' in html
    # Every row's inputs have their own ids, so each label names its own radio.
    assert f'id="cb{complaint.pk}-satisfaction_0"' in html and f'id="cb{hidden.pk}-satisfaction_0"' in html


def test_seeing_the_queue_is_recorded_in_the_personal_data_log_once_per_row(client, operator, file_and_resolve):
    first = file_and_resolve(RESOLVED_AT, phone="13800138001")
    second = file_and_resolve(RESOLVED_AT, phone="13800138002")
    client.force_login(operator)

    with time_machine.travel(RESOLVED_AT + timedelta(days=1), tick=False):
        client.get(QUEUE)
        client.get(reverse("dispatch:callback", args=[first.tracking_number]))

    rows = list(PersonalDataView.objects.order_by("pk").values_list("user_id", "complaint_id", "door"))
    door = PersonalDataDoor.CALLBACK_PAGE
    assert sorted(rows[:2]) == sorted([(operator.pk, first.pk, door), (operator.pk, second.pk, door)])
    assert rows[2:] == [(operator.pk, first.pk, door)]


def test_the_queue_page_costs_the_same_queries_for_one_row_or_many(
    client, operator, file_and_resolve, django_assert_num_queries
):
    file_and_resolve(RESOLVED_AT, phone="13800138001")
    client.force_login(operator)
    now = RESOLVED_AT + timedelta(days=2)

    with time_machine.travel(now, tick=False), CaptureQueriesContext(connection) as one:
        assert len(queued(client)) == 1
    for n in range(2, 6):
        complaint = file_and_resolve(RESOLVED_AT, phone=f"1380013800{n}")
        with time_machine.travel(RESOLVED_AT + timedelta(days=1, hours=1), tick=False):
            callback_no_answer(user=operator, complaint_id=complaint.pk)

    # session, user, memberships; the count and the page's one query; one insert
    # into the personal data log; the desk's unread notifications.
    with time_machine.travel(now, tick=False), django_assert_num_queries(7):
        assert len(queued(client)) == 5
    assert len(one) == 7


# --- the boundary: only the 12345 centre --------------------------------------------


@pytest.mark.parametrize("who", ["donghuamen_handler", "dongcheng_supervisor", "city_supervisor", "nobody"])
def test_outside_the_centre_every_callback_url_is_404_and_a_forged_form_saves_nothing(
    client, people, who, file_and_resolve
):
    complaint = file_and_resolve(RESOLVED_AT)
    client.force_login(people[who])
    events = ComplaintEvent.objects.count()

    with time_machine.travel(RESOLVED_AT + timedelta(days=1), tick=False):
        pages = [client.get(QUEUE), client.get(reverse("dispatch:callback", args=[complaint.tracking_number]))]
        forged = [
            client.post(rate_url(complaint), {"solved": "yes", "satisfaction": "satisfied"}),
            client.post(no_answer_url(complaint)),
        ]

    assert [r.status_code for r in pages + forged] == [404, 404, 404, 404]
    complaint.refresh_from_db()
    assert complaint.status == "resolved"
    assert not Rating.objects.exists() and not CallbackAttempt.objects.exists()
    assert ComplaintEvent.objects.count() == events
    assert not PersonalDataView.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in_and_a_forged_form_saves_nothing(client, file_and_resolve):
    complaint = file_and_resolve(RESOLVED_AT)

    with time_machine.travel(RESOLVED_AT + timedelta(days=1), tick=False):
        responses = [
            client.get(QUEUE),
            client.post(rate_url(complaint), {"solved": "yes", "satisfaction": "satisfied"}),
            client.post(no_answer_url(complaint)),
        ]

    assert all(r.status_code == 302 and r.url.startswith(reverse("login")) for r in responses)
    complaint.refresh_from_db()
    assert complaint.status == "resolved"
    assert not Rating.objects.exists() and not CallbackAttempt.objects.exists()


def test_a_dispatcher_works_the_queue_too(client, people, file_and_resolve):
    complaint = file_and_resolve(RESOLVED_AT)
    client.force_login(people["dispatcher"])

    with time_machine.travel(RESOLVED_AT + timedelta(days=1), tick=False):
        assert queued(client) == [complaint.tracking_number]
        page = client.get(reverse("dispatch:callback", args=[complaint.tracking_number])).content.decode()

    # The dispatcher also has the order page; an operator does not.
    assert reverse("dispatch:order", args=[complaint.tracking_number]) in page


def test_an_unknown_tracking_number_is_404(client, operator):
    client.force_login(operator)
    unknown = "20260000000000"

    assert client.get(reverse("dispatch:callback", args=[unknown])).status_code == 404
    rate = client.post(
        reverse("dispatch:callback_rate", args=[unknown]), {"solved": "yes", "satisfaction": "satisfied"}
    )
    assert rate.status_code == 404
    assert client.post(reverse("dispatch:callback_no_answer", args=[unknown])).status_code == 404


def test_the_callback_page_shows_the_number_only_while_there_is_a_call_to_make(
    client, operator, submit, file_and_resolve
):
    """A tracking number is no key to any resident's phone: an order still being
    handled, or not yet due, shows neither name nor number, and nothing is logged."""
    in_progress = submit(resident_name="王芳", resident_phone="13912345678")
    not_due = file_and_resolve(RESOLVED_AT, phone="13912340000", resident_name="赵六")
    client.force_login(operator)

    with time_machine.travel(RESOLVED_AT + timedelta(hours=1), tick=False):
        pages = [
            client.get(reverse("dispatch:callback", args=[complaint.tracking_number])).content.decode()
            for complaint in (in_progress, not_due)
        ]

    for page, name, phone in zip(pages, ("王芳", "赵六"), ("13912345678", "13912340000"), strict=True):
        assert name not in page and phone not in page
        assert "The resident's name and phone are shown while the order waits for a callback." in page
    assert not PersonalDataView.objects.exists()

# ruff: noqa: F811
"""What the operator sees beside the form: the caller's demands of the last 12
months (only that phone, newest first, with status and the unit holding it),
whether this call repeats a matter (linked and counted when saved), and the open
orders near the place, without personal data. Pinned query counts."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from complaints.models import Complaint, ComplaintStatus
from dispatch.selectors.hotline import caller_history, nearby_open_orders, repeat_matter

# The shared fixtures are imported by name, so pytest finds them and ruff sees them used.
from tests.dispatch.hotline_setup import (  # noqa: F401
    DESK,
    english,
    filed_url,
    form_data,
    noise_time,
    operator,
    operator_client,
    submit,
)
from tests.factories import ComplaintFactory

CALLER = reverse("dispatch:hotline_caller")
NEARBY = reverse("dispatch:hotline_nearby")
NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


def filed_at(when, **fields):
    with time_machine.travel(when, tick=False):
        return ComplaintFactory(**fields)


@pytest.fixture
def history(beijing, categories):
    noise, food = categories["noise_construction"], categories["market_food"]
    place = beijing["duofuxiang"]
    return {
        "old": filed_at("2025-11-01 10:00Z", category=noise, region=place, status=ComplaintStatus.CLOSED),
        "spring": filed_at(
            "2026-04-01 10:00Z", category=food, region=beijing["jianwai"], status=ComplaintStatus.CLOSED
        ),
        "autumn": filed_at("2026-10-01 10:00Z", category=noise, region=place, status=ComplaintStatus.IN_PROGRESS),
        "other_phone": filed_at("2026-10-02 10:00Z", category=noise, region=place, resident_phone="13900139000"),
    }


@time_machine.travel(NOW, tick=False)
def test_history_is_that_phone_only_last_12_months_newest_first(operator, history):
    found = caller_history(user=operator, phone="13800138000")
    assert [c.pk for c in found.rows] == [history["autumn"].pk, history["spring"].pk]
    assert (found.total, found.open_count) == (2, 1)


@time_machine.travel(NOW, tick=False)
def test_history_shows_status_and_the_unit_holding_it(operator_client, operator, submit, units):
    routed = submit()
    page = operator_client.get(DESK + "?caller=13800138000").content.decode()
    assert routed.tracking_number in page
    assert "held by 东华门街道办事处" in page
    assert "status-assigned" in page
    assert "1 demand in the last 12 months, 1 open." in page


@time_machine.travel(NOW, tick=False)
def test_the_page_with_history_costs_a_fixed_number_of_queries(
    operator_client, beijing, categories, django_assert_num_queries
):
    for day in range(1, 4):
        filed_at(f"2026-11-{day:02d} 10:00Z", category=categories["noise_construction"], region=beijing["duofuxiang"])
    # session, user, memberships, categories (2), history (count + rows), unread notifications
    with django_assert_num_queries(8):
        assert operator_client.get(DESK + "?caller=13800138000").status_code == 200
    for day in range(4, 20):
        filed_at(f"2026-11-{day:02d} 10:00Z", category=categories["market_food"], region=beijing["yinzha"])
    with django_assert_num_queries(8):
        page = operator_client.get(DESK + "?caller=13800138000").content.decode()
    assert "19 demands in the last 12 months" in page


@time_machine.travel(NOW, tick=False)
def test_a_repeat_call_is_shown_before_saving_and_linked_and_counted_when_saved(
    operator_client, operator, beijing, categories, rules, submit, django_capture_on_commit_callbacks
):
    first = submit()
    noise = categories["noise_construction"]
    matter = repeat_matter(user=operator, phone="13800138000", category=noise, region=beijing["yinzha"])
    assert (matter.first, matter.repeat_count) == (first, 0)
    query = f"?caller=13800138000&category={noise.pk}&region=110101001002"
    fragment = operator_client.get(CALLER + query).json()["html"]
    assert "Repeat caller on this matter." in fragment
    assert first.tracking_number in fragment

    for expected in (1, 2):
        data = form_data(categories, place="银闸社区")
        with django_capture_on_commit_callbacks(execute=True):
            response = operator_client.post(DESK, data)
        repeat = Complaint.objects.latest("pk")
        assert repeat.repeat_of == first
        page = operator_client.get(response["Location"]).content.decode()
        assert f"Linked as a repeat of {first.tracking_number}" in page
        noun = "repeat" if expected == 1 else "repeats"
        assert f"this matter now has {expected} {noun}." in page
    assert (
        repeat_matter(user=operator, phone="13800138000", category=noise, region=beijing["duofuxiang"]).repeat_count
        == 2
    )
    history_page = operator_client.get(DESK + "?caller=13800138000").content.decode()
    assert "2 repeats" in history_page
    assert f"Repeat of {first.tracking_number}" in history_page


@time_machine.travel(NOW, tick=False)
def test_another_street_or_sub_category_is_not_a_repeat(operator, beijing, categories, submit):
    submit()
    phone = "13800138000"
    noise, neighbour = categories["noise_construction"], categories["noise_neighbour"]
    assert repeat_matter(user=operator, phone=phone, category=noise, region=beijing["longfusi"]) is None
    assert repeat_matter(user=operator, phone=phone, category=neighbour, region=beijing["duofuxiang"]) is None
    assert repeat_matter(user=operator, phone="13900139000", category=noise, region=beijing["duofuxiang"]) is None


@time_machine.travel(NOW, tick=False)
def test_nearby_lists_open_orders_of_the_street_without_personal_data(
    operator_client, operator, beijing, categories, history
):
    closed_here = history["old"]
    elsewhere = filed_at("2026-11-20 10:00Z", category=categories["noise_construction"], region=beijing["longfusi"])
    here = filed_at(
        "2026-11-21 10:00Z",
        category=categories["market_food"],
        region=beijing["yinzha"],
        resident_name="李四",
        resident_phone="13700137000",
        address="银闸胡同 9 号",
        description="饭馆后厨卫生很差",
    )
    found = nearby_open_orders(user=operator, region=beijing["duofuxiang"], category=categories["noise_construction"])
    # Its own community first, then the chosen category, newest first.
    assert [c.pk for c in found] == [history["other_phone"].pk, history["autumn"].pk, here.pk]
    assert closed_here not in found and elsewhere not in found
    html = operator_client.get(NEARBY + "?region=110101001001").json()["html"]
    assert here.tracking_number in html
    for personal in ("李四", "13700137000", "银闸胡同", "饭馆后厨"):
        assert personal not in html


@pytest.mark.parametrize(
    "query",
    [
        "?caller=12345",
        "?caller=" + "9" * 5000,
        "?caller=abc&category=zzz&region=999",
        "?caller=13800138000&category=99999999999999999999999&region=11010100100199",
        "?caller[]=1&place=" + "东" * 500,
        "?kq=" + "供暖" * 100,
    ],
)
def test_bad_parameters_never_break_the_page_or_the_panels(operator_client, beijing, categories, query):
    page = operator_client.get(DESK + query)
    assert page.status_code == 200
    for url in (CALLER, NEARBY, reverse("dispatch:hotline_knowledge"), reverse("dispatch:hotline_places")):
        response = operator_client.get(url + query)
        assert response.status_code in (200, 400), url
        assert response["Content-Type"] == "application/json"


def test_a_bad_caller_number_gets_a_message_and_the_page_still_works(operator_client, beijing, categories):
    page = operator_client.get(DESK + "?caller=12345").content.decode()
    assert "Enter a valid mainland China phone number" in page
    assert 'name="caller" value="12345"' in page
    response = operator_client.get(CALLER + "?caller=12345")
    assert response.status_code == 400
    assert "Enter a valid mainland China phone number" in response.json()["html"]


def test_the_place_suggestions_answer_in_json(operator_client, beijing):
    response = operator_client.get(reverse("dispatch:hotline_places") + "?q=多福")
    assert response.json() == {
        "places": [{"code": "110101001001", "name": "多福巷社区", "path": "东城区 › 东华门街道 › 多福巷社区"}]
    }
    assert operator_client.get(reverse("dispatch:hotline_places") + "?q=" + "多" * 61).status_code == 400

"""A unit's queue over the API: rows, filters (a bad value is a 400, never ignored),
ordering, cursor pages, and a query count that does not grow with the rows."""

import base64
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from complaints.models import Priority
from dispatch.models import Role
from dispatch.services.assignments import assignment_accept, assignment_hand_down, assignment_record_contact
from dispatch.services.triage import triage_dispatch
from dispatch.services.whistle import whistle_blow, whistle_report
from tests.dispatch.trees import trees_built
from tests.factories import MembershipFactory

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Beijing, a Monday


@pytest.fixture
def street(api_as, people):
    return api_as(people["donghuamen_handler"])


def queue_url(unit, **params) -> str:
    url = f"/api/v1/units/{unit.pk}/queue/"
    return f"{url}?{urlencode(params)}" if params else url


def listed(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["tracking_number"] for row in response.json()["results"]]


def filed_hourly(submit, count, **fields) -> list:
    """`count` complaints filed an hour apart from T0, so their due times are in that order."""
    filed = []
    for hour in range(count):
        with time_machine.travel(T0 + timedelta(hours=hour), tick=False):
            filed.append(submit(**fields))
    return filed


def test_queue_rows_say_what_the_order_is_and_when_it_is_due(street, submit, units):
    first, second = filed_hourly(submit, 2)
    assignment = second.assignments.get()

    with time_machine.travel(T0 + timedelta(hours=21), tick=False):  # 3 h before the first's contact deadline
        response = street.get(queue_url(units["donghuamen"]))

    assert listed(response) == [first.tracking_number, second.tracking_number]
    first_row, second_row = response.json()["results"]
    assert (first_row["urgency"], second_row["urgency"]) == ("due_soon", "")
    assert second_row["category"] == {
        "code": "noise.construction",
        "name": "施工噪声",
        "group": {"code": "noise", "name": "噪声扰民"},
    }
    assert second_row["place"] == {
        "code": "110101001001",
        "name": "多福巷社区",
        "path": "东城区 › 东华门街道 › 多福巷社区",
    }
    assert second_row["holder"] == {
        "id": units["donghuamen"].pk,
        "code": "s-110101001",
        "name": "东华门街道办事处",
        "kind": "street_office",
    }
    assert (second_row["id"], second_row["role"], second_row["status"]) == (assignment.pk, "lead", "assigned")
    assert (second_row["priority"], second_row["version"]) == ("normal", assignment.version)
    assert second_row["contact_due"] == "2026-03-03T10:00:00+08:00"  # Beijing time, with its offset
    assert second_row["next_due"] == second_row["contact_due"]
    assert response.json()["next"] is None


def test_queue_leaves_out_other_units_orders_and_re_dispatched_ones(street, submit, people, units):
    ours = submit()
    submit(region="jianwai")  # another district's street office
    done = submit()
    assignment = done.assignments.get()
    handler = people["donghuamen_handler"]
    assignment_accept(user=handler, assignment_id=assignment.pk)
    assert listed(street.get(queue_url(units["donghuamen"]))) == [ours.tracking_number, done.tracking_number]
    triage_dispatch(user=people["dispatcher"], complaint_id=done.pk, unit_id=units["jingshan"].pk)
    assert listed(street.get(queue_url(units["donghuamen"]))) == [ours.tracking_number]


def test_queue_of_a_unit_you_do_not_handle_is_not_found(api_as, people, units):
    for username in ("jingshan_handler", "dongcheng_supervisor", "dispatcher", "nobody"):
        response = api_as(people[username]).get(queue_url(units["donghuamen"]))
        assert response.status_code == 404, username
        assert response.json()["code"] == "not_found"
    assert api_as(people["donghuamen_handler"]).get("/api/v1/units/999999/queue/").status_code == 404


def test_queue_filters_by_status_and_priority(street, submit, people, units):
    waiting, signed = submit(), submit()
    assignment_accept(user=people["donghuamen_handler"], assignment_id=signed.assignments.get().pk)
    waiting.priority = Priority.URGENT
    waiting.save(update_fields=["priority"])

    assert listed(street.get(queue_url(units["donghuamen"], status="accepted"))) == [signed.tracking_number]
    assert listed(street.get(queue_url(units["donghuamen"], status="assigned"))) == [waiting.tracking_number]
    assert listed(street.get(queue_url(units["donghuamen"], priority="urgent"))) == [waiting.tracking_number]
    assert listed(street.get(queue_url(units["donghuamen"], priority="complex"))) == []


def test_queue_filters_by_category_group_or_sub_category(street, submit, people, units):
    construction = submit(category="noise_construction")
    neighbour = submit(category="noise_neighbour")
    misc = submit(category="other_misc")  # no rule: triage, then dispatched here by hand
    triage_dispatch(user=people["dispatcher"], complaint_id=misc.pk, unit_id=units["donghuamen"].pk)

    noise = listed(street.get(queue_url(units["donghuamen"], category="noise")))
    assert sorted(noise) == sorted([construction.tracking_number, neighbour.tracking_number])
    assert listed(street.get(queue_url(units["donghuamen"], category="noise.neighbour"))) == [neighbour.tracking_number]
    assert listed(street.get(queue_url(units["donghuamen"], category="other"))) == [misc.tracking_number]


def test_queue_filters_by_community(street, submit, units):
    submit(region="duofuxiang")
    yinzha = submit(region="yinzha")
    assert listed(street.get(queue_url(units["donghuamen"], community="110101001002"))) == [yinzha.tracking_number]
    assert listed(street.get(queue_url(units["donghuamen"], community="110101002001"))) == []  # 景山's


def test_queue_filters_overdue_and_due_times(street, submit, units):
    with time_machine.travel(T0, tick=False):
        early = submit()
    with time_machine.travel(T0 + timedelta(hours=10), tick=False):
        late = submit()
    unit = units["donghuamen"]

    with time_machine.travel(T0 + timedelta(hours=25), tick=False):  # the early one's contact is overdue
        assert listed(street.get(queue_url(unit, overdue="true"))) == [early.tracking_number]
        assert listed(street.get(queue_url(unit, overdue="false")))[0] == late.tracking_number
        assert listed(street.get(queue_url(unit, overdue="1"))) == [early.tracking_number]
    # Contact due 24 h after filing: early's at T0+24h, late's at T0+34h.
    cut = (T0 + timedelta(hours=30)).isoformat()
    assert listed(street.get(queue_url(unit, due_before=cut))) == [early.tracking_number]
    assert late.tracking_number in listed(street.get(queue_url(unit, due_after=cut)))
    assert early.tracking_number not in listed(street.get(queue_url(unit, due_after=cut)))
    early_due = "2026-03-03T09:00:00+08:00"
    assert listed(street.get(queue_url(unit, due_before=early_due))) == []  # strictly before
    assert listed(street.get(queue_url(unit, due_after=early_due, due_before=cut))) == [early.tracking_number]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "closed"),  # not an open status
        ("status", "bogus"),
        ("category", "nope"),
        ("community", "999"),
        ("community", "110101001"),  # a street, not a community
        ("priority", "very"),
        ("overdue", "maybe"),
        ("due_before", "tomorrow"),
        ("due_after", "2026-13-01T00:00"),
        ("ordering", "description"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_field(street, submit, units, field, value):
    submit()
    response = street.get(queue_url(units["donghuamen"], **{field: value}))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == [field]
    assert body["fields"][field][0]


def test_several_bad_filters_are_named_together(street, units):
    response = street.get(queue_url(units["donghuamen"], status="x", overdue="x", category="x"))
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"status", "overdue", "category"}


def test_unknown_parameters_and_empty_filters_are_no_filter(street, submit, units):
    filed = submit()
    assert listed(street.get(queue_url(units["donghuamen"], status="", colour="red"))) == [filed.tracking_number]


def _walk(client, url) -> list[str]:
    """Every row, page after page, following `next`."""
    seen, pages = [], 0
    while url:
        response = client.get(url)
        seen += listed(response)
        url = response.json()["next"]
        pages += 1
        assert pages < 20
    return seen


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [(None, [0, 1, 2, 3, 4]), ("next_due", [0, 1, 2, 3, 4]), ("-next_due", [4, 3, 2, 1, 0])],
)
def test_cursor_pages_follow_the_due_order_without_gaps_or_repeats(street, submit, units, ordering, expected):
    filed = filed_hourly(submit, 5)
    params = {"page_size": 2} | ({"ordering": ordering} if ordering else {})
    assert _walk(street, queue_url(units["donghuamen"], **params)) == [filed[i].tracking_number for i in expected]


def test_ordering_by_assignment_time(street, submit, people, units):
    first, second, third = filed_hourly(submit, 3)
    # Signing for the first meets its contact deadline: it is now due last, but still assigned first.
    assignment_accept(user=people["donghuamen_handler"], assignment_id=first.assignments.get().pk)
    assignment_record_contact(
        user=people["donghuamen_handler"], assignment_id=first.assignments.get().pk, note="已联系"
    )
    by_time = [c.tracking_number for c in (first, second, third)]
    unit = units["donghuamen"]
    assert _walk(street, queue_url(unit, page_size=2)) == [
        second.tracking_number,
        third.tracking_number,
        first.tracking_number,
    ]
    assert _walk(street, queue_url(unit, ordering="assigned_at", page_size=2)) == by_time
    assert _walk(street, queue_url(unit, ordering="-assigned_at", page_size=2)) == by_time[::-1]


def test_first_page_says_where_the_next_starts(street, submit, units):
    filed_hourly(submit, 3)
    body = street.get(queue_url(units["donghuamen"], page_size=2, status="assigned")).json()
    assert len(body["results"]) == 2
    query = parse_qs(urlparse(body["next"]).query)
    assert query["status"] == ["assigned"] and query["page_size"] == ["2"] and query["cursor"]
    assert body["previous"] is None


def test_page_size_is_capped(street, submit, units, settings):
    settings.WHISTLE_PAGE_SIZE = 1
    filed_hourly(submit, 3)
    assert len(listed(street.get(queue_url(units["donghuamen"])))) == 1
    assert len(listed(street.get(queue_url(units["donghuamen"], page_size=10**9)))) == 3


def test_a_mangled_cursor_is_refused_not_a_server_error(street, submit, units):
    submit()
    garbage = street.get(queue_url(units["donghuamen"], cursor="not-a-cursor"))
    assert garbage.status_code == 404
    assert garbage.json()["code"] == "not_found"
    forged = base64.b64encode(b"o=0&r=0&p=not-a-time").decode()
    response = street.get(queue_url(units["donghuamen"], cursor=forged))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_summonses_are_in_the_department_queue_before_and_after_reporting(api_as, submit, people, units):
    complaints = filed_hourly(submit, 3)
    street_handler, market_handler = people["donghuamen_handler"], people["market_handler"]
    for hour, complaint in enumerate(complaints):
        lead = complaint.assignments.get()
        with time_machine.travel(T0 + timedelta(hours=5 + hour), tick=False):
            assignment_accept(user=street_handler, assignment_id=lead.pk)
            whistle_blow(
                user=street_handler,
                assignment_id=lead.pk,
                unit_ids=[units["dc_market"].pk],
                message="请到现场",
                version=None,
            )
    first_summons = complaints[0].assignments.get(unit=units["dc_market"])
    with time_machine.travel(T0 + timedelta(hours=5, minutes=20), tick=False):
        whistle_report(user=market_handler, assignment_id=first_summons.pk, note="已到现场", version=None)

    market = api_as(market_handler)
    rows = _walk(market, queue_url(units["dc_market"], page_size=1))
    # The reported one owes nothing more: it sorts by the lead's resolution time, after the others' reports.
    assert rows == [complaints[1].tracking_number, complaints[2].tracking_number, complaints[0].tracking_number]
    body = market.get(queue_url(units["dc_market"])).json()["results"]
    assert {row["role"] for row in body} == {"co_handler"}
    assert body[-1]["next_due"] is None and body[-1]["status"] == "in_progress"


def test_unauthenticated_is_401_and_says_how_to_authenticate(client, units):
    response = APIClient().get(queue_url(units["donghuamen"]))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def _count_queries(client, url) -> tuple[int, int]:
    trees_built()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), len(response.json()["results"])


def test_queue_query_count_does_not_grow_with_rows(street, submit, people, units):
    handler = people["donghuamen_handler"]
    MembershipFactory(user=handler, unit=units["duofuxiang"], role=Role.HANDLER)

    def add(count):
        for i in range(count):
            complaint = submit(region="yinzha" if i % 2 else "duofuxiang")
            if i % 3 == 0:
                assignment_hand_down(
                    user=handler, assignment_id=complaint.assignments.get().pk, community_id=units["duofuxiang"].pk
                )

    url = queue_url(units["donghuamen"], status="assigned", category="noise", overdue="false", page_size=50)
    add(3)
    queries_at_three, rows = _count_queries(street, url)
    assert rows == 3
    add(27)
    queries_at_thirty, rows = _count_queries(street, url)
    assert rows == 30
    assert queries_at_three == queries_at_thirty
    assert queries_at_thirty <= 7  # token, memberships, unit, category, the page, its rows joined

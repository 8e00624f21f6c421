"""Requests for more time over the API: the list of those this user may decide (the
12345 centre all, a supervisor their subtrees'), and approving or refusing one —
the due time moves only on approval, and every refusal changes nothing."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dispatch.models import Extension, ExtensionStatus, Membership, Role
from dispatch.services.assignments import assignment_accept, assignment_record_contact, assignment_resolve
from dispatch.services.extensions import extension_request
from dispatch.services.seed import policies_seed

BEIJING = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=BEIJING)
LATER = datetime(2026, 11, 30, 18, 0, tzinfo=BEIJING)
EXTENSIONS = "/api/v1/extensions/"


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False) as traveller:
        yield traveller


@pytest.fixture
def ask(categories, submit, people):
    """`ask(category, region, who)`: a routed order whose handler asks for more time."""
    policies_seed()

    def _ask(category="noise_construction", region="duofuxiang", who="donghuamen_handler", due=LATER):
        complaint = submit(category=category, region=region)
        assignment = complaint.assignments.get()
        return extension_request(
            user=people[who], assignment_id=assignment.pk, requested_due=due, reason="等待业主大会表决"
        )

    return _ask


def decide(client, extension, **body):
    return client.post(f"{EXTENSIONS}{extension.pk}/decide/", body)


def snapshot(extension) -> tuple:
    extension.refresh_from_db()
    assignment = extension.assignment
    assignment.refresh_from_db()
    return (
        extension.status,
        extension.decided_by_id,
        assignment.resolve_due,
        assignment.next_due,
        assignment.version,
        assignment.complaint.events.count(),
    )


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["tracking_number"] for row in response.json()["results"]]


def test_each_decider_lists_the_requests_they_may_decide_oldest_first(api_as, people, ask, now):
    noise = ask()
    now.shift(timedelta(minutes=5))
    market = ask(category="market_food", who="market_handler")
    both = [noise.assignment.complaint.tracking_number, market.assignment.complaint.tracking_number]

    assert numbers(api_as(people["dispatcher"]).get(EXTENSIONS)) == both
    assert numbers(api_as(people["dongcheng_supervisor"]).get(EXTENSIONS)) == both
    assert numbers(api_as(people["chaoyang_supervisor"]).get(EXTENSIONS)) == []


def test_a_listed_request_says_what_is_asked_and_whose_it_is(api_as, people, ask, units):
    extension = ask()
    (row,) = api_as(people["dispatcher"]).get(EXTENSIONS).json()["results"]
    assert row["id"] == extension.pk
    assert (row["unit"]["code"], row["holder"]["code"]) == ("s-110101001", "s-110101001")
    assert row["requested_due"] == "2026-11-30T18:00:00+08:00"
    assert row["resolve_due"] == "2026-11-23T10:00:00+08:00"  # a week after it was filed
    assert (row["reason"], row["requested_by"], row["own_request"]) == ("等待业主大会表决", "donghuamen_handler", False)
    assert "张三" not in str(row) and "13800138000" not in str(row)


def test_ones_own_request_is_marked_as_such(api_as, people, ask, units):
    Membership.objects.create(user=people["dispatcher"], unit=units["donghuamen"], role=Role.HANDLER)
    ask(who="dispatcher")
    (row,) = api_as(people["dispatcher"]).get(EXTENSIONS).json()["results"]
    assert row["own_request"] is True


@pytest.mark.parametrize("who", ["donghuamen_handler", "market_handler", "nobody"])
def test_someone_who_decides_nothing_gets_404_for_the_list(api_as, people, ask, who):
    ask()
    assert api_as(people[who]).get(EXTENSIONS).status_code == 404


def test_signing_in_is_required(api_as, ask):
    extension = ask()
    assert api_as().get(EXTENSIONS).status_code == 401
    assert decide(api_as(), extension, approve=True).status_code == 401


def test_the_list_costs_the_same_queries_for_one_request_or_six(api_as, people, ask):
    def queries() -> int:
        client = api_as(User.objects.get(pk=people["dispatcher"].pk))  # as a fresh request loads the user
        with CaptureQueriesContext(connection) as captured:
            assert client.get(EXTENSIONS).status_code == 200
        return len(captured)

    ask()
    one = queries()
    for _ in range(5):
        ask(region="yinzha")
    assert Extension.objects.count() == 6
    assert queries() == one


def test_the_centre_approves_and_the_resolution_due_moves(api_as, people, ask):
    extension = ask()
    response = decide(api_as(people["dispatcher"]), extension, approve=True, note="同意")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "id": extension.pk,
        "status": "approved",
        "decided_at": "2026-11-16T10:00:00+08:00",
        "requested_due": "2026-11-30T18:00:00+08:00",
        "resolve_due": "2026-11-30T18:00:00+08:00",
    }
    extension.assignment.refresh_from_db()
    assert extension.assignment.resolve_due == LATER


def test_a_district_supervisor_refuses_and_the_due_time_stays(api_as, people, ask):
    extension = ask()
    due = extension.assignment.resolve_due
    response = decide(api_as(people["dongcheng_supervisor"]), extension, approve=False)
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["resolve_due"]) == ("refused", "2026-11-23T10:00:00+08:00")
    extension.assignment.refresh_from_db()
    assert extension.assignment.resolve_due == due
    assert Extension.objects.get().status == ExtensionStatus.REFUSED


def test_the_asking_unit_sees_its_request_but_gets_403_deciding_it(api_as, people, ask):
    extension = ask()
    before = snapshot(extension)
    response = decide(api_as(people["donghuamen_handler"]), extension, approve=True)
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert "Only the 12345 centre or a supervisor" in response.json()["detail"]
    assert snapshot(extension) == before


@pytest.mark.parametrize("who", ["chaoyang_supervisor", "jingshan_handler", "nobody"])
def test_someone_who_cannot_see_the_order_gets_404_and_nothing_changes(api_as, people, ask, who):
    extension = ask()
    before = snapshot(extension)
    response = decide(api_as(people[who]), extension, approve=True)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert snapshot(extension) == before


def test_nobody_decides_their_own_request(api_as, people, ask, units):
    Membership.objects.create(user=people["dispatcher"], unit=units["donghuamen"], role=Role.HANDLER)
    extension = ask(who="dispatcher")
    before = snapshot(extension)
    response = decide(api_as(people["dispatcher"]), extension, approve=True)
    assert (response.status_code, response.json()["detail"]) == (400, "You cannot decide on your own request.")
    assert snapshot(extension) == before


def test_a_decided_request_cannot_be_decided_again(api_as, people, ask):
    extension = ask()
    client = api_as(people["dispatcher"])
    assert decide(client, extension, approve=False).status_code == 200
    before = snapshot(extension)
    response = decide(client, extension, approve=True)
    assert (response.status_code, response.json()["code"]) == (400, "refused")
    assert snapshot(extension) == before


def test_a_request_on_a_resolved_order_may_be_refused_but_not_approved(api_as, people, ask):
    extension = ask()
    handler, assignment = people["donghuamen_handler"], extension.assignment
    assignment = assignment_accept(user=handler, assignment_id=assignment.pk, version=assignment.version)
    assignment = assignment_record_contact(
        user=handler, assignment_id=assignment.pk, note="电话联系", version=assignment.version
    )
    assignment_resolve(user=handler, assignment_id=assignment.pk, reply="已处理", version=assignment.version)
    client = api_as(people["dispatcher"])
    before = snapshot(extension)
    response = decide(client, extension, approve=True)
    assert (response.status_code, response.json()["code"]) == (400, "refused")
    assert snapshot(extension) == before
    assert decide(client, extension, approve=False).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "approve"),
        ({"approve": "perhaps"}, "approve"),
        ({"approve": None}, "approve"),
        ({"approve": True, "note": "x" * 1001}, "note"),
        ({"approve": True, "note": ["同意"]}, "note"),
    ],
)
def test_bad_input_is_a_field_error_and_changes_nothing(api_as, people, ask, body, field):
    extension = ask()
    before = snapshot(extension)
    response = decide(api_as(people["dispatcher"]), extension, **body)
    assert response.status_code == 400 and field in response.json()["fields"], response.content
    assert snapshot(extension) == before


def test_an_unknown_request_is_not_found(api_as, people, db):
    response = api_as(people["dispatcher"]).post(f"{EXTENSIONS}99999/decide/", {"approve": True})
    assert (response.status_code, response.json()["code"]) == (404, "not_found")

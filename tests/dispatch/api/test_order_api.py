"""An order over the API: what the handling unit reads, what each other role reads
(personal data masked, no actions), and 404 for anyone without reach — the same
answer as for a number that does not exist."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from dispatch.models import Assignment, ReturnReason
from dispatch.services.assignments import assignment_accept, assignment_add_note, assignment_hand_down
from dispatch.services.extensions import extension_request
from dispatch.services.returns import assignment_return
from dispatch.services.triage import triage_dispatch
from dispatch.services.whistle import whistle_blow


@pytest.fixture
def complaint(submit):
    return submit(resident_email="zhangsan@example.com")


def read(client, complaint, status=200) -> dict:
    response = client.get(f"/api/v1/orders/{complaint.tracking_number}/")
    assert response.status_code == status, response.content
    return response.json()


def test_the_handling_unit_reads_the_whole_order(api_as, complaint, units):
    order = read(api_as("donghuamen_handler"), complaint)
    assignment = complaint.assignments.get()

    assert order["tracking_number"] == complaint.tracking_number
    assert (order["status"], order["version"], order["priority"], order["channel"]) == (
        "assigned",
        complaint.version,
        "normal",
        "web",
    )
    assert order["category"] == {
        "code": "noise.construction",
        "name": "施工噪声",
        "group": {"code": "noise", "name": "噪声扰民"},
    }
    assert order["place"]["path"] == "东城区 › 东华门街道 › 多福巷社区"
    assert (order["address"], order["description"]) == ("东华门大街 1 号", "凌晨两点还在施工，噪声很大")
    assert order["answers"] == {} and order["place_to_confirm"] is False
    assert order["resident"] == {
        "name": "张三",
        "phone": "13800138000",
        "email": "zhangsan@example.com",
        "masked": False,
    }
    assert order["assignment"]["id"] == assignment.pk
    assert order["assignment"]["unit"]["code"] == order["assignment"]["holder"]["code"] == "s-110101001"
    assert (order["assignment"]["status"], order["assignment"]["version"]) == ("assigned", assignment.version)
    assert order["summons"] is None and order["summoned"] == [] and order["extensions"] == [] and order["returns"] == []
    assert [(e["kind"], e["is_public"]) for e in order["timeline"]] == [("submitted", True), ("assigned", True)]
    # Rendered in the request's language, with the routing rule for staff; the unit keeps its own name.
    assigned = order["timeline"][1]
    assert assigned["text"].startswith("Assigned to 东华门街道办事处 by routing rule")
    assert (assigned["actor_label"], assigned["public"], assigned["fact"]) == ("12345 centre", True, "assigned")
    assert order["actions"] == ["accept", "hand_down", "return", "whistle", "more_time", "note"]
    assert {u["code"] for u in order["hand_down_targets"]} == {"c-110101001001", "c-110101001002"}
    assert {u["code"] for u in order["whistle_targets"]} == {"dep-110101-market", "u-water"}
    assert order["return_until"] is not None


def test_actions_follow_the_state(api_as, complaint, people, units):
    handler = people["donghuamen_handler"]
    assignment = complaint.assignments.get()
    assignment_accept(user=handler, assignment_id=assignment.pk)
    assignment_hand_down(user=handler, assignment_id=assignment.pk, community_id=units["duofuxiang"].pk)

    order = read(api_as("donghuamen_handler"), complaint)
    assert order["actions"] == ["contact", "hand_down", "recall", "whistle", "more_time", "note"]
    assert [u["code"] for u in order["hand_down_targets"]] == ["c-110101001002"]  # not the one holding it
    assert order["return_until"] is None
    assert order["assignment"]["holder"]["code"] == "c-110101001001"
    assert order["timeline"][-1]["kind"] == "handed_down"


def test_hidden_name_stays_hidden_even_from_the_handling_unit(api_as, submit):
    hidden = submit(hide_name=True)
    assert read(api_as("donghuamen_handler"), hidden)["resident"]["name"] is None
    assert read(api_as("dongcheng_supervisor"), hidden)["resident"]["name"] is None


@pytest.mark.parametrize("username", ["dongcheng_supervisor", "city_supervisor"])
def test_a_supervisor_reads_masked_and_may_do_nothing(api_as, complaint, username):
    order = read(api_as(username), complaint)
    assert order["resident"] == {"name": "张*", "phone": "138****8000", "email": None, "masked": True}
    assert order["actions"] == [] and order["hand_down_targets"] == [] and order["whistle_targets"] == []
    assert order["description"] == "凌晨两点还在施工，噪声很大"
    assert "13800138000" not in str(order) and "zhangsan@example.com" not in str(order)


def test_the_12345_centre_reads_personal_data_but_has_no_unit_actions(api_as, complaint):
    order = read(api_as("dispatcher"), complaint)
    assert order["resident"]["phone"] == "13800138000" and order["resident"]["masked"] is False
    assert order["actions"] == []


@pytest.mark.parametrize(
    "username", ["jingshan_handler", "duofuxiang_handler", "market_handler", "chaoyang_supervisor", "nobody"]
)
def test_anyone_without_reach_gets_the_same_404_as_for_no_such_order(api_as, complaint, username):
    client = api_as(username)
    hidden = client.get(f"/api/v1/orders/{complaint.tracking_number}/")
    missing = client.get("/api/v1/orders/2099010100000000/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == {"code": "not_found", "detail": "Not found."}


def test_a_summoned_unit_reads_its_summons_and_personal_data_while_it_is_live(api_as, complaint, people, units):
    handler = people["donghuamen_handler"]
    lead = complaint.assignments.get()
    assignment_accept(user=handler, assignment_id=lead.pk)
    whistle_blow(
        user=handler, assignment_id=lead.pk, unit_ids=[units["dc_market"].pk], message="请到现场", version=None
    )

    order = read(api_as("market_handler"), complaint)
    assert order["summons"]["unit"]["code"] == "dep-110101-market"
    assert (order["summons"]["summons_message"], order["summons"]["report_state"]) == ("请到现场", "waiting")
    assert order["assignment"]["id"] == lead.pk  # the lead's, as the page shows it
    assert order["actions"] == ["whistle_report"]
    assert order["resident"]["masked"] is False

    street = read(api_as("donghuamen_handler"), complaint)
    assert [s["unit"]["code"] for s in street["summoned"]] == ["dep-110101-market"]
    assert [u["code"] for u in street["whistle_targets"]] == ["u-water"]  # the market is summoned already


def test_a_late_report_shows_as_late(api_as, complaint, people, units):
    handler = people["donghuamen_handler"]
    lead = complaint.assignments.get()
    assignment_accept(user=handler, assignment_id=lead.pk)
    whistle_blow(user=handler, assignment_id=lead.pk, unit_ids=[units["water"].pk], message="请到现场", version=None)
    Assignment.objects.filter(unit=units["water"]).update(report_due=timezone.now() - timedelta(minutes=1))
    assert read(api_as("donghuamen_handler"), complaint)["summoned"][0]["report_state"] == "late"


def test_extensions_and_returns_are_part_of_the_order(api_as, submit, people, units):
    handler = people["donghuamen_handler"]
    returned = submit()
    assignment_return(
        user=handler,
        assignment_id=returned.assignments.get().pk,
        reason=ReturnReason.WRONG_PLACE,
        note="不在本街道",
    )
    triage_dispatch(user=people["dispatcher"], complaint_id=returned.pk, unit_id=units["jingshan"].pk)
    new_lead = returned.assignments.get(unit=units["jingshan"])
    extension_request(
        user=people["jingshan_handler"],
        assignment_id=new_lead.pk,
        requested_due=new_lead.resolve_due + timedelta(days=3),
        reason="等待业主大会表决",
    )

    order = read(api_as("jingshan_handler"), returned)
    assert [(r["unit"]["code"], r["reason"], r["note"]) for r in order["returns"]] == [
        ("s-110101001", "wrong_place", "不在本街道")
    ]
    (extension,) = order["extensions"]
    assert (extension["status"], extension["lapsed"], extension["requested_by"]) == (
        "pending",
        False,
        "jingshan_handler",
    )
    assert extension["reason"] == "等待业主大会表决" and extension["decided_by"] is None
    assert "more_time" not in order["actions"]  # one request waits at a time
    # The street that returned it no longer reaches it.
    read(api_as("donghuamen_handler"), returned, status=404)


def test_unauthenticated_is_401(complaint):
    response = APIClient().get(f"/api/v1/orders/{complaint.tracking_number}/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_reading_an_order_costs_the_same_however_long_its_history(api_as, complaint, people, units):
    handler = people["donghuamen_handler"]
    lead = complaint.assignments.get()
    client = api_as("donghuamen_handler")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            read(client, complaint)
        return len(captured)

    assignment_accept(user=handler, assignment_id=lead.pk)
    whistle_blow(
        user=handler, assignment_id=lead.pk, unit_ids=[units["dc_market"].pk], message="请到现场", version=None
    )
    read(client, complaint)  # the process's place tree, built on a first read only
    short = count()
    for n in range(10):
        assignment_add_note(user=handler, assignment_id=lead.pk, note=f"备注 {n}")
    whistle_blow(user=handler, assignment_id=lead.pk, unit_ids=[units["water"].pk], message="请到现场", version=None)
    assert count() == short

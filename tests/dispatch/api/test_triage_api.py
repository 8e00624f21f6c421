"""The triage queue over the API: what the triage page lists, oldest first, each
item with its reason, note, returns and the suggestions the page offers; for the
12345 centre only; a fixed number of queries however long the page."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from dispatch.models import RoutingRule, TargetKind
from dispatch.selectors.triage import similar_kept
from dispatch.services.returns import assignment_return
from dispatch.services.routing_snapshot import routing_snapshot_forget
from dispatch.services.triage import triage_dispatch
from tests.dispatch.trees import trees_built
from tests.factories import RoutingRuleFactory

TRIAGE = "/api/v1/triage/"


@pytest.fixture
def centre(api_as, people):
    return api_as(people["dispatcher"])


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def test_an_unrouted_order_waits_with_its_reason_and_no_suggestion(centre, submit, categories):
    unrouted = submit(category="other_misc")
    submit()  # routed: not in triage

    page = ok(centre.get(TRIAGE))

    assert page["count"] == 1 and page["next"] is None
    (item,) = page["results"]
    assert item["tracking_number"] == unrouted.tracking_number
    assert (item["status"], item["version"], item["priority"]) == ("submitted", unrouted.version, "normal")
    assert (item["reason"], item["reason_label"], item["note"]) == ("no_rule", "No routing rule matched", "")
    assert (item["returns"], item["flagged"], item["place_to_confirm"]) == (0, False, False)
    assert item["category"] == {"code": "other.misc", "name": "其他问题", "group": {"code": "other", "name": "其他"}}
    assert item["place"]["code"] == "110101001001" and item["place"]["path"] == "东城区 › 东华门街道 › 多福巷社区"
    assert item["suggestion"] == {"rule": None, "unit": None, "similar": []}
    assert "张三" not in str(page) and "13800138000" not in str(page)


def test_the_queue_is_oldest_first_and_paginated(centre, submit):
    numbers = [submit(category="other_misc").tracking_number for _ in range(3)]
    first = ok(centre.get(TRIAGE, {"page_size": 2}))
    second = ok(centre.get(first["next"]))
    assert [row["tracking_number"] for row in first["results"] + second["results"]] == numbers
    assert (first["count"], second["next"]) == (3, None)


def test_suggestions_are_the_rule_that_would_fire_and_the_units_with_similar_orders(
    centre, submit, people, units, categories
):
    earlier = submit(category="other_misc")
    triage_dispatch(user=people["dispatcher"], complaint_id=earlier.pk, unit_id=units["donghuamen"].pk)
    waiting = submit(category="other_misc")
    rule = RoutingRuleFactory(
        name="其他→东城区政府",
        category=categories["other"],
        target_kind=TargetKind.FIXED,
        target_unit=units["dongcheng"],
    )

    (item,) = ok(centre.get(TRIAGE))["results"]

    assert item["tracking_number"] == waiting.tracking_number
    assert item["suggestion"] == {
        "rule": {"id": rule.pk, "name": "其他→东城区政府"},
        "unit": {"id": units["dongcheng"].pk, "code": "d-110101", "name": "东城区人民政府", "kind": "district"},
        "similar": [{"id": units["donghuamen"].pk, "code": "s-110101001", "name": "东华门街道办事处", "orders": 1}],
    }


def test_a_returned_order_counts_its_returns_and_never_suggests_the_unit_that_returned_it(
    centre, submit, people, units, categories
):
    complaint = submit()
    RoutingRuleFactory(
        category=categories["noise"], target_kind=TargetKind.FIXED, target_unit=units["dongcheng"], priority=-1
    )
    assignment_return(
        user=people["donghuamen_handler"], assignment_id=complaint.assignments.get().pk, reason="wrong_category"
    )

    (item,) = ok(centre.get(TRIAGE))["results"]

    assert (item["reason"], item["returns"], item["status"]) == ("returned", 1, "returned")
    assert item["note"].startswith("东华门街道办事处: ")
    assert item["suggestion"]["unit"]["code"] == "d-110101"


def test_an_order_returned_twice_is_flagged(centre, submit, people, units, categories):
    complaint = submit()
    RoutingRuleFactory(
        category=categories["noise"], target_kind=TargetKind.FIXED, target_unit=units["jingshan"], priority=-1
    )
    assignment_return(
        user=people["donghuamen_handler"], assignment_id=complaint.assignments.get().pk, reason="wrong_place"
    )
    complaint.refresh_from_db()
    ok(centre.post(f"/api/v1/orders/{complaint.tracking_number}/reroute/", {"version": complaint.version}))
    live = complaint.assignments.get(status="assigned")
    assert live.unit == units["jingshan"]
    assignment_return(user=people["jingshan_handler"], assignment_id=live.pk, reason="wrong_place")

    (item,) = ok(centre.get(TRIAGE))["results"]
    assert (item["returns"], item["flagged"]) == (2, True)


@pytest.mark.parametrize(
    "who", ["donghuamen_handler", "dongcheng_supervisor", "city_supervisor", "market_handler", "nobody"]
)
def test_anyone_but_the_centre_gets_404(api_as, people, submit, who):
    submit(category="other_misc")
    response = api_as(people[who]).get(TRIAGE)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_signing_in_is_required(api_as, db):
    assert api_as().get(TRIAGE).status_code == 401


def test_a_bad_page_is_a_404_not_a_500(centre, submit):
    submit(category="other_misc")
    assert centre.get(TRIAGE, {"page": 9}).status_code == 404
    assert centre.get(TRIAGE, {"page": "x"}).status_code == 404
    assert len(ok(centre.get(TRIAGE, {"page_size": 10**9}))["results"]) == 1


def _queries(user) -> int:
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))  # as a fresh request loads the user
    trees_built()
    similar_kept.forget()  # the cost of a page whose streets' similar orders are not counted yet
    with CaptureQueriesContext(connection) as captured:
        ok(client.get(TRIAGE))
    return len(captured)


def test_the_query_count_is_the_same_for_3_and_12_items(centre, submit, people, units, categories):
    earlier = submit(category="other_misc", region="yinzha")
    triage_dispatch(user=people["dispatcher"], complaint_id=earlier.pk, unit_id=units["donghuamen"].pk)
    regions = ("duofuxiang", "longfusi", "jianwai")  # similar orders, the group's fallback, a rule

    def wait_in_triage(times: int) -> None:
        # A queryset's update sends no signal: the routing snapshot is forgotten by hand.
        RoutingRule.objects.update(is_active=False)
        routing_snapshot_forget()
        for region in regions * times:
            submit(category="other_misc", region=region)
        RoutingRule.objects.update(is_active=True)
        routing_snapshot_forget()

    RoutingRuleFactory(
        category=categories["other"],
        region=units["jianwai"].region,
        target_kind=TargetKind.FIXED,
        target_unit=units["water"],
    )
    wait_in_triage(1)
    few = _queries(people["dispatcher"])

    wait_in_triage(3)
    page = ok(centre.get(TRIAGE))
    assert page["count"] == 12
    assert {row["suggestion"]["unit"]["code"] for row in page["results"] if row["suggestion"]["unit"]} == {"u-water"}
    assert _queries(people["dispatcher"]) == few, few

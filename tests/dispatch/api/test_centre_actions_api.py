"""The 12345 centre's actions on an order over the API: dispatch by hand, route
again, change category or priority, reject, merge and unmerge. Each succeeds for
the centre; a stale version is a 409, a state that does not allow it a 400, bad
input a 400 naming the field, someone who sees the order but is not the centre a
403, someone who cannot see it a 404 — and every refusal changes nothing."""

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from complaints.models import ComplaintStatus, Priority
from dispatch.models import AssignmentStatus, TargetKind, TriageItem
from dispatch.services.assignments import assignment_accept
from dispatch.services.merge import order_merge
from dispatch.services.returns import assignment_return
from dispatch.services.seed import policies_seed
from dispatch.services.triage import triage_dispatch
from tests.factories import RoutingRuleFactory, UnitFactory


@pytest.fixture
def centre(api_as, people):
    return api_as(people["dispatcher"])


@pytest.fixture
def unrouted(submit):
    """`other` has no routing rule: it waits in triage."""
    return submit(category="other_misc")


@pytest.fixture
def routed(submit):
    """Construction noise at 多福巷社区: routed to 东华门街道办事处."""
    return submit()


@pytest.fixture
def returned(routed, people):
    assignment = routed.assignments.get()
    assignment_return(user=people["donghuamen_handler"], assignment_id=assignment.pk, reason="wrong_category")
    routed.refresh_from_db()
    return routed


def url(complaint, action: str) -> str:
    return f"/api/v1/orders/{complaint.tracking_number}/{action}/"


def snapshot(complaint) -> tuple:
    """Everything a centre action could change."""
    complaint.refresh_from_db()
    return (
        complaint.status,
        complaint.version,
        complaint.category_id,
        complaint.priority,
        complaint.merged_into_id,
        sorted(complaint.assignments.values_list("pk", "unit_id", "status", "version", "resolve_due")),
        sorted(TriageItem.objects.filter(complaint=complaint).values_list("pk", "closed_at")),
        complaint.events.count(),
    )


def open_triage(complaint) -> bool:
    return TriageItem.objects.filter(complaint=complaint, closed_at__isnull=True).exists()


# Dispatch by hand


def test_the_centre_dispatches_by_code_and_the_order_leaves_triage(centre, unrouted, units):
    response = centre.post(
        url(unrouted, "dispatch"), {"unit": "s-110101001", "note": "属街道管辖", "version": unrouted.version}
    )

    assert response.status_code == 200, response.content
    unrouted.refresh_from_db()
    assert response.json() == {
        "tracking_number": unrouted.tracking_number,
        "status": "assigned",
        "version": unrouted.version,
        "unit": {
            "id": units["donghuamen"].pk,
            "code": "s-110101001",
            "name": "东华门街道办事处",
            "kind": "street_office",
        },
    }
    assignment = unrouted.assignments.get()
    assert (assignment.unit, assignment.reason, assignment.status) == (units["donghuamen"], "dispatched", "assigned")
    assert not open_triage(unrouted)


def test_the_centre_dispatches_by_unit_id_as_a_number(centre, unrouted, units):
    response = centre.post(url(unrouted, "dispatch"), {"unit": units["water"].pk, "version": unrouted.version})
    assert response.status_code == 200, response.content
    assert unrouted.assignments.get().unit == units["water"]


def test_dispatching_away_from_the_holding_unit_supersedes_its_assignment(centre, routed, units):
    response = centre.post(url(routed, "dispatch"), {"unit": "u-water", "version": routed.version})
    assert response.status_code == 200, response.content
    statuses = dict(routed.assignments.values_list("unit__code", "status"))
    assert statuses == {"s-110101001": AssignmentStatus.SUPERSEDED, "u-water": AssignmentStatus.ASSIGNED}


@pytest.mark.parametrize("unit", ["no-such-unit", "999999", "  "])
def test_an_unknown_unit_is_a_field_error_and_changes_nothing(centre, unrouted, unit):
    before = snapshot(unrouted)
    response = centre.post(url(unrouted, "dispatch"), {"unit": unit, "version": unrouted.version})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and list(body["fields"]) == ["unit"]
    assert snapshot(unrouted) == before


def test_dispatching_to_the_unit_that_has_it_is_refused(centre, routed):
    before = snapshot(routed)
    response = centre.post(url(routed, "dispatch"), {"unit": "s-110101001", "version": routed.version})
    assert (response.status_code, response.json()["code"]) == (400, "refused")
    assert response.json()["detail"] == "The order is already with that unit."
    assert snapshot(routed) == before


# Route again


def test_the_centre_routes_a_returned_order_again_without_the_returning_unit(centre, returned, units, categories):
    RoutingRuleFactory(
        category=categories["noise"], target_kind=TargetKind.FIXED, target_unit=units["dongcheng"], priority=-1
    )
    response = centre.post(url(returned, "reroute"), {"version": returned.version})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["unit"]["code"]) == ("assigned", "d-110101")
    assert returned.assignments.get(status=AssignmentStatus.ASSIGNED).unit == units["dongcheng"]
    assert not open_triage(returned)


def test_routing_again_with_no_other_unit_is_refused(centre, returned):
    before = snapshot(returned)
    response = centre.post(url(returned, "reroute"), {"version": returned.version})
    assert (response.status_code, response.json()["code"]) == (400, "refused")
    assert "dispatch it by hand" in response.json()["detail"]
    assert snapshot(returned) == before


def test_only_a_returned_order_is_routed_again(centre, routed):
    before = snapshot(routed)
    response = centre.post(url(routed, "reroute"), {"version": routed.version})
    assert (response.status_code, response.json()["detail"]) == (400, "Only a returned order is routed again.")
    assert snapshot(routed) == before


# Category


def test_changing_the_category_of_an_order_in_triage_routes_it_again(centre, unrouted, categories, units):
    body = {"category": categories["noise_construction"].pk, "version": unrouted.version}
    response = centre.post(url(unrouted, "category"), body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["category"], data["in_triage"]) == ("assigned", "noise.construction", False)
    assert data["unit"]["code"] == "s-110101001"
    assert not open_triage(unrouted)


def test_changing_the_category_without_rerouting_leaves_it_in_triage(centre, unrouted, categories):
    body = {"category": categories["noise_construction"].pk, "reroute": False, "version": unrouted.version}
    data = centre.post(url(unrouted, "category"), body).json()
    assert (data["status"], data["in_triage"], data["unit"]) == ("submitted", True, None)
    assert open_triage(unrouted)


@pytest.mark.parametrize("category", ["noise", "missing"])
def test_a_group_or_an_unknown_category_is_a_field_error(centre, unrouted, categories, category):
    category_id = categories[category].pk if category in categories else 987654
    before = snapshot(unrouted)
    response = centre.post(url(unrouted, "category"), {"category": category_id, "version": unrouted.version})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["category"]
    assert snapshot(unrouted) == before


# Priority


def test_the_centre_raises_the_priority_and_the_due_times_follow(centre, categories, submit):
    policies_seed()
    complaint = submit()
    assignment = complaint.assignments.get()
    response = centre.post(url(complaint, "priority"), {"priority": "urgent", "version": complaint.version})
    assert response.status_code == 200, response.content
    complaint.refresh_from_db()
    assert response.json() == {
        "tracking_number": complaint.tracking_number,
        "status": "assigned",
        "version": complaint.version,
        "priority": "urgent",
    }
    old_due = assignment.resolve_due
    assignment.refresh_from_db()
    assert complaint.priority == Priority.URGENT and assignment.resolve_due < old_due


def test_setting_the_same_priority_is_refused(centre, routed):
    before = snapshot(routed)
    response = centre.post(url(routed, "priority"), {"priority": routed.priority, "version": routed.version})
    assert (response.status_code, response.json()["code"]) == (400, "refused")
    assert snapshot(routed) == before


# Reject


def test_the_centre_rejects_an_order_in_triage_with_a_reason(centre, unrouted):
    response = centre.post(
        url(unrouted, "reject"), {"reason": "属于司法程序，请向法院咨询", "version": unrouted.version}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "rejected"
    unrouted.refresh_from_db()
    assert unrouted.status == ComplaintStatus.REJECTED and not open_triage(unrouted)


def test_rejecting_without_a_reason_is_refused(centre, unrouted):
    before = snapshot(unrouted)
    response = centre.post(url(unrouted, "reject"), {"reason": "  ", "version": unrouted.version})
    assert (response.status_code, response.json()["code"]) == (400, "refused")
    assert "the resident will read it" in response.json()["detail"]
    assert snapshot(unrouted) == before


def test_an_order_a_unit_signed_for_cannot_be_rejected(centre, routed, people):
    assignment = routed.assignments.get()
    assignment_accept(user=people["donghuamen_handler"], assignment_id=assignment.pk, version=assignment.version)
    before = snapshot(routed)
    response = centre.post(url(routed, "reject"), {"reason": "不属于受理范围", "version": routed.version})
    assert (response.status_code, response.json()["code"]) == (400, "refused")
    assert snapshot(routed) == before


# Merge and unmerge


@pytest.fixture
def pair(submit):
    lead = submit()
    follower = submit(description="同一工地夜间施工")
    return lead, follower


def test_the_centre_merges_a_duplicate_and_undoes_it(centre, pair):
    lead, follower = pair
    response = centre.post(url(follower, "merge"), {"lead": lead.tracking_number, "version": follower.version})
    assert response.status_code == 200, response.content
    follower.refresh_from_db()
    assert response.json() == {
        "tracking_number": follower.tracking_number,
        "status": "merged",
        "version": follower.version,
        "merged_into": lead.tracking_number,
    }
    assert follower.merged_into == lead
    assert follower.assignments.get().status == AssignmentStatus.SUPERSEDED

    response = centre.post(url(follower, "unmerge"), {"version": follower.version})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    follower.refresh_from_db()
    assert follower.merged_into is None and open_triage(follower)


def test_merging_into_an_unknown_order_is_a_field_error(centre, pair):
    _lead, follower = pair
    before = snapshot(follower)
    response = centre.post(url(follower, "merge"), {"lead": "20990101000000", "version": follower.version})
    assert response.status_code == 400 and list(response.json()["fields"]) == ["lead"]
    assert snapshot(follower) == before


def test_merging_orders_of_different_categories_is_refused(centre, routed, unrouted):
    before = snapshot(unrouted)
    response = centre.post(url(unrouted, "merge"), {"lead": routed.tracking_number, "version": unrouted.version})
    assert (response.status_code, response.json()["code"]) == (400, "refused")
    assert snapshot(unrouted) == before


def test_unmerging_an_order_that_is_not_merged_is_refused(centre, routed):
    before = snapshot(routed)
    response = centre.post(url(routed, "unmerge"), {"version": routed.version})
    assert (response.status_code, response.json()["detail"]) == (400, "This order is not merged into another one.")
    assert snapshot(routed) == before


# What every action shares: one table, every action.


ACTIONS = ["dispatch", "reroute", "category", "priority", "reject", "merge", "unmerge"]


@pytest.fixture
def ready(submit, people, categories):
    """`ready(action)`: an order that action may be taken on now, and a good body for it."""

    def _ready(action: str) -> tuple:
        complaint = submit()
        body = {
            "dispatch": {"unit": "u-water"},
            "reroute": {},
            "category": {"category": categories["water_outage"].pk},
            "priority": {"priority": "urgent"},
            "reject": {"reason": "不属于受理范围"},
            "unmerge": {},
        }.get(action)
        if action == "reroute":
            assignment = complaint.assignments.get()
            assignment_return(user=people["donghuamen_handler"], assignment_id=assignment.pk, reason="wrong_category")
        if action in ("merge", "unmerge"):
            lead = submit()
            body = body if body is not None else {"lead": lead.tracking_number}
        if action == "unmerge":
            order_merge(user=people["dispatcher"], follower_id=complaint.pk, lead_number=lead.tracking_number)
        complaint.refresh_from_db()
        return complaint, {**body, "version": complaint.version}

    return _ready


@pytest.mark.parametrize("action", ACTIONS)
def test_a_stale_version_is_a_409_and_changes_nothing(centre, ready, action):
    complaint, body = ready(action)
    before = snapshot(complaint)
    response = centre.post(url(complaint, action), {**body, "version": complaint.version - 1 or 99})
    assert (response.status_code, response.json()["code"]) == (409, "changed"), response.content
    assert "changed by someone else" in response.json()["detail"]
    assert snapshot(complaint) == before


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", ["donghuamen_handler", "dongcheng_supervisor", "city_supervisor"])
def test_someone_who_sees_the_order_but_is_not_the_centre_gets_403(api_as, people, ready, action, who):
    complaint, body = ready(action)
    before = snapshot(complaint)
    response = api_as(people[who]).post(url(complaint, action), body)
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied"), response.content
    assert "12345 centre" in response.json()["detail"]
    assert snapshot(complaint) == before


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", ["jingshan_handler", "chaoyang_supervisor", "nobody"])
def test_someone_who_cannot_see_the_order_gets_404(api_as, people, ready, action, who):
    complaint, body = ready(action)
    before = snapshot(complaint)
    response = api_as(people[who]).post(url(complaint, action), body)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert snapshot(complaint) == before


@pytest.mark.parametrize("action", ACTIONS)
def test_signing_in_is_required(api_as, ready, action):
    complaint, body = ready(action)
    before = snapshot(complaint)
    assert api_as().post(url(complaint, action), body).status_code == 401
    assert snapshot(complaint) == before


@pytest.mark.parametrize("action", ACTIONS)
def test_an_unknown_order_is_not_found(centre, action):
    response = centre.post(f"/api/v1/orders/20990101000000/{action}/", {"version": 1})
    assert response.status_code == 404


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("version", [None, "one", 0, True])
def test_a_missing_or_malformed_version_is_a_field_error(centre, ready, action, version):
    complaint, body = ready(action)
    before = snapshot(complaint)
    body = {key: value for key, value in body.items() if key != "version"}
    if version is not None:
        body["version"] = version
    response = centre.post(url(complaint, action), body)
    assert response.status_code == 400
    assert "version" in response.json()["fields"]
    assert snapshot(complaint) == before


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("dispatch", {}, "unit"),
        ("dispatch", {"unit": ["u-water"]}, "unit"),
        ("dispatch", {"unit": "u-water", "note": "x" * 2001}, "note"),
        ("category", {"category": "noise"}, "category"),
        ("category", {"category": 5, "reroute": "perhaps"}, "reroute"),
        ("priority", {"priority": "extreme"}, "priority"),
        ("reject", {}, "reason"),
        ("reject", {"reason": "\x00"}, "reason"),
        ("merge", {"lead": 12}, "lead"),
        ("merge", {}, "lead"),
    ],
)
def test_bad_input_is_a_field_error_and_changes_nothing(centre, ready, action, body, field):
    complaint, _good = ready(action)
    before = snapshot(complaint)
    response = centre.post(url(complaint, action), {**body, "version": complaint.version})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and field in response.json()["fields"], response.content
    assert snapshot(complaint) == before


def test_a_body_that_is_not_json_is_refused(centre, unrouted):
    before = snapshot(unrouted)
    response = centre.generic("POST", url(unrouted, "dispatch"), "{not json", content_type="application/json")
    assert response.status_code == 400
    assert snapshot(unrouted) == before


@pytest.mark.parametrize("action", ["dispatch", "category", "priority", "reject", "merge"])
def test_a_finished_order_is_refused_for_every_action(centre, ready, action):
    complaint, body = ready(action)
    centre.post(url(complaint, "reject"), {"reason": "不属于受理范围", "version": complaint.version})
    before = snapshot(complaint)
    assert complaint.status == ComplaintStatus.REJECTED
    response = centre.post(url(complaint, action), {**body, "version": complaint.version})
    assert (response.status_code, response.json()["code"]) == (400, "refused"), response.content
    assert snapshot(complaint) == before


def test_a_personal_token_works_like_a_session(people, unrouted):
    _token, key = AuthToken.objects.create(user=people["dispatcher"])
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Token {key}")
    response = client.post(url(unrouted, "dispatch"), {"unit": "u-water", "version": unrouted.version}, format="json")
    assert response.status_code == 200, response.content
    assert APIClient(HTTP_AUTHORIZATION="Token not-a-real-key").post(url(unrouted, "reroute"), {}).status_code == 401


# Confirming the place


@pytest.fixture
def unplaced(submit):
    """Construction noise somewhere in 东城区: the portal could not tell the street."""
    return submit(region="dongcheng", place_to_confirm=True, address="东城区某胡同")


def test_the_centre_confirms_the_place_and_the_order_is_routed(centre, unplaced, units):
    assert open_triage(unplaced)
    response = centre.post(url(unplaced, "place"), {"region": "110101001001", "version": unplaced.version})
    assert response.status_code == 200, response.content
    unplaced.refresh_from_db()
    assert response.json() == {
        "tracking_number": unplaced.tracking_number,
        "status": "assigned",
        "version": unplaced.version,
        "place": {"code": "110101001001", "name": "多福巷社区", "path": "东城区 › 东华门街道 › 多福巷社区"},
        "place_to_confirm": False,
    }
    assert unplaced.assignments.get().unit == units["donghuamen"]
    assert not open_triage(unplaced)


@pytest.mark.parametrize("region", ["999999999", "110105001", "110101", "东华门", ""])
def test_a_place_that_is_unknown_elsewhere_or_too_coarse_is_a_field_error(centre, unplaced, region):
    before = snapshot(unplaced)
    response = centre.post(url(unplaced, "place"), {"region": region, "version": unplaced.version})
    assert response.status_code == 400 and list(response.json()["fields"]) == ["region"], response.content
    assert snapshot(unplaced) == before


def test_a_place_in_another_district_is_accepted_when_the_district_was_wrong(centre, unplaced, units):
    body = {"region": "110105001", "other_district": True, "version": unplaced.version}
    response = centre.post(url(unplaced, "place"), body)
    assert response.status_code == 200, response.content
    assert unplaced.assignments.get().unit == units["jianwai"]


def test_a_stale_or_settled_place_is_refused(centre, unplaced, routed):
    before = snapshot(unplaced)
    response = centre.post(url(unplaced, "place"), {"region": "110101001001", "version": unplaced.version + 1})
    assert response.status_code == 409
    assert snapshot(unplaced) == before
    response = centre.post(url(routed, "place"), {"region": "110101001001", "version": routed.version})
    assert (response.status_code, response.json()["code"]) == (400, "refused")


def test_only_the_centre_confirms_a_place(api_as, people, unplaced, units):
    triage_dispatch(user=people["dispatcher"], complaint_id=unplaced.pk, unit_id=units["donghuamen"].pk)
    unplaced.refresh_from_db()
    before = snapshot(unplaced)
    body = {"region": "110101001001", "version": unplaced.version}
    response = api_as(people["donghuamen_handler"]).post(url(unplaced, "place"), body)
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert api_as(people["jingshan_handler"]).post(url(unplaced, "place"), body).status_code == 404
    assert snapshot(unplaced) == before


def test_the_centre_dispatches_by_name_over_the_api(centre, unrouted, units):
    response = centre.post(url(unrouted, "dispatch"), {"unit": "东华门街道办事处", "version": unrouted.version})

    assert response.status_code == 200, response.content
    assert response.json()["unit"]["code"] == "s-110101001"
    assert unrouted.assignments.get().unit == units["donghuamen"]


def test_an_ambiguous_name_over_the_api_is_a_400_on_the_unit_field(centre, unrouted, units):
    UnitFactory(
        code="s-dup", name="东华门街道办事处", kind="department", department_kind="health", parent=units["city"]
    )
    before = snapshot(unrouted)

    response = centre.post(url(unrouted, "dispatch"), {"unit": "东华门街道办事处", "version": unrouted.version})

    assert response.status_code == 400, response.content
    assert "More than one unit is called" in str(response.json())
    assert snapshot(unrouted) == before

"""Every handler action over the API, from one table: it works in the state that
allows it; refuses (400) in one that does not, a stale version (409), a handler of
another unit (404), and a reader (403) — and on every refusal nothing changes."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from complaints.models import ComplaintStatus, EventKind
from dispatch.models import Assignment, AssignmentRole, AssignmentStatus, Extension, UnitKind
from dispatch.services.assignments import (
    assignment_accept,
    assignment_hand_down,
    assignment_record_contact,
    assignment_resolve,
)
from dispatch.services.whistle import whistle_blow, whistle_report
from tests.factories import UnitFactory

STREET = "donghuamen_handler"


@pytest.fixture
def order(submit):
    complaint = submit()
    return complaint, complaint.assignments.get()


@dataclass(frozen=True)
class World:
    people: dict
    units: dict

    @property
    def handler(self):
        return self.people[STREET]


@pytest.fixture
def world(people, units):
    return World(people=people, units=units)


def fresh(assignment: Assignment) -> Assignment:
    assignment.refresh_from_db()
    return assignment


def accept(w, lead):
    assignment_accept(user=w.handler, assignment_id=lead.pk)


def contact(w, lead):
    accept(w, lead)
    assignment_record_contact(user=w.handler, assignment_id=lead.pk, note="已电话联系")


def resolve(w, lead):
    contact(w, lead)
    assignment_resolve(user=w.handler, assignment_id=lead.pk, reply="已处理")


def hand_down(w, lead):
    assignment_hand_down(user=w.handler, assignment_id=lead.pk, community_id=w.units["duofuxiang"].pk)


def nothing(w, lead):
    pass


@dataclass(frozen=True)
class Case:
    path: str
    ready: Callable  # brings the order to a state that allows the action
    wrong: Callable  # … and to one that does not
    refused: str  # what the refusal in the wrong state says
    done: Callable  # (complaint, lead, world) → whether the action took effect
    body: Callable = field(default=lambda w, lead: {})
    versioned: bool = True


CASES = {
    "accept": Case(
        "accept",
        ready=nothing,
        wrong=accept,
        refused="This order has already been signed for.",
        done=lambda c, lead, w: fresh(lead).status == AssignmentStatus.ACCEPTED,
    ),
    "contact": Case(
        "contact",
        ready=accept,
        wrong=nothing,
        refused="Sign for the order before recording contact.",
        done=lambda c, lead, w: fresh(lead).status == AssignmentStatus.IN_PROGRESS,
        body=lambda w, lead: {"note": "10:20 电话联系"},
    ),
    "notes": Case(
        "notes",
        ready=nothing,
        wrong=resolve,
        refused="This order is no longer open.",
        done=lambda c, lead, w: c.events.filter(kind=EventKind.NOTE, is_public=False, message="内部备注").exists(),
        body=lambda w, lead: {"note": "内部备注"},
        versioned=False,
    ),
    "hand-down": Case(
        "hand-down",
        ready=nothing,
        wrong=resolve,
        refused="This order is no longer open.",
        done=lambda c, lead, w: fresh(lead).holder_id == w.units["yinzha"].pk,
        body=lambda w, lead: {"community": "c-110101001002"},
    ),
    "recall": Case(
        "recall",
        ready=hand_down,
        wrong=nothing,
        refused="The order is already with 东华门街道办事处.",
        done=lambda c, lead, w: fresh(lead).holder_id == lead.unit_id,
    ),
    "resolve": Case(
        "resolve",
        ready=contact,
        wrong=nothing,
        refused="Sign for the order before resolving it.",
        done=lambda c, lead, w: fresh(lead).status == AssignmentStatus.RESOLVED,
        body=lambda w, lead: {"reply": "已责令停工"},
    ),
    "return": Case(
        "return",
        ready=nothing,
        wrong=accept,
        refused="An order can be returned only before it is signed for.",
        done=lambda c, lead, w: fresh(lead).status == AssignmentStatus.RETURNED,
        body=lambda w, lead: {"reason": "not_our_remit"},
    ),
    "whistle": Case(
        "whistle",
        ready=accept,
        wrong=resolve,
        refused="This order is no longer open.",
        done=lambda c, lead, w: Assignment.objects.filter(lead=lead, unit=w.units["dc_market"]).exists(),
        body=lambda w, lead: {"units": [w.units["dc_market"].pk], "message": "请到现场"},
    ),
    "more-time": Case(
        "more-time",
        ready=nothing,
        wrong=resolve,
        refused="This order is no longer open.",
        done=lambda c, lead, w: Extension.objects.filter(assignment=lead).exists(),
        body=lambda w, lead: {"resolve_due": (lead.resolve_due + timedelta(days=3)).isoformat(), "reason": "等待表决"},
    ),
}
VERSIONED = [name for name, case in CASES.items() if case.versioned]


def post(client, complaint, path, body):
    return client.post(f"/api/v1/orders/{complaint.tracking_number}/{path}/", body, format="json")


def snapshot(complaint) -> tuple:
    complaint.refresh_from_db()
    assignments = list(
        Assignment.objects.filter(complaint=complaint)
        .order_by("pk")
        .values_list("pk", "status", "version", "holder_id")
    )
    return (
        complaint.status,
        complaint.version,
        assignments,
        complaint.events.count(),
        Extension.objects.filter(assignment__complaint=complaint).count(),
    )


def body_for(case, world, lead, **extra) -> dict:
    body = case.body(world, fresh(lead))
    if case.versioned:
        body["version"] = fresh(lead).version
    return body | extra


@pytest.mark.parametrize("name", list(CASES))
def test_each_action_works_and_answers_with_the_order_as_it_is_now(api_as, order, world, name):
    complaint, lead = order
    case = CASES[name]
    case.ready(world, lead)

    response = post(api_as(STREET), complaint, case.path, body_for(case, world, lead))

    assert response.status_code == 200, response.content
    assert case.done(complaint, lead, world)
    body = response.json()
    assert body["detail"]
    assert body["order"]["tracking_number"] == complaint.tracking_number
    assert body["order"]["assignment"]["version"] == fresh(lead).version
    complaint.refresh_from_db()
    assert body["order"]["status"] == complaint.status


@pytest.mark.parametrize("name", list(CASES))
def test_each_action_is_refused_in_a_state_that_does_not_allow_it(api_as, order, world, name):
    complaint, lead = order
    case = CASES[name]
    case.wrong(world, lead)
    before = snapshot(complaint)

    response = post(api_as(STREET), complaint, case.path, body_for(case, world, lead))

    assert response.status_code == 400, response.content
    assert response.json() == {"code": "refused", "detail": case.refused}
    assert snapshot(complaint) == before


@pytest.mark.parametrize("name", VERSIONED)
@pytest.mark.parametrize("shift", [-1, 1])
def test_a_stale_version_is_409_and_changes_nothing(api_as, order, world, name, shift):
    complaint, lead = order
    case = CASES[name]
    case.ready(world, lead)
    stale = max(fresh(lead).version + shift, 1) if shift < 0 else fresh(lead).version + shift
    if stale == fresh(lead).version:
        stale += 2
    before = snapshot(complaint)

    response = post(api_as(STREET), complaint, case.path, body_for(case, world, lead, version=stale))

    assert response.status_code == 409, response.content
    assert response.json()["code"] == "changed"
    assert response.json()["detail"] == "This order was changed by someone else. Reload it and try again."
    assert snapshot(complaint) == before


@pytest.mark.parametrize("name", VERSIONED)
@pytest.mark.parametrize("version", [None, "abc", 0, "", [1]])
def test_a_missing_or_mangled_version_is_400_naming_it(api_as, order, world, name, version):
    complaint, lead = order
    case = CASES[name]
    case.ready(world, lead)
    body = case.body(world, fresh(lead))
    if version is not None:
        body["version"] = version
    before = snapshot(complaint)

    response = post(api_as(STREET), complaint, case.path, body)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == ["version"]
    assert snapshot(complaint) == before


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("username", ["jingshan_handler", "market_handler", "chaoyang_supervisor", "nobody"])
def test_anyone_without_reach_gets_404_and_changes_nothing(api_as, order, world, name, username):
    complaint, lead = order
    case = CASES[name]
    case.ready(world, lead)
    before = snapshot(complaint)

    response = post(api_as(username), complaint, case.path, body_for(case, world, lead))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert snapshot(complaint) == before


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("username", ["dongcheng_supervisor", "city_supervisor", "dispatcher"])
def test_readers_are_refused_403_and_change_nothing(api_as, order, world, name, username):
    """The page shows them the order and refuses the action; the API says 403: the role,
    not the state, stands in the way, so trying again will not help."""
    complaint, lead = order
    case = CASES[name]
    case.ready(world, lead)
    before = snapshot(complaint)

    response = post(api_as(username), complaint, case.path, body_for(case, world, lead))

    assert response.status_code == 403
    assert response.json() == {"code": "permission_denied", "detail": "Only the unit handling this order can do that."}
    assert snapshot(complaint) == before


@pytest.mark.parametrize("name", [name for name in CASES if name != "whistle"])
def test_a_summoned_unit_may_not_take_the_leads_actions(api_as, order, world, name):
    complaint, lead = order
    case = CASES[name]
    case.ready(world, lead)
    whistle_blow(
        user=world.handler,
        assignment_id=lead.pk,
        unit_ids=[world.units["dc_market"].pk],
        message="请到现场",
        version=None,
    )
    before = snapshot(complaint)

    response = post(api_as("market_handler"), complaint, case.path, body_for(case, world, lead))

    assert response.status_code == 403
    assert response.json()["detail"] == "Only the lead unit can do that; a summoned unit reports what it did."
    assert snapshot(complaint) == before


# --- The summoned unit's report ----------------------------------------------------


@pytest.fixture
def summoned(order, world):
    complaint, lead = order
    accept(world, lead)
    (summons,) = whistle_blow(
        user=world.handler,
        assignment_id=lead.pk,
        unit_ids=[world.units["dc_market"].pk],
        message="请到现场",
        version=None,
    )
    return complaint, lead, summons


def report(client, complaint, **body):
    return post(client, complaint, "whistle/report", body)


def test_the_summoned_unit_reports_once(api_as, summoned):
    complaint, lead, summons = summoned
    market = api_as("market_handler")

    response = report(market, complaint, note="已到现场", version=fresh(summons).version)
    assert response.status_code == 200, response.content
    assert response.json()["order"]["summons"]["report_state"] == "reported"
    assert response.json()["order"]["actions"] == []
    assert fresh(summons).report_note == "已到现场"

    before = snapshot(complaint)
    again = report(market, complaint, note="再次报到", version=fresh(summons).version)
    assert again.status_code == 400
    assert again.json() == {"code": "refused", "detail": "Your unit has already reported."}
    assert snapshot(complaint) == before


def test_a_report_is_internal_by_default_and_published_on_request(api_as, summoned):
    complaint, lead, summons = summoned
    market = api_as("market_handler")

    response = report(
        market,
        complaint,
        note="已到现场，联系了李经理",
        publish=True,
        public_line="施工已停止",
        version=fresh(summons).version,
    )

    assert response.status_code == 200, response.content
    timeline = response.json()["order"]["timeline"]
    internal = [line for line in timeline if line["fact"] == "whistle_report"]
    published = [line for line in timeline if line["fact"] == "whistle_report_public"]
    assert [line["public"] for line in internal] == [False]
    assert internal[0]["text"] == "东城区市场监督管理局 has reported: 已到现场，联系了李经理"
    assert [(line["public"], line["text"]) for line in published] == [
        (True, "东城区市场监督管理局, summoned to help, has reported.\n施工已停止")
    ]


def test_a_report_with_a_bad_publish_flag_or_a_too_long_line_changes_nothing(api_as, summoned):
    complaint, lead, summons = summoned
    market = api_as("market_handler")
    before = snapshot(complaint)

    bad_flag = report(market, complaint, note="已到现场", publish="perhaps", version=fresh(summons).version)
    assert bad_flag.status_code == 400 and "publish" in bad_flag.json()["fields"]
    too_long = report(
        market, complaint, note="已到现场", publish=True, public_line="长" * 501, version=fresh(summons).version
    )
    assert too_long.status_code == 400 and "public_line" in too_long.json()["fields"]
    assert snapshot(complaint) == before


def test_a_report_with_a_stale_version_or_no_note_changes_nothing(api_as, summoned):
    complaint, lead, summons = summoned
    market = api_as("market_handler")
    before = snapshot(complaint)

    stale = report(market, complaint, note="已到现场", version=fresh(summons).version + 1)
    assert stale.status_code == 409 and stale.json()["code"] == "changed"
    empty = report(market, complaint, note="  ", version=fresh(summons).version)
    assert empty.json() == {"code": "refused", "detail": "Say what your unit has done."}
    assert report(market, complaint, note="已到现场").json()["fields"] == {"version": ["This field is required."]}
    assert snapshot(complaint) == before


def test_only_the_summoned_unit_reports(api_as, summoned):
    complaint, lead, summons = summoned
    before = snapshot(complaint)
    body = {"note": "已到现场", "version": fresh(summons).version}
    for username in ("donghuamen_handler", "dongcheng_supervisor", "dispatcher"):
        response = report(api_as(username), complaint, **body)
        assert response.status_code == 403, username
        assert response.json()["detail"] == "Only a summoned unit reports."
    for username in ("jingshan_handler", "nobody"):
        assert report(api_as(username), complaint, **body).status_code == 404
    assert snapshot(complaint) == before


def test_no_report_once_the_lead_has_resolved(api_as, summoned, world):
    complaint, lead, summons = summoned
    assignment_record_contact(user=world.handler, assignment_id=lead.pk, note="已联系")
    assignment_resolve(user=world.handler, assignment_id=lead.pk, reply="已处理")
    before = snapshot(complaint)

    response = report(api_as("market_handler"), complaint, note="已到现场", version=fresh(summons).version)

    assert response.json() == {"code": "refused", "detail": "This order is no longer open."}
    assert snapshot(complaint) == before


def test_a_report_and_the_lead_resolving_together_close_the_summons(api_as, summoned, world):
    complaint, lead, summons = summoned
    whistle_report(user=world.people["market_handler"], assignment_id=summons.pk, note="已到现场", version=None)
    assignment_record_contact(user=world.handler, assignment_id=lead.pk, note="已联系")
    response = post(api_as(STREET), complaint, "resolve", {"reply": "已处理", "version": fresh(lead).version})
    assert response.status_code == 200
    assert fresh(summons).status == AssignmentStatus.RESOLVED
    assert fresh(summons).role == AssignmentRole.CO_HANDLER


# --- Bodies that are wrong ---------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "field_name"),
    [
        ("return", {"reason": "bored"}, "reason"),
        ("whistle", {"message": "请到现场"}, "units"),
        ("whistle", {"units": "市场监管局", "message": "请到现场"}, "units"),
        ("whistle", {"units": ["abc"], "message": "请到现场"}, "units"),
        ("whistle", {"units": list(range(1, 60)), "message": "请到现场"}, "units"),
        ("more-time", {"resolve_due": "soon", "reason": "等待"}, "resolve_due"),
        ("contact", {"note": ["电话"]}, "note"),
        ("hand-down", {}, "community"),
    ],
)
def test_a_wrong_field_is_400_naming_it_and_changes_nothing(api_as, order, world, path, body, field_name):
    complaint, lead = order
    if path in ("whistle", "contact"):
        accept(world, lead)
    before = snapshot(complaint)

    response = post(api_as(STREET), complaint, path, body | {"version": fresh(lead).version})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == [field_name]
    assert snapshot(complaint) == before


def test_a_body_that_is_not_a_json_object_is_400(api_as, order):
    complaint, lead = order
    client = api_as(STREET)
    url = f"/api/v1/orders/{complaint.tracking_number}/accept/"
    before = snapshot(complaint)

    broken = client.post(url, "{not json", content_type="application/json")
    assert broken.status_code == 400 and broken.json()["code"] == "parse_error"
    listed = client.post(url, [1], format="json")
    assert listed.status_code == 400 and listed.json()["code"] == "invalid"
    form = client.post(url, "version=1", content_type="application/x-www-form-urlencoded")
    assert form.status_code == 415
    assert snapshot(complaint) == before


@pytest.mark.parametrize(
    ("path", "body", "detail"),
    [
        ("contact", {"note": "   "}, "Say how the resident was contacted."),
        ("resolve", {"reply": ""}, "Write the reply the resident will read."),
        ("notes", {}, "The note is empty."),
        ("return", {"reason": "other"}, "Say why the order is not yours."),
        ("whistle", {"units": [], "message": "请到现场"}, "Choose at least one department or utility to summon."),
        ("whistle", {"units": [999999], "message": "请到现场"}, "There is no unit number 999999."),
        ("whistle", {"units": [1]}, "Say what the summoned units are needed for."),
        ("more-time", {"resolve_due": "2020-01-01T00:00:00+08:00", "reason": "等待"}, None),
    ],
)
def test_texts_and_targets_the_service_refuses_change_nothing(api_as, order, world, path, body, detail):
    complaint, lead = order
    if path in ("contact", "whistle"):
        accept(world, lead)
    if path == "resolve":
        contact(world, lead)
    before = snapshot(complaint)

    response = post(api_as(STREET), complaint, path, body | {"version": fresh(lead).version})

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "refused"
    if detail:
        assert response.json()["detail"] == detail
    assert snapshot(complaint) == before


def test_hand_down_takes_a_community_by_code_or_id_and_no_other(api_as, order, world, units):
    complaint, lead = order
    client = api_as(STREET)
    other_street = UnitFactory(
        code="c-110101002001", name="隆福寺社区居委会", kind=UnitKind.COMMUNITY, parent=units["jingshan"]
    )
    before = snapshot(complaint)
    for value in (other_street.code, other_street.pk, "nope", units["dc_market"].code):
        response = post(client, complaint, "hand-down", {"community": value, "version": fresh(lead).version})
        assert response.json() == {"code": "refused", "detail": "Choose a community of this street."}, value
    assert snapshot(complaint) == before

    by_id = post(client, complaint, "hand-down", {"community": units["yinzha"].pk, "version": fresh(lead).version})
    assert by_id.status_code == 200
    assert by_id.json()["detail"] == "Handed down to 银闸社区居委会."
    assert fresh(lead).holder_id == units["yinzha"].pk


def test_a_community_that_hands_up_no_longer_sees_the_order(api_as, order, world):
    complaint, lead = order
    hand_down(world, lead)

    response = post(api_as("duofuxiang_handler"), complaint, "recall", {"version": fresh(lead).version})

    assert response.status_code == 200
    assert response.json() == {"detail": "Back with 东华门街道办事处.", "order": None}
    assert fresh(lead).holder_id == lead.unit_id


def test_actions_need_a_token_and_a_post(api_as, order):
    complaint, lead = order
    before = snapshot(complaint)
    anonymous = APIClient().post(f"/api/v1/orders/{complaint.tracking_number}/accept/", {"version": 1}, format="json")
    assert anonymous.status_code == 401
    assert api_as(STREET).get(f"/api/v1/orders/{complaint.tracking_number}/accept/").status_code == 405
    assert snapshot(complaint) == before


def test_the_whole_order_moves_as_on_the_page(api_as, order, world):
    """Sign for, contact and resolve leave the complaint where the page's actions would."""
    complaint, lead = order
    client = api_as(STREET)
    for path, body in (("accept", {}), ("contact", {"note": "已联系"}), ("resolve", {"reply": "已处理"})):
        assert post(client, complaint, path, body | {"version": fresh(lead).version}).status_code == 200
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESOLVED
    kinds = list(complaint.events.order_by("created_at", "id").values_list("kind", flat=True))
    assert kinds == ["submitted", "assigned", "accepted", "contacted", "note", "resolved"]

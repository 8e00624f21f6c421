"""Whistle to Respond (吹哨报到): the street summons departments, each must report
within its minutes, a late one is escalated once, and the summonses close with
the lead."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from complaints.models import ComplaintStatus
from complaints.selectors import public_timeline
from complaints.timeline import RESIDENT, STAFF, timeline_lines
from dispatch.models import (
    Alert,
    AlertKind,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    DepartmentKind,
    Notification,
    Role,
    UnitKind,
)
from dispatch.services.alerts import alerts_sweep
from dispatch.services.assignments import (
    assignment_accept,
    assignment_record_contact,
    assignment_resolve,
)
from dispatch.services.returns import assignment_return
from dispatch.services.triage import triage_dispatch
from dispatch.services.whistle import whistle_blow, whistle_report
from portal.errors import ActionRefused
from tests.factories import MembershipFactory, UnitFactory, UserFactory

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def housing(units):
    return UnitFactory(
        code="dep-110101-housing",
        name="东城区住房和城乡建设委员会",
        kind=UnitKind.DEPARTMENT,
        department_kind=DepartmentKind.HOUSING,
        parent=units["dongcheng"],
    )


@pytest.fixture
def staff(people, units, housing):
    """The people the flow needs beyond the fixtures: a housing handler and a
    supervisor for each summoned department."""

    def member(name, unit, role):
        user = UserFactory(username=name)
        MembershipFactory(user=user, unit=unit, role=role)
        return user

    return {
        **people,
        "housing_handler": member("housing_handler", housing, Role.HANDLER),
        "market_supervisor": member("market_supervisor", units["dc_market"], Role.SUPERVISOR),
        "housing_supervisor": member("housing_supervisor", housing, Role.SUPERVISOR),
    }


@pytest.fixture
def lead(submit, staff):
    with time_machine.travel(T0, tick=False):
        complaint = submit()
        assignment = complaint.assignments.get()
        assignment_accept(user=staff["donghuamen_handler"], assignment_id=assignment.pk)
    assignment.refresh_from_db()
    return assignment


def blow(lead, user, unit_ids, message="请派人到现场查看施工许可"):
    return whistle_blow(user=user, assignment_id=lead.pk, unit_ids=unit_ids, message=message, version=None)


def snapshot(lead):
    lead.refresh_from_db()
    return (
        Assignment.objects.filter(complaint=lead.complaint_id).count(),
        lead.complaint.events.count(),
        lead.version,
    )


def test_two_departments_one_reports_in_time_one_late_escalated_once(
    lead, staff, units, housing, django_capture_on_commit_callbacks
):
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        summoned = blow(lead, staff["donghuamen_handler"], [units["dc_market"].pk, housing.pk])
    market, housing_co = summoned
    assert [co.unit_id for co in summoned] == [units["dc_market"].pk, housing.pk]
    assert all(co.role == AssignmentRole.CO_HANDLER and co.lead_id == lead.pk for co in summoned)
    assert market.report_due == T0 + timedelta(minutes=35)  # the default policy's 30 minutes, clock time
    assert market.next_due == market.report_due

    with time_machine.travel(T0 + timedelta(minutes=20), tick=False):
        whistle_report(user=staff["market_handler"], assignment_id=market.pk, note="已到现场，施工已停止", version=None)
    market.refresh_from_db()
    assert market.status == AssignmentStatus.IN_PROGRESS and market.reported_at is not None
    assert market.next_due is None and market.next_alert_at is None

    with time_machine.travel(T0 + timedelta(minutes=40), tick=False), django_capture_on_commit_callbacks(execute=True):
        alerts_sweep()
        alerts_sweep()  # a second sweep sends nothing new

    late = Alert.objects.get(assignment=housing_co)
    assert (late.kind, late.level, late.unit_id) == (AlertKind.REPORT_BREACH, 1, housing.pk)
    assert list(Notification.objects.filter(alert=late).values_list("user__username", flat=True)) == [
        "housing_supervisor"
    ]
    assert not Alert.objects.filter(assignment=market).exists()
    assert not Alert.objects.filter(assignment=lead, kind=AlertKind.REPORT_BREACH).exists()

    # The lead resolves; the summonses close with it and nothing more fires for them.
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        assignment_record_contact(user=staff["donghuamen_handler"], assignment_id=lead.pk, note="电话联系")
        assignment_resolve(user=staff["donghuamen_handler"], assignment_id=lead.pk, reply="已责令停工")
    for co in (market, housing_co):
        co.refresh_from_db()
        assert co.status == AssignmentStatus.RESOLVED
        assert (co.next_due, co.next_alert_at, co.resolved_at) == (None, None, None)
    assert market.report_note == "已到现场，施工已停止" and housing_co.reported_at is None

    with translation.override("zh-hans"):
        public = [line.text for line in timeline_lines(public_timeline(complaint=lead.complaint), audience=RESIDENT)]
        internal = [line.text for line in timeline_lines(lead.complaint.events.all(), audience=STAFF)]
    assert any("已吹哨召集 东城区市场监督管理局、东城区住房和城乡建设委员会 协助办理" in m for m in public)
    # A summoned unit's report is internal unless the unit publishes a line; so is the summons message.
    assert not any("已报到" in m for m in public)
    assert any(m.startswith("东城区市场监督管理局 已报到：已到现场") for m in internal)
    assert not any("请派人到现场查看施工许可" in m for m in public)


def test_the_summoned_unit_sees_the_order_in_its_queue(lead, staff, units):
    from dispatch.selectors import queue_for

    blow(lead, staff["donghuamen_handler"], [units["dc_market"].pk])
    queue = list(queue_for(user=staff["market_handler"], unit=units["dc_market"]))
    assert [(a.complaint_id, a.role) for a in queue] == [(lead.complaint_id, AssignmentRole.CO_HANDLER)]
    assert [a.pk for a in queue_for(user=staff["donghuamen_handler"], unit=units["donghuamen"])] == [lead.pk]


def test_the_report_deadline_follows_the_leads_policy(lead, staff, units):
    from dispatch.models import DeadlinePolicy

    policy = DeadlinePolicy.objects.create(
        name="普通", priority=lead.complaint.priority, contact_within=24, resolve_within=7, report_within_minutes=45
    )
    Assignment.objects.filter(pk=lead.pk).update(policy=policy)
    lead.refresh_from_db()
    with time_machine.travel(T0, tick=False):
        (co,) = blow(lead, staff["donghuamen_handler"], [units["water"].pk])
    assert co.report_due == T0 + timedelta(minutes=45) and co.policy_id == policy.pk


@pytest.mark.parametrize(
    ("target", "message", "refusal"),
    [
        ("donghuamen", "x", "already handles this order"),
        ("jingshan", "x", "is not a department or utility"),
        ("duofuxiang", "x", "is not a department or utility"),
        ("inactive", "x", "is not an active unit of this city"),
        ("unknown", "x", "There is no unit number"),
        ("dc_market", "   ", "Say what the summoned units are needed for"),
        ("none", "x", "Choose at least one"),
    ],
)
def test_a_bad_summons_is_refused_and_changes_nothing(lead, staff, units, target, message, refusal):
    if target == "inactive":
        units["cy_market"].is_active = False
        units["cy_market"].save(update_fields=["is_active"])
    special = {
        "inactive": [units["dc_market"].pk, units["cy_market"].pk],  # one bad unit refuses the whole call
        "unknown": [units["dc_market"].pk, 999999],
        "none": [],
    }
    ids = special[target] if target in special else [units[target].pk]
    before = snapshot(lead)
    with pytest.raises(ActionRefused, match=refusal):
        blow(lead, staff["donghuamen_handler"], ids, message=message)
    assert snapshot(lead) == before


def test_a_unit_already_summoned_is_not_summoned_again(lead, staff, units):
    blow(lead, staff["donghuamen_handler"], [units["dc_market"].pk])
    before = snapshot(lead)
    with pytest.raises(ActionRefused, match="has already been summoned"):
        blow(lead, staff["donghuamen_handler"], [units["water"].pk, units["dc_market"].pk])
    assert snapshot(lead) == before


@pytest.mark.parametrize("who", ["jingshan_handler", "market_handler", "dongcheng_supervisor", "dispatcher"])
def test_only_the_lead_unit_blows_the_whistle(lead, staff, units, who):
    before = snapshot(lead)
    with pytest.raises(ActionRefused):
        blow(lead, staff[who], [units["water"].pk])
    assert snapshot(lead) == before


def test_a_summoned_unit_cannot_blow_the_whistle_on_its_own_summons(lead, staff, units):
    (co,) = blow(lead, staff["donghuamen_handler"], [units["dc_market"].pk])
    with pytest.raises(ActionRefused, match="Only the lead unit"):
        whistle_blow(
            user=staff["market_handler"], assignment_id=co.pk, unit_ids=[units["water"].pk], message="x", version=None
        )


def test_a_department_reports_once_and_only_for_its_own_summons(lead, staff, units, housing):
    market, housing_co = blow(lead, staff["donghuamen_handler"], [units["dc_market"].pk, housing.pk])
    with pytest.raises(ActionRefused, match="Say what your unit has done"):
        whistle_report(user=staff["market_handler"], assignment_id=market.pk, note=" ", version=None)
    with pytest.raises(ActionRefused):
        whistle_report(user=staff["market_handler"], assignment_id=housing_co.pk, note="到了", version=None)
    with pytest.raises(ActionRefused, match="Only a summoned unit reports"):
        whistle_report(user=staff["donghuamen_handler"], assignment_id=lead.pk, note="到了", version=None)
    whistle_report(user=staff["market_handler"], assignment_id=market.pk, note="到了", version=None)
    market.refresh_from_db()
    events = lead.complaint.events.count()
    with pytest.raises(ActionRefused, match="already reported"):
        whistle_report(user=staff["market_handler"], assignment_id=market.pk, note="又到了", version=None)
    market_after = Assignment.objects.get(pk=market.pk)
    assert (market_after.report_note, market_after.version) == ("到了", market.version)
    assert lead.complaint.events.count() == events


def test_a_department_handler_cannot_act_as_the_lead(lead, staff, units):
    (co,) = blow(lead, staff["donghuamen_handler"], [units["dc_market"].pk])
    from dispatch.services.extensions import extension_request

    for action in (
        lambda a: assignment_accept(user=staff["market_handler"], assignment_id=a),
        lambda a: assignment_record_contact(user=staff["market_handler"], assignment_id=a, note="x"),
        lambda a: assignment_resolve(user=staff["market_handler"], assignment_id=a, reply="x"),
        lambda a: assignment_return(user=staff["market_handler"], assignment_id=a, reason="not_our_remit"),
        lambda a: extension_request(
            user=staff["market_handler"], assignment_id=a, requested_due=T0 + timedelta(days=30), reason="x"
        ),
    ):
        for assignment_id in (co.pk, lead.pk):
            with pytest.raises(ActionRefused):
                action(assignment_id)
    co.refresh_from_db()
    lead.refresh_from_db()
    assert (co.status, lead.status) == (AssignmentStatus.ASSIGNED, AssignmentStatus.ACCEPTED)
    assert lead.complaint.status == ComplaintStatus.ACCEPTED


def test_no_report_once_the_lead_is_over(lead, staff, units):
    (co,) = blow(lead, staff["donghuamen_handler"], [units["dc_market"].pk])
    triage_dispatch(user=staff["dispatcher"], complaint_id=lead.complaint_id, unit_id=units["jingshan"].pk)
    co.refresh_from_db()
    assert (co.status, co.next_alert_at) == (AssignmentStatus.SUPERSEDED, None)
    with pytest.raises(ActionRefused):
        whistle_report(user=staff["market_handler"], assignment_id=co.pk, note="到了", version=None)


def test_a_returned_lead_takes_its_summonses_with_it(submit, staff, units):
    complaint = submit()
    lead = complaint.assignments.get()
    (co,) = blow(lead, staff["donghuamen_handler"], [units["water"].pk])
    assignment_return(user=staff["donghuamen_handler"], assignment_id=lead.pk, reason="not_our_remit")
    co.refresh_from_db()
    assert co.status == AssignmentStatus.SUPERSEDED and co.next_due is None

"""Handler actions as services: the happy path, and every refusal leaving the order as it was."""

import pytest
import time_machine
from django.utils import timezone, translation

from complaints.models import ComplaintStatus, EventKind, Satisfaction
from complaints.services import complaint_rate
from complaints.tasks import sweep_unrated
from complaints.timeline import RESIDENT, STAFF, timeline_lines
from dispatch.models import AssignmentReason, AssignmentStatus, TriageItem
from dispatch.services.assignments import (
    assignment_accept,
    assignment_add_note,
    assignment_hand_down,
    assignment_record_contact,
    assignment_resolve,
)
from dispatch.services.triage import triage_dispatch
from portal.errors import ActionRefused, ChangedBySomeoneElse, NotFound


@pytest.fixture
def order(submit, people):
    complaint = submit()
    return complaint, complaint.assignments.get()


def work_to_resolved(handler, assignment):
    assignment_accept(user=handler, assignment_id=assignment.pk)
    assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系了张先生")
    return assignment_resolve(user=handler, assignment_id=assignment.pk, reply="已责令施工方夜间停工")


def snapshot(complaint, assignment):
    complaint.refresh_from_db()
    assignment.refresh_from_db()
    return complaint.status, complaint.version, assignment.status, assignment.version, complaint.events.count()


def test_sign_for_contact_resolve_moves_complaint_and_assignment_together(order, people):
    complaint, assignment = order
    handler = people["donghuamen_handler"]
    assignment_accept(user=handler, assignment_id=assignment.pk, version=assignment.version)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ACCEPTED
    assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.IN_PROGRESS
    assert assignment.next_due == assignment.resolve_due  # the contact deadline is met
    assignment_resolve(user=handler, assignment_id=assignment.pk, reply="已处理")
    complaint.refresh_from_db()
    assignment.refresh_from_db()
    assert (complaint.status, assignment.status, assignment.next_due) == ("resolved", "resolved", None)
    public = list(complaint.events.filter(is_public=True).values_list("kind", flat=True))
    assert public == ["submitted", "assigned", "accepted", "contacted", "resolved"]
    assert complaint.events.get(kind="resolved").message == "已处理"
    assert complaint.events.filter(kind="note", is_public=False, message="电话联系").exists()


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        (lambda u, a: assignment_resolve(user=u, assignment_id=a.pk, reply="x"), "Sign for"),
        (lambda u, a: assignment_record_contact(user=u, assignment_id=a.pk, note="x"), "Sign for"),
    ],
    ids=["resolve-before-sign-for", "contact-before-sign-for"],
)
def test_out_of_order_action_is_refused_and_changes_nothing(order, people, action, expected):
    complaint, assignment = order
    before = snapshot(complaint, assignment)
    with pytest.raises(ActionRefused, match=expected):
        action(people["donghuamen_handler"], assignment)
    assert snapshot(complaint, assignment) == before


def test_resolve_before_contact_is_refused(order, people):
    complaint, assignment = order
    assignment_accept(user=people["donghuamen_handler"], assignment_id=assignment.pk)
    before = snapshot(complaint, assignment)
    with pytest.raises(ActionRefused, match="Contact the resident"):
        assignment_resolve(user=people["donghuamen_handler"], assignment_id=assignment.pk, reply="x")
    assert snapshot(complaint, assignment) == before


def test_signing_for_twice_is_refused(order, people):
    _, assignment = order
    assignment_accept(user=people["donghuamen_handler"], assignment_id=assignment.pk)
    with pytest.raises(ActionRefused):
        assignment_accept(user=people["donghuamen_handler"], assignment_id=assignment.pk)


@pytest.mark.parametrize("who", ["jingshan_handler", "market_handler", "dongcheng_supervisor", "dispatcher", "nobody"])
def test_only_the_holding_unit_can_act(order, people, who):
    complaint, assignment = order
    before = snapshot(complaint, assignment)
    with pytest.raises(ActionRefused, match="Only the unit"):
        assignment_accept(user=people[who], assignment_id=assignment.pk)
    assert snapshot(complaint, assignment) == before


def test_stale_form_version_is_changed_by_someone_else(order, people):
    complaint, assignment = order
    handler = people["donghuamen_handler"]
    loaded = assignment.version
    assignment_accept(user=handler, assignment_id=assignment.pk, version=loaded)
    before = snapshot(complaint, assignment)
    with pytest.raises(ChangedBySomeoneElse):
        assignment_record_contact(user=handler, assignment_id=assignment.pk, note="x", version=loaded)
    assert snapshot(complaint, assignment) == before


def test_unknown_assignment_is_not_found(people):
    with pytest.raises(NotFound):
        assignment_accept(user=people["donghuamen_handler"], assignment_id=999_999)


@pytest.mark.parametrize("text", ["", "   ", "字" * 2001])
def test_empty_or_overlong_text_is_refused(order, people, text):
    complaint, assignment = order
    before = snapshot(complaint, assignment)
    with pytest.raises(ActionRefused):
        assignment_add_note(user=people["donghuamen_handler"], assignment_id=assignment.pk, note=text)
    assert snapshot(complaint, assignment) == before


def test_note_is_internal_and_does_not_bump_the_version(order, people):
    complaint, assignment = order
    assignment_add_note(user=people["donghuamen_handler"], assignment_id=assignment.pk, note="需要城管配合")
    assignment.refresh_from_db()
    assert assignment.version == 1
    assert complaint.events.get(kind="note").is_public is False


def test_hand_down_moves_the_work_but_not_the_clock(order, people, units):
    complaint, assignment = order
    due = (assignment.contact_due, assignment.resolve_due, assignment.next_due)
    assignment_hand_down(
        user=people["donghuamen_handler"], assignment_id=assignment.pk, community_id=units["duofuxiang"].pk
    )
    assignment.refresh_from_db()
    assert assignment.holder == units["duofuxiang"] and assignment.unit == units["donghuamen"]
    assert (assignment.contact_due, assignment.resolve_due, assignment.next_due) == due
    # The community now works it; the street keeps the right to act too.
    work_to_resolved(people["duofuxiang_handler"], assignment)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESOLVED
    resolved = complaint.events.get(kind="resolved")
    assert timeline_lines([resolved], audience=RESIDENT)[0].actor == units["duofuxiang"].name


def test_hand_down_to_a_community_of_another_street_is_refused(order, people, units):
    complaint, assignment = order
    other = units["duofuxiang"].__class__.objects.create(
        code="c-110101002001",
        name="隆福寺社区居委会",
        kind="community",
        parent=units["jingshan"],
        path=units["jingshan"].path + "c-110101002001/",
    )
    before = snapshot(complaint, assignment)
    with pytest.raises(ActionRefused, match="community of this street"):
        assignment_hand_down(user=people["donghuamen_handler"], assignment_id=assignment.pk, community_id=other.pk)
    assert snapshot(complaint, assignment) == before


def test_a_department_cannot_hand_down(submit, people, units):
    complaint = submit(category="market_food")
    assignment = complaint.assignments.get()
    with pytest.raises(ActionRefused, match="street office"):
        assignment_hand_down(
            user=people["market_handler"], assignment_id=assignment.pk, community_id=units["duofuxiang"].pk
        )


def test_the_hand_back_after_a_reopen_is_the_centres_line_not_the_residents(order, people):
    complaint, assignment = order
    work_to_resolved(people["donghuamen_handler"], assignment)
    complaint_rate(complaint_id=complaint.pk, solved=False, satisfaction=Satisfaction.UNSATISFIED)
    handed_back, reopened = complaint.events.order_by("-created_at", "-id")[:2]
    assert (reopened.kind, reopened.data["by"]) == (EventKind.REOPENED, "resident")
    # The portal hands it back: not the resident's doing.
    assert (handed_back.kind, handed_back.data["by"], handed_back.data["fact"]) == (
        EventKind.ASSIGNED,
        "system",
        "reassigned",
    )
    with translation.override("zh-hans"):
        lines = timeline_lines([reopened, handed_back], audience=STAFF)
        assert lines[0].actor == "市民"
        assert timeline_lines([handed_back], audience=RESIDENT)[0].text == "已退回 东华门街道办事处。"
    with translation.override("en"):
        actors = [line.actor for line in timeline_lines([reopened, handed_back], audience=STAFF)]
    assert actors == ["Resident", "System"]


def test_not_satisfied_reopens_to_the_same_unit_with_fresh_due_times(order, people, units):
    complaint, assignment = order
    work_to_resolved(people["donghuamen_handler"], assignment)
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=3)):
        complaint_rate(complaint_id=complaint.pk, solved=False, satisfaction=Satisfaction.UNSATISFIED, comment="还在吵")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ASSIGNED and complaint.reopen_count == 1
    new = complaint.assignments.get(status=AssignmentStatus.ASSIGNED)
    assert new.unit == units["donghuamen"] and new.reason == AssignmentReason.REOPENED
    assert new.pk != assignment.pk and new.assigned_at > assignment.assigned_at
    assert complaint.assignments.filter(status=AssignmentStatus.RESOLVED).count() == 1
    # Worked again and rated satisfied this time: closed, two ratings on record.
    work_to_resolved(people["donghuamen_handler"], new)
    complaint_rate(complaint_id=complaint.pk, solved=True, satisfaction=Satisfaction.BASICALLY)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED
    assert list(complaint.ratings.values_list("round", "satisfaction")) == [(1, "unsatisfied"), (2, "basically")]


def test_rating_an_unresolved_complaint_is_refused(order):
    complaint, _ = order
    with pytest.raises(ActionRefused):
        complaint_rate(complaint_id=complaint.pk, solved=True, satisfaction=Satisfaction.SATISFIED)
    assert not complaint.ratings.exists()


def test_unrated_resolved_complaint_closes_after_the_rating_window(order, people, settings):
    complaint, assignment = order
    work_to_resolved(people["donghuamen_handler"], assignment)
    assert sweep_unrated() == 0
    with time_machine.travel(timezone.now() + settings.WHISTLE_RATING_WINDOW + timezone.timedelta(minutes=1)):
        assert sweep_unrated() == 1
        assert sweep_unrated() == 0
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED


def test_dispatcher_dispatches_a_triaged_complaint_by_hand(submit, people, units):
    complaint = submit(category="other_misc")
    assignment = triage_dispatch(user=people["dispatcher"], complaint_id=complaint.pk, unit_id=units["jingshan"].pk)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ASSIGNED
    assert assignment.unit == units["jingshan"] and assignment.reason == AssignmentReason.DISPATCHED
    assert not TriageItem.objects.filter(complaint=complaint, closed_at__isnull=True).exists()


def test_dispatcher_redispatch_supersedes_the_live_assignment(order, people, units):
    complaint, assignment = order
    new = triage_dispatch(user=people["dispatcher"], complaint_id=complaint.pk, unit_id=units["jingshan"].pk)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUPERSEDED and assignment.next_due is None
    assert new.unit == units["jingshan"]


def test_only_a_dispatcher_dispatches_by_hand(submit, people, units):
    complaint = submit(category="other_misc")
    with pytest.raises(ActionRefused):
        triage_dispatch(user=people["donghuamen_handler"], complaint_id=complaint.pk, unit_id=units["jingshan"].pk)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.SUBMITTED


def test_dispatch_to_the_unit_that_already_holds_it_is_refused(order, people, units):
    complaint, _ = order
    with pytest.raises(ActionRefused):
        triage_dispatch(user=people["dispatcher"], complaint_id=complaint.pk, unit_id=units["donghuamen"].pk)

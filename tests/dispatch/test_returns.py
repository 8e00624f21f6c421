"""Returns (退单) and re-routing without the returning unit; hand-up and take-back."""

import pytest
import time_machine
from django.utils import timezone

from complaints.models import ComplaintStatus
from dispatch.models import AssignmentStatus, TargetKind, TriageItem, TriageReason
from dispatch.services.assignments import assignment_accept, assignment_hand_down, assignment_recall
from dispatch.services.returns import FLAG_AFTER_RETURNS, assignment_return, returned_by, triage_reroute
from portal.errors import ActionRefused
from tests.factories import RoutingRuleFactory


@pytest.fixture
def order(submit, people):
    complaint = submit()
    return complaint, complaint.assignments.get()


def state(complaint, assignment):
    complaint.refresh_from_db()
    assignment.refresh_from_db()
    return complaint.status, complaint.version, assignment.status, assignment.version


def test_return_within_the_window_sends_the_order_to_triage_with_the_reason(order, people, units):
    complaint, assignment = order
    assignment_return(
        user=people["donghuamen_handler"], assignment_id=assignment.pk, reason="wrong_place", note="地址在景山街道"
    )
    assert state(complaint, assignment)[0::2] == (ComplaintStatus.RETURNED, AssignmentStatus.RETURNED)
    assert assignment.next_due is None and assignment.next_alert_at is None
    item = TriageItem.objects.get(complaint=complaint, closed_at__isnull=True)
    assert item.reason == TriageReason.RETURNED
    assert "东华门街道办事处" in item.note and "地址在景山街道" in item.note
    assert complaint.events.filter(kind="returned", is_public=True).exists()


def test_return_outside_the_window_is_refused(order, people, settings):
    complaint, assignment = order
    before = state(complaint, assignment)
    with time_machine.travel(timezone.now() + settings.WHISTLE_RETURN_WINDOW + timezone.timedelta(minutes=1)):
        with pytest.raises(ActionRefused, match="Returns are allowed only within"):
            assignment_return(user=people["donghuamen_handler"], assignment_id=assignment.pk, reason="not_our_remit")
    assert state(complaint, assignment) == before


def test_return_after_signing_for_is_refused(order, people):
    complaint, assignment = order
    assignment_accept(user=people["donghuamen_handler"], assignment_id=assignment.pk)
    before = state(complaint, assignment)
    with pytest.raises(ActionRefused, match="before it is signed for"):
        assignment_return(user=people["donghuamen_handler"], assignment_id=assignment.pk, reason="not_our_remit")
    assert state(complaint, assignment) == before


@pytest.mark.parametrize(("reason", "note"), [("", ""), ("bogus", ""), ("other", "  ")])
def test_return_without_a_reason_is_refused(order, people, reason, note):
    complaint, assignment = order
    before = state(complaint, assignment)
    with pytest.raises(ActionRefused):
        assignment_return(user=people["donghuamen_handler"], assignment_id=assignment.pk, reason=reason, note=note)
    assert state(complaint, assignment) == before


def test_another_unit_cannot_return_the_order(order, people):
    complaint, assignment = order
    before = state(complaint, assignment)
    with pytest.raises(ActionRefused, match="Only the unit"):
        assignment_return(user=people["jingshan_handler"], assignment_id=assignment.pk, reason="not_our_remit")
    assert state(complaint, assignment) == before


def test_reroute_leaves_out_the_unit_that_returned_it(order, people, units, categories):
    complaint, assignment = order
    fallback = RoutingRuleFactory(
        category=categories["noise"], target_kind=TargetKind.FIXED, target_unit=units["dongcheng"], priority=-1
    )
    assignment_return(user=people["donghuamen_handler"], assignment_id=assignment.pk, reason="not_our_remit")
    new = triage_reroute(user=people["dispatcher"], complaint_id=complaint.pk)
    assert (new.unit, new.rule) == (units["dongcheng"], fallback)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ASSIGNED
    assert not TriageItem.objects.filter(complaint=complaint, closed_at__isnull=True).exists()


def test_reroute_with_no_other_unit_is_refused_and_leaves_it_in_triage(order, people):
    complaint, assignment = order
    assignment_return(user=people["donghuamen_handler"], assignment_id=assignment.pk, reason="not_our_remit")
    with pytest.raises(ActionRefused, match="No other unit"):
        triage_reroute(user=people["dispatcher"], complaint_id=complaint.pk)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RETURNED
    assert TriageItem.objects.filter(complaint=complaint, closed_at__isnull=True).count() == 1


def test_only_a_dispatcher_reroutes(order, people):
    complaint, assignment = order
    assignment_return(user=people["donghuamen_handler"], assignment_id=assignment.pk, reason="not_our_remit")
    with pytest.raises(ActionRefused):
        triage_reroute(user=people["donghuamen_handler"], complaint_id=complaint.pk)


def test_an_order_returned_twice_is_known_by_both_units(order, people, units, categories):
    from dispatch.services.triage import triage_dispatch

    complaint, assignment = order
    assignment_return(user=people["donghuamen_handler"], assignment_id=assignment.pk, reason="not_our_remit")
    second = triage_dispatch(user=people["dispatcher"], complaint_id=complaint.pk, unit_id=units["jingshan"].pk)
    assignment_return(user=people["jingshan_handler"], assignment_id=second.pk, reason="wrong_place")
    assert returned_by(complaint_id=complaint.pk) == {units["donghuamen"].pk, units["jingshan"].pk}
    assert len(returned_by(complaint_id=complaint.pk)) >= FLAG_AFTER_RETURNS


def test_street_takes_back_and_community_hands_up_without_moving_the_clock(order, people, units):
    complaint, assignment = order
    due = (assignment.contact_due, assignment.resolve_due)
    assignment_hand_down(
        user=people["donghuamen_handler"], assignment_id=assignment.pk, community_id=units["duofuxiang"].pk
    )
    assignment_recall(user=people["duofuxiang_handler"], assignment_id=assignment.pk)  # hand up
    assignment.refresh_from_db()
    assert assignment.holder == units["donghuamen"]
    assignment_hand_down(
        user=people["donghuamen_handler"], assignment_id=assignment.pk, community_id=units["duofuxiang"].pk
    )
    assignment_recall(user=people["donghuamen_handler"], assignment_id=assignment.pk)  # take back
    assignment.refresh_from_db()
    assert assignment.holder == units["donghuamen"]
    assert (assignment.contact_due, assignment.resolve_due) == due
    with pytest.raises(ActionRefused, match="already with"):
        assignment_recall(user=people["donghuamen_handler"], assignment_id=assignment.pk)


def test_a_handed_down_order_is_handed_up_not_returned(order, people, units):
    complaint, assignment = order
    assignment_hand_down(
        user=people["donghuamen_handler"], assignment_id=assignment.pk, community_id=units["duofuxiang"].pk
    )
    before = state(complaint, assignment)
    with pytest.raises(ActionRefused, match="with a community"):
        assignment_return(user=people["duofuxiang_handler"], assignment_id=assignment.pk, reason="not_our_remit")
    assert state(complaint, assignment) == before

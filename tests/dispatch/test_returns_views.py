"""Returning an order (退单), taking back / handing up, and routing a returned
order again, through the desk pages."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints.models import ComplaintStatus
from dispatch.models import AssignmentStatus, TargetKind, TriageItem, TriageReason
from dispatch.services.assignments import assignment_accept, assignment_hand_down
from dispatch.services.returns import assignment_return
from dispatch.services.triage import triage_dispatch
from tests.factories import RoutingRuleFactory

TRIAGE = reverse("dispatch:triage")


@pytest.fixture
def order(submit, people):
    complaint = submit()
    return complaint, complaint.assignments.get()


def url(name, complaint):
    return reverse(f"dispatch:{name}", args=[complaint.tracking_number])


def state(complaint, assignment):
    complaint.refresh_from_db()
    assignment.refresh_from_db()
    return complaint.status, complaint.version, assignment.status, assignment.version, assignment.holder_id


def returned(complaint, assignment, user, reason="not_our_remit", note=""):
    assignment_return(user=user, assignment_id=assignment.pk, reason=reason, note=note)


def test_handler_returns_within_the_window_and_triage_shows_the_reason(order, people, as_user):
    complaint, assignment = order
    handler = as_user(people["donghuamen_handler"])
    page = handler.get(url("order", complaint))
    html = page.content.decode()
    assert page.context["return_form"]["version"].value() == assignment.version
    assert "Return this order (退单)" in html and "Allowed until" in html

    response = handler.post(
        url("return_order", complaint),
        {"reason": "wrong_place", "note": "地址在景山街道", "version": assignment.version},
        follow=True,
    )
    assert "Returned to the 12345 centre." in response.content.decode()
    assert state(complaint, assignment)[0::2][:2] == (ComplaintStatus.RETURNED, AssignmentStatus.RETURNED)
    assert (assignment.return_reason, assignment.return_note) == ("wrong_place", "地址在景山街道")

    triage = as_user(people["dispatcher"]).get(TRIAGE).content.decode()
    assert complaint.tracking_number in triage
    assert "The place is outside this unit&#x27;s area" in triage and "地址在景山街道" in triage
    assert "returned 1 time" not in triage  # one return is not yet a pattern


def test_return_with_other_and_no_note_is_refused(order, people, as_user):
    complaint, assignment = order
    before = state(complaint, assignment)
    response = as_user(people["donghuamen_handler"]).post(
        url("return_order", complaint), {"reason": "other", "note": " ", "version": assignment.version}, follow=True
    )
    assert "Say why the order is not yours." in response.content.decode()
    assert state(complaint, assignment) == before


def test_return_without_a_reason_is_refused(order, people, as_user):
    complaint, assignment = order
    before = state(complaint, assignment)
    response = as_user(people["donghuamen_handler"]).post(
        url("return_order", complaint), {"reason": "", "version": assignment.version}, follow=True
    )
    assert "Choose why the order is not yours." in response.content.decode()
    assert state(complaint, assignment) == before


def test_no_return_form_and_a_forged_return_refused_after_signing_for(order, people, as_user):
    complaint, assignment = order
    assignment_accept(user=people["donghuamen_handler"], assignment_id=assignment.pk)
    handler = as_user(people["donghuamen_handler"])
    page = handler.get(url("order", complaint))
    assert "return_form" not in page.context and "Return this order" not in page.content.decode()
    before = state(complaint, assignment)
    response = handler.post(
        url("return_order", complaint), {"reason": "not_our_remit", "version": before[3]}, follow=True
    )
    assert "only before it is signed for" in response.content.decode()
    assert state(complaint, assignment) == before


def test_no_return_form_and_a_forged_return_refused_after_the_window(order, people, as_user, settings):
    complaint, assignment = order
    before = state(complaint, assignment)
    later = timezone.now() + settings.WHISTLE_RETURN_WINDOW + timezone.timedelta(minutes=1)
    with time_machine.travel(later):
        handler = as_user(people["donghuamen_handler"])
        page = handler.get(url("order", complaint))
        assert "return_form" not in page.context and "Return this order" not in page.content.decode()
        response = handler.post(
            url("return_order", complaint), {"reason": "not_our_remit", "version": assignment.version}, follow=True
        )
    assert "Returns are allowed only within" in response.content.decode()
    assert state(complaint, assignment) == before


@pytest.mark.parametrize("action", ["return_order", "recall", "reroute"])
def test_a_handler_of_another_unit_cannot_act(order, people, as_user, action):
    complaint, assignment = order
    before = state(complaint, assignment)
    response = as_user(people["jingshan_handler"]).post(
        url(action, complaint), {"reason": "not_our_remit", "version": assignment.version}
    )
    assert response.status_code == 404
    assert state(complaint, assignment) == before


def test_community_hands_up_and_street_takes_back(order, people, units, as_user):
    complaint, assignment = order
    street, community = as_user(people["donghuamen_handler"]), as_user(people["duofuxiang_handler"])
    due = (assignment.contact_due, assignment.resolve_due)
    assert "recall_form" not in street.get(url("order", complaint)).context  # not handed down yet

    assignment_hand_down(
        user=people["donghuamen_handler"], assignment_id=assignment.pk, community_id=units["duofuxiang"].pk
    )
    assignment.refresh_from_db()
    page = community.get(url("order", complaint))
    assert page.context["recall_is_take_back"] is False and "Hand up" in page.content.decode()
    response = community.post(url("recall", complaint), {"version": assignment.version}, follow=True)
    # The community no longer holds the order, so it lands on its desk with the message.
    assert response.redirect_chain[0][0] == reverse("dispatch:home")
    assert "Back with 东华门街道办事处." in response.content.decode()
    assert state(complaint, assignment)[4] == units["donghuamen"].pk

    assignment_hand_down(
        user=people["donghuamen_handler"], assignment_id=assignment.pk, community_id=units["duofuxiang"].pk
    )
    assignment.refresh_from_db()
    page = street.get(url("order", complaint))
    assert page.context["recall_is_take_back"] is True and "Take back" in page.content.decode()
    street.post(url("recall", complaint), {"version": assignment.version})
    assignment.refresh_from_db()
    assert assignment.holder == units["donghuamen"]
    assert (assignment.contact_due, assignment.resolve_due) == due


def test_recall_with_a_stale_version_is_refused(order, people, units, as_user):
    complaint, assignment = order
    assignment_hand_down(
        user=people["donghuamen_handler"], assignment_id=assignment.pk, community_id=units["duofuxiang"].pk
    )
    before = state(complaint, assignment)
    as_user(people["duofuxiang_handler"]).post(url("recall", complaint), {"version": before[3] - 1})
    assert state(complaint, assignment) == before


def test_dispatcher_reroutes_to_the_next_rules_unit_and_sees_the_history(order, people, units, categories, as_user):
    complaint, assignment = order
    RoutingRuleFactory(
        category=categories["noise"], target_kind=TargetKind.FIXED, target_unit=units["dongcheng"], priority=-1
    )
    returned(complaint, assignment, people["donghuamen_handler"], reason="wrong_category", note="不是施工")
    dispatcher = as_user(people["dispatcher"])
    page = dispatcher.get(url("order", complaint))
    html = page.content.decode()
    assert page.context["can_reroute"] is True and "Route again without the returning unit(s)" in html
    assert [a.unit_id for a in page.context["return_history"]] == [units["donghuamen"].pk]
    assert "Wrong category" in html and "不是施工" in html

    response = dispatcher.post(url("reroute", complaint), follow=True)
    assert "Routed again to 东城区人民政府." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ASSIGNED
    assert complaint.assignments.get(status=AssignmentStatus.ASSIGNED).unit == units["dongcheng"]
    assert not TriageItem.objects.filter(complaint=complaint, closed_at__isnull=True).exists()


def test_supervisor_sees_the_return_history_but_cannot_reroute(order, people, as_user):
    complaint, assignment = order
    returned(complaint, assignment, people["donghuamen_handler"])
    supervisor = as_user(people["dongcheng_supervisor"])
    page = supervisor.get(url("order", complaint))
    assert len(page.context["return_history"]) == 1 and "can_reroute" not in page.context
    before = state(complaint, assignment)
    response = supervisor.post(url("reroute", complaint), follow=True)
    assert "Only the 12345 centre" in response.content.decode()
    assert state(complaint, assignment) == before


def test_reroute_with_no_other_unit_is_refused_and_stays_in_triage(order, people, as_user):
    complaint, assignment = order
    returned(complaint, assignment, people["donghuamen_handler"])
    response = as_user(people["dispatcher"]).post(url("reroute", complaint), follow=True)
    assert "No other unit fits the routing rules" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RETURNED
    assert TriageItem.objects.filter(complaint=complaint, closed_at__isnull=True, reason=TriageReason.RETURNED).exists()


def test_triage_flags_an_order_returned_twice(order, people, units, as_user):
    complaint, assignment = order
    returned(complaint, assignment, people["donghuamen_handler"])
    second = triage_dispatch(user=people["dispatcher"], complaint_id=complaint.pk, unit_id=units["jingshan"].pk)
    returned(complaint, second, people["jingshan_handler"], reason="wrong_place")
    response = as_user(people["dispatcher"]).get(TRIAGE)
    (item,) = response.context["page"]
    assert item.returns == 2
    assert "returned 2 times" in response.content.decode()


def _fill_triage(submit, people, count):
    for _ in range(count):
        complaint = submit()
        returned(complaint, complaint.assignments.get(), people["donghuamen_handler"])


def test_triage_page_query_count_does_not_grow_with_rows(submit, people, as_user):
    dispatcher = as_user(people["dispatcher"])
    _fill_triage(submit, people, 3)
    dispatcher.get(TRIAGE)  # warm up session and caches
    with CaptureQueriesContext(connection) as few:
        assert len(dispatcher.get(TRIAGE).context["page"]) == 3
    _fill_triage(submit, people, 9)
    with CaptureQueriesContext(connection) as many:
        assert len(dispatcher.get(TRIAGE).context["page"]) == 12
    assert len(few) == len(many)

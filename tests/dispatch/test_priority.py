"""The 12345 centre changes an order's priority; the live assignment's due times
follow the new policy, measured from when the unit got the order."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from complaints.models import EventKind, Priority
from complaints.timeline import STAFF, event_text
from dispatch.models import AssignmentStatus
from dispatch.services.assignments import assignment_accept, assignment_record_contact
from dispatch.services.extensions import extension_decide, extension_request
from dispatch.services.priority import complaint_set_priority
from dispatch.services.seed import policies_seed
from dispatch.services.triage import triage_dispatch
from portal.errors import ActionRefused, ChangedBySomeoneElse

MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def order(categories, submit, people):
    policies_seed()
    with time_machine.travel(MONDAY, tick=False):
        complaint = submit()
    return complaint, complaint.assignments.get()


def state(complaint, assignment):
    complaint.refresh_from_db()
    assignment.refresh_from_db()
    return (complaint.priority, complaint.version, assignment.contact_due, assignment.resolve_due, assignment.version)


def test_raising_to_urgent_shortens_the_due_times_from_the_original_assignment(order, people):
    complaint, assignment = order
    assert (assignment.policy.name, assignment.resolve_due) == ("一般诉求", MONDAY + timedelta(days=7))
    with time_machine.travel(MONDAY + timedelta(minutes=30), tick=False):
        complaint_set_priority(
            user=people["dispatcher"], complaint_id=complaint.pk, priority=Priority.URGENT, version=complaint.version
        )
    complaint.refresh_from_db()
    assignment.refresh_from_db()
    assert complaint.priority == Priority.URGENT
    assert assignment.policy.name == "紧急诉求"
    assert (assignment.contact_due, assignment.resolve_due) == (
        MONDAY + timedelta(hours=2),
        MONDAY + timedelta(hours=24),
    )
    assert assignment.next_due == MONDAY + timedelta(hours=2)
    # The warning now comes at 80% of two hours.
    assert assignment.next_alert_at == MONDAY + timedelta(minutes=96)
    event = complaint.events.latest("created_at", "id")
    assert (event.kind, event.is_public) == (EventKind.NOTE, False)
    assert event.data == {"fact": "priority", "by": "centre", "old": "normal", "new": "urgent"}
    with translation.override("zh-hans"):
        assert event_text(event, audience=STAFF) == "优先级已由“一般”调整为“紧急”。"
    with translation.override("en"):
        assert event_text(event, audience=STAFF) == "Priority changed from Ordinary to Urgent."


def test_lowering_to_complex_counts_working_days(order, people):
    complaint, assignment = order
    complaint_set_priority(user=people["dispatcher"], complaint_id=complaint.pk, priority=Priority.COMPLEX)
    assignment.refresh_from_db()
    # Monday 16 Nov 2026 + 15 working days (no holidays then): Monday 7 Dec.
    assert assignment.resolve_due == datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert assignment.contact_due == MONDAY + timedelta(hours=24)


def test_a_met_contact_deadline_stays_and_an_approved_extension_keeps_its_later_time(order, people):
    complaint, assignment = order
    handler = people["donghuamen_handler"]
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False):
        assignment_accept(user=handler, assignment_id=assignment.pk)
        assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系")
        extension = extension_request(
            user=handler, assignment_id=assignment.pk, requested_due=MONDAY + timedelta(days=20), reason="等待业主大会"
        )
        extension_decide(user=people["dispatcher"], extension_id=extension.pk, approve=True)
        complaint_set_priority(user=people["dispatcher"], complaint_id=complaint.pk, priority=Priority.URGENT)
    assignment.refresh_from_db()
    assert assignment.contact_due == MONDAY + timedelta(hours=24)  # met under the old policy; history stays
    assert assignment.resolve_due == MONDAY + timedelta(days=20)  # later than the urgent 24 h: the extension holds
    assert assignment.status == AssignmentStatus.IN_PROGRESS


@pytest.mark.parametrize("who", ["donghuamen_handler", "dongcheng_supervisor", "city_supervisor", "nobody"])
def test_only_a_dispatcher_may_change_the_priority(order, people, who):
    complaint, assignment = order
    before = state(complaint, assignment)
    with pytest.raises(ActionRefused, match="Only the 12345 centre"):
        complaint_set_priority(user=people[who], complaint_id=complaint.pk, priority=Priority.URGENT)
    assert state(complaint, assignment) == before


@pytest.mark.parametrize(
    "priority, version, error, message",
    [
        ("asap", None, ActionRefused, "Choose a priority"),
        ("", None, ActionRefused, "Choose a priority"),
        ("normal", None, ActionRefused, "already has that priority"),
        ("urgent", 999, ChangedBySomeoneElse, "changed by someone else"),
    ],
)
def test_bad_priority_changes_are_refused_and_change_nothing(order, people, priority, version, error, message):
    complaint, assignment = order
    before = state(complaint, assignment)
    with pytest.raises(error, match=message):
        complaint_set_priority(user=people["dispatcher"], complaint_id=complaint.pk, priority=priority, version=version)
    assert state(complaint, assignment) == before


def test_dispatcher_changes_priority_from_the_order_page(order, people, client):
    complaint, assignment = order
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(people["dispatcher"])
    page = client.get(reverse("dispatch:order", args=[complaint.tracking_number]))
    assert page.context["priority_form"]["version"].value() == complaint.version
    assert "一般诉求" in page.content.decode()  # the policy's name

    response = client.post(
        reverse("dispatch:set_priority", args=[complaint.tracking_number]),
        {"priority": "urgent", "version": complaint.version},
        follow=True,
    )
    assert "Priority set to Urgent" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.policy.name == "紧急诉求"

    response = client.post(
        reverse("dispatch:set_priority", args=[complaint.tracking_number]),
        {"priority": "whenever", "version": complaint.version + 1},
        follow=True,
    )
    assert "Choose a priority: urgent, ordinary or complex." in response.content.decode()


def test_handler_sees_no_priority_form_and_cannot_post_one(order, people, client):
    complaint, assignment = order
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(people["donghuamen_handler"])
    page = client.get(reverse("dispatch:order", args=[complaint.tracking_number]))
    assert "priority_form" not in page.context
    before = state(complaint, assignment)
    response = client.post(
        reverse("dispatch:set_priority", args=[complaint.tracking_number]),
        {"priority": "urgent", "version": complaint.version},
        follow=True,
    )
    assert "Only the 12345 centre can change an order&#x27;s priority." in response.content.decode()
    assert state(complaint, assignment) == before


def test_an_order_in_triage_takes_its_new_priority_to_its_first_assignment(categories, submit, people, units, client):
    policies_seed()
    complaint = submit(category="other_misc")  # no rule: triage
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(people["dispatcher"])
    page = client.get(reverse("dispatch:order", args=[complaint.tracking_number]))
    assert "priority_form" in page.context and "extension_form" not in page.context
    complaint_set_priority(user=people["dispatcher"], complaint_id=complaint.pk, priority=Priority.URGENT)
    assignment = triage_dispatch(user=people["dispatcher"], complaint_id=complaint.pk, unit_id=units["donghuamen"].pk)
    assert assignment.policy.name == "紧急诉求"
    assert assignment.resolve_due - assignment.assigned_at == timedelta(hours=24)

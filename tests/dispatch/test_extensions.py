"""Asking for more time (延期) and deciding on it: the due times move only on
approval, the resident sees only the approval, and every boundary holds."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from complaints.models import EventKind, Satisfaction
from complaints.services import complaint_rate
from complaints.timeline import RESIDENT, STAFF, event_text, timeline_lines
from dispatch.models import AssignmentReason, AssignmentStatus, Extension, ExtensionStatus, Membership, Role
from dispatch.services.assignments import (
    assignment_accept,
    assignment_hand_down,
    assignment_record_contact,
    assignment_resolve,
)
from dispatch.services.extensions import extension_decide, extension_request
from dispatch.services.seed import policies_seed
from portal.errors import ActionRefused, ChangedBySomeoneElse, NotFound

BEIJING = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=BEIJING)
WEEK_LATER = MONDAY + timedelta(days=7)  # the ordinary policy's resolution due
LATER = datetime(2026, 11, 30, 18, 0, tzinfo=BEIJING)


@pytest.fixture
def order(categories, submit, people):
    policies_seed()
    with time_machine.travel(MONDAY, tick=False):
        complaint = submit()
    return complaint, complaint.assignments.get()


@pytest.fixture
def now():
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False) as traveller:
        yield traveller


def ask(people, assignment, *, who="donghuamen_handler", due=LATER, reason="等待业主大会表决", version=None):
    return extension_request(
        user=people[who], assignment_id=assignment.pk, requested_due=due, reason=reason, version=version
    )


def snapshot(complaint, assignment):
    complaint.refresh_from_db()
    assignment.refresh_from_db()
    return (
        assignment.resolve_due,
        assignment.next_due,
        assignment.next_alert_at,
        assignment.version,
        complaint.version,
        complaint.events.count(),
        list(Extension.objects.values_list("status", "decided_by_id").order_by("pk")),
    )


# Asking


def test_handler_asks_for_more_time_and_nothing_moves_yet(order, people, now):
    complaint, assignment = order
    before = snapshot(complaint, assignment)

    extension = ask(people, assignment, version=assignment.version)

    assert (extension.status, extension.previous_due, extension.requested_due) == ("pending", WEEK_LATER, LATER)
    assert extension.requested_by == people["donghuamen_handler"]
    after = snapshot(complaint, assignment)
    assert after[:5] == before[:5]  # due times and versions unchanged until someone decides
    event = complaint.events.latest("created_at", "id")
    assert (event.kind, event.is_public) == (EventKind.NOTE, False)
    assert event.data == {
        "fact": "extension_requested",
        "by_unit": assignment.holder_id,
        "extension_id": extension.pk,
        "due": LATER.isoformat(),
        "reason": "等待业主大会表决",
    }
    with translation.override("en"):
        assert event_text(event, audience=STAFF) == "Asked for more time, until 2026-11-30 18:00: 等待业主大会表决"
    with translation.override("zh-hans"):
        assert event_text(event, audience=STAFF) == "申请延期至 2026-11-30 18:00：等待业主大会表决"


def test_the_community_holding_a_handed_down_order_may_ask(order, people, units, now):
    complaint, assignment = order
    assignment_hand_down(
        user=people["donghuamen_handler"], assignment_id=assignment.pk, community_id=units["duofuxiang"].pk
    )
    extension = ask(people, assignment, who="duofuxiang_handler")
    assert extension.status == ExtensionStatus.PENDING


@pytest.mark.parametrize(
    "due, reason, message",
    [
        (MONDAY, "原因", "must be in the future"),
        (MONDAY + timedelta(days=3), "原因", "after the current one, 2026-11-23 09:00"),
        (WEEK_LATER, "原因", "after the current one"),
        (MONDAY + timedelta(days=61, hours=2), "原因", "at most 60 days"),
        (LATER, "", "Say why more time is needed"),
        (LATER, "   ", "Say why more time is needed"),
        (LATER, "长" * 1001, "under 1000 characters"),
        ("2026-11-30", "原因", "Give the new date and time"),
    ],
)
def test_a_bad_request_is_refused_and_changes_nothing(order, people, now, due, reason, message):
    complaint, assignment = order
    before = snapshot(complaint, assignment)
    with pytest.raises(ActionRefused, match=message):
        ask(people, assignment, due=due, reason=reason)
    assert snapshot(complaint, assignment) == before
    assert not Extension.objects.exists()


def test_one_request_waits_at_a_time(order, people, now):
    complaint, assignment = order
    ask(people, assignment)
    with pytest.raises(ActionRefused, match="already waiting for a decision"):
        ask(people, assignment, due=LATER + timedelta(days=1))
    assert Extension.objects.count() == 1


def test_a_stale_form_is_refused(order, people, now):
    complaint, assignment = order
    with pytest.raises(ChangedBySomeoneElse):
        ask(people, assignment, version=assignment.version + 1)
    assert not Extension.objects.exists()


@pytest.mark.parametrize("who", ["jingshan_handler", "market_handler", "dispatcher", "dongcheng_supervisor", "nobody"])
def test_only_the_handling_unit_may_ask(order, people, now, who):
    complaint, assignment = order
    with pytest.raises(ActionRefused, match="Only the unit handling this order"):
        ask(people, assignment, who=who)
    assert not Extension.objects.exists()


def test_a_resolved_order_cannot_be_extended(order, people, now):
    complaint, assignment = order
    handler = people["donghuamen_handler"]
    assignment_accept(user=handler, assignment_id=assignment.pk)
    assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话")
    assignment_resolve(user=handler, assignment_id=assignment.pk, reply="已处理")
    with pytest.raises(ActionRefused, match="no longer open"):
        ask(people, assignment)


def test_an_unknown_assignment_is_not_found(people, db):
    with pytest.raises(NotFound):
        extension_request(user=people["donghuamen_handler"], assignment_id=999, requested_due=LATER, reason="x")


# Deciding


def test_dispatcher_approves_and_the_resolve_due_next_due_and_alert_time_move(order, people, now):
    complaint, assignment = order
    handler = people["donghuamen_handler"]
    assignment_accept(user=handler, assignment_id=assignment.pk)
    assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系")
    assignment.refresh_from_db()
    # Contact met: the next due is the resolution; its warning at 80% of the week.
    assert assignment.next_due == WEEK_LATER
    assert assignment.next_alert_at == MONDAY + timedelta(days=7) * 0.8
    version = assignment.version
    extension = ask(people, assignment)

    decided = extension_decide(user=people["dispatcher"], extension_id=extension.pk, approve=True, note="同意")

    assignment.refresh_from_db()
    assert (decided.status, decided.decided_by, decided.decided_at) == (
        "approved",
        people["dispatcher"],
        MONDAY + timedelta(hours=1),
    )
    assert decided.decision_note == "同意"
    assert (assignment.resolve_due, assignment.next_due) == (LATER, LATER)
    assert assignment.next_alert_at == MONDAY + (LATER - MONDAY) * 0.8
    assert assignment.version == version + 1
    event = complaint.events.latest("created_at", "id")
    assert (event.kind, event.is_public, event.data["fact"], event.data["by"]) == (
        EventKind.NOTE,
        True,
        "extension_approved",
        "centre",
    )
    with translation.override("en"):  # Beijing time, whatever the server's zone
        assert event_text(event, audience=RESIDENT) == "The deadline for resolution was extended to 2026-11-30 18:00."


def test_before_contact_the_next_due_stays_the_contact_deadline(order, people, now):
    complaint, assignment = order
    extension = ask(people, assignment)
    extension_decide(user=people["dispatcher"], extension_id=extension.pk, approve=True)
    assignment.refresh_from_db()
    assert (assignment.resolve_due, assignment.next_due) == (LATER, MONDAY + timedelta(hours=24))


def test_supervisor_of_the_district_refuses_and_nothing_moves(order, people, now):
    complaint, assignment = order
    extension = ask(people, assignment)
    before = snapshot(complaint, assignment)

    extension_decide(user=people["dongcheng_supervisor"], extension_id=extension.pk, approve=False, note="理由不足")

    after = snapshot(complaint, assignment)
    assert after[:5] == before[:5]
    extension.refresh_from_db()
    assert (extension.status, extension.decided_by, extension.decision_note) == (
        "refused",
        people["dongcheng_supervisor"],
        "理由不足",
    )
    event = complaint.events.latest("created_at", "id")
    assert (event.kind, event.is_public, event.data["fact"]) == (EventKind.NOTE, False, "extension_refused")
    assert timeline_lines([event], audience=STAFF)[0].actor == "东城区人民政府"
    assert timeline_lines([event], audience=RESIDENT) == []
    # Refused, the unit may ask again.
    assert ask(people, assignment, due=LATER + timedelta(days=1)).status == "pending"


def test_the_resident_sees_the_approval_but_not_the_request_or_a_refusal(order, people, now):
    complaint, assignment = order
    refused = ask(people, assignment)
    extension_decide(user=people["dispatcher"], extension_id=refused.pk, approve=False)
    approved = ask(people, assignment, reason="需协调产权单位")
    extension_decide(user=people["dispatcher"], extension_id=approved.pk, approve=True)
    public = [e.data.get("extension_id") for e in complaint.events.filter(is_public=True)]
    assert public.count(approved.pk) == 1 and refused.pk not in public
    assert not complaint.events.filter(is_public=True, message__contains="需协调产权单位").exists()


def test_the_asking_unit_may_not_decide_its_own_request(order, people, now):
    complaint, assignment = order
    extension = ask(people, assignment)
    before = snapshot(complaint, assignment)
    with pytest.raises(ActionRefused, match="Only the 12345 centre or a supervisor"):
        extension_decide(user=people["donghuamen_handler"], extension_id=extension.pk, approve=True)
    assert snapshot(complaint, assignment) == before


@pytest.mark.parametrize("who", ["chaoyang_supervisor", "jingshan_handler", "nobody"])
def test_deciding_outside_ones_reach_finds_no_such_request(order, people, now, who):
    complaint, assignment = order
    extension = ask(people, assignment)
    before = snapshot(complaint, assignment)
    with pytest.raises(NotFound):
        extension_decide(user=people[who], extension_id=extension.pk, approve=True)
    assert snapshot(complaint, assignment) == before


def test_the_requester_never_decides_their_own_request_even_as_a_dispatcher(order, people, units, now):
    complaint, assignment = order
    handler = people["donghuamen_handler"]
    Membership.objects.create(user=handler, unit=units["centre"], role=Role.DISPATCHER)
    extension = ask(people, assignment)
    before = snapshot(complaint, assignment)
    with pytest.raises(ActionRefused, match="your own request"):
        extension_decide(user=handler, extension_id=extension.pk, approve=True)
    assert snapshot(complaint, assignment) == before


def test_deciding_twice_is_refused(order, people, now):
    complaint, assignment = order
    extension = ask(people, assignment)
    extension_decide(user=people["dispatcher"], extension_id=extension.pk, approve=True)
    before = snapshot(complaint, assignment)
    with pytest.raises(ActionRefused, match="already been decided"):
        extension_decide(user=people["city_supervisor"], extension_id=extension.pk, approve=False)
    assert snapshot(complaint, assignment) == before


def test_a_request_on_a_resolved_order_can_be_refused_but_not_approved(order, people, now):
    complaint, assignment = order
    handler = people["donghuamen_handler"]
    extension = ask(people, assignment)
    assignment_accept(user=handler, assignment_id=assignment.pk)
    assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话")
    assignment_resolve(user=handler, assignment_id=assignment.pk, reply="已处理")
    with pytest.raises(ActionRefused, match="can only be refused"):
        extension_decide(user=people["dispatcher"], extension_id=extension.pk, approve=True)
    extension_decide(user=people["dispatcher"], extension_id=extension.pk, approve=False)
    extension.refresh_from_db()
    assert extension.status == "refused"


def test_an_overlong_decision_note_is_refused(order, people, now):
    complaint, assignment = order
    extension = ask(people, assignment)
    with pytest.raises(ActionRefused, match="under 1000"):
        extension_decide(user=people["dispatcher"], extension_id=extension.pk, approve=True, note="长" * 1001)
    extension.refresh_from_db()
    assert extension.status == "pending"


def test_deciding_an_unknown_request_is_not_found(people, db):
    with pytest.raises(NotFound):
        extension_decide(user=people["dispatcher"], extension_id=12345, approve=True)


# Reopening gives fresh due times from the policy, not the old extension's


def test_a_reopened_order_gets_fresh_due_times_from_its_policy(order, people, now):
    complaint, assignment = order
    handler = people["donghuamen_handler"]
    extension = ask(people, assignment)
    extension_decide(user=people["dispatcher"], extension_id=extension.pk, approve=True)
    assignment_accept(user=handler, assignment_id=assignment.pk)
    assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话")
    assignment_resolve(user=handler, assignment_id=assignment.pk, reply="已处理")
    reopened_at = MONDAY + timedelta(days=2)
    with time_machine.travel(reopened_at, tick=False):
        complaint_rate(complaint_id=complaint.pk, solved=False, satisfaction=Satisfaction.UNSATISFIED)
    new = complaint.assignments.get(status=AssignmentStatus.ASSIGNED)
    assert new.reason == AssignmentReason.REOPENED
    assert (new.policy.name, new.assigned_at) == ("一般诉求", reopened_at)
    assert (new.contact_due, new.resolve_due) == (reopened_at + timedelta(hours=24), reopened_at + timedelta(days=7))
    assert new.next_due == new.contact_due
    assert new.next_alert_at == reopened_at + timedelta(hours=24) * 0.8


# Through the browser


@pytest.fixture
def as_user(client, people):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def _as(who):
        client.force_login(people[who])
        return client

    return _as


def order_url(complaint, name="order"):
    return reverse(f"dispatch:{name}", args=[complaint.tracking_number])


def test_handler_asks_for_more_time_from_the_order_page(order, as_user, now):
    complaint, assignment = order
    client = as_user("donghuamen_handler")
    page = client.get(order_url(complaint))
    assert page.context["extension_form"]["version"].value() == assignment.version
    assert "Ask for more time" in page.content.decode()

    response = client.post(
        order_url(complaint, "extension_request"),
        {"requested_due": "2026-11-30T18:00", "reason": "等待业主大会表决", "version": assignment.version},
        follow=True,
    )

    html = response.content.decode()
    assert "More time asked for, until 2026-11-30 18:00" in html
    assert Extension.objects.get().requested_due == LATER
    assert "extension_form" not in response.context  # one request waits at a time
    assert "A request for more time is waiting for a decision." in html
    assert "Awaiting decision" in html and "等待业主大会表决" in html


@pytest.mark.parametrize(
    "data, message",
    [
        ({"requested_due": "30/11/2026", "reason": "x"}, "Enter the date and time as YYYY-MM-DD HH:MM."),
        ({"requested_due": "", "reason": "x"}, "Give the new date and time."),
        ({"requested_due": "2026-11-30T18:00", "reason": ""}, "Say why more time is needed."),
        ({"requested_due": "2026-11-16T08:00", "reason": "x"}, "must be in the future"),
        ({"requested_due": "2026-11-20T08:00", "reason": "x"}, "after the current one, 2026-11-23 09:00"),
    ],
)
def test_bad_input_on_the_order_page_shows_a_message_and_changes_nothing(order, as_user, now, data, message):
    complaint, assignment = order
    client = as_user("donghuamen_handler")
    response = client.post(
        order_url(complaint, "extension_request"), {**data, "version": assignment.version}, follow=True
    )
    assert response.redirect_chain == [(order_url(complaint), 302)]
    assert message in response.content.decode()
    assert not Extension.objects.exists()


def test_a_reader_without_the_order_sees_no_request_form_and_cannot_post(order, as_user, now):
    complaint, assignment = order
    client = as_user("dongcheng_supervisor")
    assert "extension_form" not in client.get(order_url(complaint)).context
    response = client.post(
        order_url(complaint, "extension_request"),
        {"requested_due": "2026-11-30T18:00", "reason": "x", "version": assignment.version},
        follow=True,
    )
    assert "Only the unit handling this order can do that." in response.content.decode()
    assert not Extension.objects.exists()
    # A handler of another street cannot even see the order.
    other = as_user("jingshan_handler")
    assert other.post(order_url(complaint, "extension_request"), {"reason": "x"}).status_code == 404


def test_pending_list_shows_each_decider_their_requests_oldest_first(categories, submit, people, as_user):
    policies_seed()
    with time_machine.travel(MONDAY, tick=False):
        noise = submit()
        market = submit(category="market_food")
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False):
        first = ask(people, noise.assignments.get())
    with time_machine.travel(MONDAY + timedelta(hours=2), tick=False):
        second = ask(people, market.assignments.get(), who="market_handler")
    with time_machine.travel(MONDAY + timedelta(hours=3), tick=False):
        dispatcher = as_user("dispatcher")
        assert list(dispatcher.get(reverse("dispatch:extensions")).context["page"]) == [first, second]
        assert list(as_user("dongcheng_supervisor").get(reverse("dispatch:extensions")).context["page"]) == [
            first,
            second,
        ]
        assert list(as_user("chaoyang_supervisor").get(reverse("dispatch:extensions")).context["page"]) == []
        assert as_user("donghuamen_handler").get(reverse("dispatch:extensions")).status_code == 404
        assert as_user("nobody").get(reverse("dispatch:extensions")).status_code == 404


def test_nav_links_the_extensions_page_for_deciders_only(order, as_user):
    link = f'href="{reverse("dispatch:extensions")}"'
    assert link in as_user("dispatcher").get(reverse("dispatch:triage")).content.decode()
    assert link in as_user("dongcheng_supervisor").get(reverse("dispatch:overdue")).content.decode()
    assert link not in as_user("donghuamen_handler").get(order_url(order[0])).content.decode()


def test_pending_list_query_count_does_not_grow_with_rows(
    categories, submit, people, as_user, django_assert_num_queries
):
    policies_seed()
    client = as_user("dispatcher")

    def requests(n):
        for _ in range(n):
            with time_machine.travel(MONDAY, tick=False):
                complaint = submit()
            with time_machine.travel(MONDAY + timedelta(hours=1), tick=False):
                ask(people, complaint.assignments.get())

    def count():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("dispatch:extensions"))
        assert response.status_code == 200
        return len(captured), len(response.context["page"])

    requests(1)
    one = count()
    requests(5)
    six = count()
    assert (one[1], six[1]) == (1, 6)
    assert one[0] == six[0]


def test_deciding_from_the_list_and_from_the_order_page(order, people, as_user, now):
    complaint, assignment = order
    extension = ask(people, assignment)
    client = as_user("dongcheng_supervisor")
    page = client.get(order_url(complaint))
    assert "decision_form" in page.context

    response = client.post(
        reverse("dispatch:extension_decide", args=[extension.pk]),
        {"decision": "approve", "note": "同意", "next": order_url(complaint)},
        follow=True,
    )

    assert response.redirect_chain == [(order_url(complaint), 302)]
    assert "Approved: resolution now due 2026-11-30 18:00" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.resolve_due == LATER
    # Asked again and refused from the list: back on the list.
    second = ask(people, assignment, due=LATER + timedelta(days=2))
    response = client.post(reverse("dispatch:extension_decide", args=[second.pk]), {"decision": "refuse"}, follow=True)
    assert response.redirect_chain == [(reverse("dispatch:extensions"), 302)]
    assert "Refused. The due time stays as it was." in response.content.decode()


def test_a_decision_outside_ones_reach_is_a_404_page(order, people, as_user, now):
    complaint, assignment = order
    extension = ask(people, assignment)
    before = snapshot(complaint, assignment)
    response = as_user("chaoyang_supervisor").post(
        reverse("dispatch:extension_decide", args=[extension.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    assert snapshot(complaint, assignment) == before


@pytest.mark.parametrize(
    "who, data, message",
    [
        ("donghuamen_handler", {"decision": "approve"}, "Only the 12345 centre or a supervisor"),
        ("dispatcher", {"decision": "maybe"}, "Choose approve or refuse."),
        ("dispatcher", {}, "Choose approve or refuse."),
    ],
)
def test_bad_decisions_through_the_browser_change_nothing(order, people, as_user, now, who, data, message):
    complaint, assignment = order
    extension = ask(people, assignment)
    before = snapshot(complaint, assignment)
    response = as_user(who).post(
        reverse("dispatch:extension_decide", args=[extension.pk]),
        {**data, "next": "https://evil.example/"},
        follow=True,
    )
    landing = "dispatch:home" if who == "donghuamen_handler" else "dispatch:extensions"
    assert response.redirect_chain[0] == (reverse(landing), 302)  # never off-site
    assert response.status_code == 200 and message in response.content.decode()
    assert snapshot(complaint, assignment) == before


def test_deciding_needs_post_and_a_known_request(order, people, as_user, now):
    complaint, assignment = order
    extension = ask(people, assignment)
    client = as_user("dispatcher")
    assert client.get(reverse("dispatch:extension_decide", args=[extension.pk])).status_code == 405
    assert client.post(reverse("dispatch:extension_decide", args=[999]), {"decision": "approve"}).status_code == 404

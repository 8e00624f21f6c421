"""Routing in batches: one routing message routes its complaint and the ones filed
after it that still wait, writing for each what routing it alone writes; the
unrouted sweep routes lost complaints itself instead of sending messages again."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints.models import Complaint, ComplaintStatus, ResidentNotice
from dispatch.models import Assignment, AssignmentRole, TriageItem, TriageReason, UnsentRouting
from dispatch.services import routing_batch
from dispatch.services.routing import complaint_route
from dispatch.services.routing_batch import complaint_route_with_followers
from dispatch.services.routing_snapshot import routing_snapshot
from dispatch.tasks import route_complaint, sweep_unrouted
from tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

PLACES = {
    "noise_construction": "duofuxiang",  # → 东华门街道办事处 (street office of the place)
    "market_food": "longfusi",  # → 东城区市场监督管理局 (department of the district)
    "water_outage": "jianwai",  # → 北京市自来水集团 (fixed)
}


@pytest.fixture
def waiting(beijing, categories, rules, units):
    """Complaints filed and not yet routed (their messages still in the queue),
    one second apart, in the order given."""

    def _file(*categories_and_fields):
        made = []
        for n, spec in enumerate(categories_and_fields):
            category, fields = spec if isinstance(spec, tuple) else (spec, {})
            complaint = ComplaintFactory(
                category=categories[category], region=beijing[PLACES.get(category, "duofuxiang")], **fields
            )
            Complaint.objects.filter(pk=complaint.pk).update(submitted_at=complaint.submitted_at + timedelta(seconds=n))
            made.append(complaint.pk)
        return made

    return _file


def _live_leads(ids):
    return sorted(
        Assignment.objects.filter(complaint_id__in=ids, role=AssignmentRole.LEAD, status="assigned").values_list(
            "complaint_id", flat=True
        )
    )


def test_a_routing_message_routes_its_complaint_and_the_ones_filed_after_it(waiting, units):
    ids = waiting("noise_construction", "market_food", "water_outage", "noise_construction")

    assert route_complaint(ids[0]) == "assigned"

    assert set(Complaint.objects.filter(pk__in=ids).values_list("status", flat=True)) == {ComplaintStatus.ASSIGNED}
    assert _live_leads(ids) == sorted(ids)
    units_by_complaint = dict(Assignment.objects.filter(complaint_id__in=ids).values_list("complaint_id", "unit_id"))
    assert [units_by_complaint[pk] for pk in ids] == [
        units["donghuamen"].pk,
        units["dc_market"].pk,
        units["water"].pk,
        units["donghuamen"].pk,
    ]
    # Their own messages, arriving later, find nothing to do.
    assert [route_complaint(pk) for pk in ids[1:]] == ["skipped"] * 3
    assert Assignment.objects.filter(complaint_id__in=ids).count() == 4


def test_a_batch_writes_for_each_complaint_what_routing_it_alone_writes(waiting, units, rules):
    alone, first, second = waiting(
        ("noise_construction", {"resident_email": "zhang@example.cn"}),
        ("noise_construction", {"resident_email": "zhang@example.cn"}),
        ("noise_construction", {"resident_email": "zhang@example.cn"}),
    )
    assert complaint_route(complaint_id=alone) == "assigned"
    assert complaint_route_with_followers(complaint_id=first) == "assigned"

    def written(pk):
        complaint = Complaint.objects.get(pk=pk)
        assignment = complaint.assignments.get()
        event = complaint.events.get(kind="assigned")
        return {
            "complaint": (complaint.status, complaint.version),
            "assignment": (
                assignment.unit_id,
                assignment.holder_id,
                assignment.status,
                assignment.reason,
                assignment.rule_id,
                assignment.role,
                assignment.policy_id,
                assignment.contact_due - assignment.assigned_at,
                assignment.resolve_due - assignment.assigned_at,
                assignment.next_due - assignment.assigned_at,
                assignment.next_alert_at - assignment.assigned_at,
                assignment.version,
            ),
            "event": (event.is_public, event.actor_id, event.actor_label, event.message, event.data),
            "notices": sorted(ResidentNotice.objects.filter(event=event).values_list("channel", "status")),
        }

    expected = written(alone)
    assert expected["event"][-1] == {
        "unit": units["donghuamen"].pk,
        "rule_id": rules["noise"].pk,
        "rule": rules["noise"].name,
        "fact": "assigned",
        "by": "centre",
    }
    assert expected["notices"] == [("email", "queued"), ("sms", "queued")]
    assert written(first) == expected
    assert written(second) == expected


def test_emergency_place_to_confirm_and_no_rule_go_to_triage_inside_a_batch(waiting):
    routed, emergency, place, no_rule = waiting(
        "noise_construction",
        ("noise_construction", {"emergency_words": ["火灾"]}),
        ("noise_construction", {"place_to_confirm": True}),
        "other_misc",
    )

    assert complaint_route_with_followers(complaint_id=emergency) == "triage"

    items = dict(TriageItem.objects.values_list("complaint_id", "reason"))
    assert items == {
        emergency: TriageReason.EMERGENCY,
        place: TriageReason.PLACE_TO_CONFIRM,
        no_rule: TriageReason.NO_RULE,
    }
    facts = {pk: Complaint.objects.get(pk=pk).events.get(kind="triaged").data for pk in (emergency, place, no_rule)}
    assert facts == {
        emergency: {"reason": "emergency", "fact": "triage_emergency", "by": "centre"},
        place: {"reason": "place", "fact": "triage_place", "by": "centre"},
        no_rule: {"reason": "no_rule", "fact": "triage_no_rule", "by": "centre"},
    }
    assert not Assignment.objects.filter(complaint_id__in=[emergency, place, no_rule]).exists()
    assert set(Complaint.objects.filter(pk__in=[emergency, place, no_rule]).values_list("status", flat=True)) == {
        ComplaintStatus.SUBMITTED
    }
    # Filed before the message's complaint: left to its own message.
    assert Complaint.objects.get(pk=routed).status == ComplaintStatus.SUBMITTED
    assert route_complaint(routed) == "assigned"
    # Triaged once: their own messages change nothing.
    assert [route_complaint(pk) for pk in (emergency, place, no_rule)] == ["in_triage"] * 3
    assert TriageItem.objects.count() == 3


def test_a_redelivered_message_changes_nothing(waiting):
    ids = waiting("noise_construction", "market_food")
    assert route_complaint(ids[0]) == "assigned"
    before = (
        sorted(Assignment.objects.values_list("pk", "complaint_id", "unit_id", "status", "version")),
        sorted(Complaint.objects.values_list("pk", "status", "version")),
        Complaint.objects.get(pk=ids[0]).events.count(),
        ResidentNotice.objects.count(),
    )

    assert route_complaint(ids[0]) == "skipped"
    assert route_complaint(ids[1]) == "skipped"

    after = (
        sorted(Assignment.objects.values_list("pk", "complaint_id", "unit_id", "status", "version")),
        sorted(Complaint.objects.values_list("pk", "status", "version")),
        Complaint.objects.get(pk=ids[0]).events.count(),
        ResidentNotice.objects.count(),
    )
    assert after == before


def test_a_complaint_waiting_in_triage_is_not_taken_by_a_batch(waiting):
    first, triaged, last = waiting("noise_construction", "noise_construction", "noise_construction")
    TriageItem.objects.create(complaint_id=triaged, reason=TriageReason.DISPUTED)

    complaint_route_with_followers(complaint_id=first)

    assert _live_leads([first, triaged, last]) == sorted([first, last])
    assert Complaint.objects.get(pk=triaged).status == ComplaintStatus.SUBMITTED


def test_a_batch_takes_at_most_its_limit(waiting):
    ids = waiting(*["noise_construction"] * 5)

    complaint_route_with_followers(complaint_id=ids[0], limit=3)

    assert _live_leads(ids) == sorted(ids[:3])


def test_a_failing_batch_still_routes_the_messages_own_complaint(waiting, monkeypatch):
    ids = waiting("noise_construction", "market_food", "water_outage")
    real = routing_batch.complaints_assign_routed

    def fails_for_more_than_one(*, routes):
        if len(routes) > 1:
            raise RuntimeError("a neighbour's data is broken")
        return real(routes=routes)

    monkeypatch.setattr(routing_batch, "complaints_assign_routed", fails_for_more_than_one)

    assert complaint_route_with_followers(complaint_id=ids[0]) == "assigned"

    assert _live_leads(ids) == [ids[0]]
    assert set(Complaint.objects.filter(pk__in=ids[1:]).values_list("status", flat=True)) == {ComplaintStatus.SUBMITTED}


def test_a_message_for_a_complaint_that_no_longer_exists_is_skipped(db):
    assert complaint_route_with_followers(complaint_id=987654) == "skipped"


def _lost(ids, settings):
    """Make complaints look filed long enough ago for the sweep."""
    for pk in ids:
        complaint = Complaint.objects.get(pk=pk)
        Complaint.objects.filter(pk=pk).update(submitted_at=complaint.submitted_at - settings.WHISTLE_REROUTE_AFTER * 2)


@pytest.fixture
def no_messages(monkeypatch):
    """Fails the test if anything sends a routing message."""

    def refuse(*args, **kwargs):
        raise AssertionError("the sweep sent a routing message")

    monkeypatch.setattr(route_complaint, "apply_async", refuse)
    monkeypatch.setattr(route_complaint, "delay", refuse)


def test_the_sweep_routes_lost_complaints_itself_and_sends_no_message(waiting, settings, no_messages):
    lost = waiting("noise_construction", "market_food", "water_outage", "other_misc")
    fresh = waiting("noise_construction")
    _lost(lost, settings)

    assert sweep_unrouted() == 4

    assert _live_leads(lost + fresh) == sorted(lost[:3])
    assert TriageItem.objects.get().complaint_id == lost[3]
    assert Complaint.objects.get(pk=fresh[0]).status == ComplaintStatus.SUBMITTED
    # The lost messages, should they turn up after all, change nothing.
    assert sweep_unrouted() == 0


def test_the_sweep_routes_in_batches_up_to_its_limit(waiting, settings, no_messages, monkeypatch):
    lost = waiting(*["noise_construction"] * 7)
    _lost(lost, settings)
    settings.WHISTLE_ROUTE_BATCH = 3
    monkeypatch.setattr("dispatch.tasks.SWEEP_BATCH", 5)

    assert sweep_unrouted() == 5
    assert _live_leads(lost) == sorted(lost[:5])
    assert sweep_unrouted() == 2


def test_the_sweep_leaves_what_the_routing_backlog_holds(waiting, settings, no_messages):
    kept, lost = waiting("noise_construction", "noise_construction")
    _lost([kept, lost], settings)
    UnsentRouting.objects.create(complaint_id=kept)

    assert sweep_unrouted() == 1
    assert _live_leads([kept, lost]) == [lost]


def test_one_broken_complaint_does_not_stop_the_sweep(waiting, settings, no_messages, monkeypatch):
    lost = waiting("noise_construction", "noise_construction", "noise_construction")
    _lost(lost, settings)
    real = routing_batch.complaints_assign_routed

    def fails_in_bulk(*, routes):
        if len(routes) > 1:
            raise RuntimeError("one of them is broken")
        return real(routes=routes)

    monkeypatch.setattr(routing_batch, "complaints_assign_routed", fails_in_bulk)

    assert sweep_unrouted() == 3
    assert _live_leads(lost) == sorted(lost)


def _statements_to_route(waiting, count: int) -> int:
    """Statements of one batch routing `count` of each kind: by street, by district
    department, to a fixed unit, and to triage for want of a rule."""
    ids = waiting(*(["noise_construction", "market_food", "water_outage", "other_misc"] * count))
    # Each process reads the rules and their units once (routing_snapshot): not a batch's cost.
    routing_snapshot()
    with CaptureQueriesContext(connection) as queries:
        complaint_route_with_followers(complaint_id=ids[0])
    assert _live_leads(ids) and TriageItem.objects.filter(complaint_id__in=ids).count() == count
    return len(queries)


# SQLite splits a bulk INSERT at 999 parameters: the guard is PostgreSQL's.
@pytest.mark.services(redis=False)
def test_a_batch_costs_the_same_statements_whatever_its_size(waiting):
    assert _statements_to_route(waiting, 1) == _statements_to_route(waiting, 24)

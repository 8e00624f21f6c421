"""The alerts an assignment can still need: a warning at the warning share of the
window, the breach at the due time, then one level up the unit tree every
`escalate_after_hours` — and nothing for a deadline already met."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from complaints.models import Priority
from dispatch.models import DeadlinePolicy, TimeUnit
from dispatch.services.assignments import assignment_accept, assignment_record_contact, assignment_resolve
from dispatch.services.deadlines import alert_schedule, next_alert_at

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # a Monday, 09:00 in Beijing
H = timedelta(hours=1)


def schedule_of(assignment) -> list[tuple[str, int, datetime, datetime]]:
    return [(a.kind, a.level, a.at, a.due) for a in alert_schedule(assignment=assignment)]


@pytest.fixture
def hours_policy(db):
    """Ordinary orders: contact within 10 h, resolve within 40 h, warn at 60 %, escalate every 6 h."""
    return DeadlinePolicy.objects.create(
        name="test: ordinary in hours",
        priority=Priority.NORMAL,
        contact_within=10,
        contact_unit=TimeUnit.HOURS,
        resolve_within=40,
        resolve_unit=TimeUnit.HOURS,
        warn_share=0.6,
        escalate_after_hours=6,
    )


def test_an_untouched_order_warns_breaches_and_climbs_to_the_root_for_each_deadline(submit, hours_policy):
    with time_machine.travel(T0, tick=False):
        assignment = submit().assignments.get()

    # 东华门街道办事处 sits at bj/d-110101/s-110101001/: levels 1 (itself), 2 (东城区), 3 (北京市).
    assert schedule_of(assignment) == [
        ("contact_warning", 0, T0 + 6 * H, T0 + 10 * H),
        ("contact_breach", 1, T0 + 10 * H, T0 + 10 * H),
        ("contact_breach", 2, T0 + 16 * H, T0 + 10 * H),
        ("contact_breach", 3, T0 + 22 * H, T0 + 10 * H),
        ("resolve_warning", 0, T0 + 24 * H, T0 + 40 * H),
        ("resolve_breach", 1, T0 + 40 * H, T0 + 40 * H),
        ("resolve_breach", 2, T0 + 46 * H, T0 + 40 * H),
        ("resolve_breach", 3, T0 + 52 * H, T0 + 40 * H),
    ]
    assert assignment.next_alert_at == T0 + 6 * H


def test_without_a_policy_the_warning_is_at_80_percent_and_escalation_every_24_hours(submit):
    with time_machine.travel(T0, tick=False):
        assignment = submit().assignments.get()

    assert assignment.policy is None
    contact = [(kind, level, at) for kind, level, at, _due in schedule_of(assignment) if kind.startswith("contact")]
    assert contact == [
        ("contact_warning", 0, T0 + timedelta(hours=24 * 0.8)),
        ("contact_breach", 1, T0 + 24 * H),
        ("contact_breach", 2, T0 + 48 * H),
        ("contact_breach", 3, T0 + 72 * H),
    ]
    resolve_warning = next(a for a in alert_schedule(assignment=assignment) if a.kind == "resolve_warning")
    assert resolve_warning.at == T0 + timedelta(days=7 * 0.8)


def test_contact_alerts_disappear_once_the_resident_is_contacted(submit, people, hours_policy):
    handler = people["donghuamen_handler"]
    with time_machine.travel(T0, tick=False):
        assignment = submit().assignments.get()
    with time_machine.travel(T0 + 2 * H, tick=False):
        assignment_accept(user=handler, assignment_id=assignment.pk)
        assignment = assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系")

    assert {kind for kind, *_rest in schedule_of(assignment)} == {"resolve_warning", "resolve_breach"}
    assert assignment.next_alert_at == T0 + 24 * H


def test_already_sent_alerts_are_skipped_when_choosing_the_next_look(submit, hours_policy):
    with time_machine.travel(T0, tick=False):
        assignment = submit().assignments.get()

    sent = {("contact_warning", 0), ("contact_breach", 1)}
    assert next_alert_at(assignment=assignment, sent=sent) == T0 + 16 * H


def test_a_resolved_order_needs_no_more_alerts(submit, people, hours_policy):
    handler = people["donghuamen_handler"]
    with time_machine.travel(T0, tick=False):
        assignment = submit().assignments.get()
        assignment_accept(user=handler, assignment_id=assignment.pk)
        assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系")
        assignment = assignment_resolve(user=handler, assignment_id=assignment.pk, reply="已协调施工方停工")

    assert schedule_of(assignment) == []
    assert assignment.next_alert_at is None

"""The deadline sweep: an order nobody touches warns its handlers, breaches to the
street office's supervisor, then climbs to the district's and the city's — each
exactly once, by in-app notification and e-mail, with no resident data in the mail."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from dispatch.models import Alert, Membership, Notification, Role
from dispatch.services import alerts as alerts_module
from dispatch.services.alerts import alerts_sweep
from dispatch.services.assignments import (
    assignment_accept,
    assignment_hand_down,
    assignment_record_contact,
    assignment_resolve,
)
from dispatch.tasks import sweep_deadlines
from tests.factories import MembershipFactory, UserFactory

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
H = timedelta(hours=1)
# Without a deadline policy: contact within 24 h, warn at 80 %, escalate every 24 h.
CONTACT_WARNING = T0 + timedelta(hours=19.5)
CONTACT_BREACH = T0 + 24 * H + timedelta(minutes=1)
DISTRICT_LEVEL = T0 + 48 * H + timedelta(minutes=1)
CITY_LEVEL = T0 + 72 * H + timedelta(minutes=1)


@pytest.fixture
def staff(people, units):
    """The people with e-mail addresses, and a supervisor for 东华门街道办事处."""
    street_supervisor = UserFactory(username="donghuamen_supervisor", email="dhm-sup@example.org")
    MembershipFactory(user=street_supervisor, unit=units["donghuamen"], role=Role.SUPERVISOR)
    for name in ("donghuamen_handler", "duofuxiang_handler", "dongcheng_supervisor", "city_supervisor"):
        people[name].email = f"{name}@example.org"
        people[name].save(update_fields=["email"])
    return {**people, "donghuamen_supervisor": street_supervisor}


def sweep_at(moment: datetime, capture) -> dict[str, int]:
    with time_machine.travel(moment, tick=False), capture(execute=True):
        return sweep_deadlines()


def notified(alert_kind: str, level: int) -> list[str]:
    return sorted(
        Notification.objects.filter(alert__kind=alert_kind, alert__level=level).values_list("user__username", flat=True)
    )


def test_an_untouched_order_warns_breaches_and_escalates_each_exactly_once(
    submit, staff, django_capture_on_commit_callbacks
):
    with time_machine.travel(T0, tick=False):
        complaint = submit()

    assert sweep_at(T0 + 10 * H, django_capture_on_commit_callbacks)["alerts"] == 0

    assert sweep_at(CONTACT_WARNING, django_capture_on_commit_callbacks) == {
        "assignments": 1,
        "alerts": 1,
        "notifications": 1,
    }
    assert notified("contact_warning", 0) == ["donghuamen_handler"]

    sweep_at(CONTACT_BREACH, django_capture_on_commit_callbacks)
    assert notified("contact_breach", 1) == ["donghuamen_supervisor"]
    assert Alert.objects.get(kind="contact_breach", level=1).unit.name == "东华门街道办事处"

    sweep_at(CONTACT_BREACH + H, django_capture_on_commit_callbacks)
    assert not Alert.objects.filter(level=2).exists()  # the further 24 h have not passed

    sweep_at(DISTRICT_LEVEL, django_capture_on_commit_callbacks)
    assert notified("contact_breach", 2) == ["dongcheng_supervisor"]

    sweep_at(CITY_LEVEL, django_capture_on_commit_callbacks)
    assert notified("contact_breach", 3) == ["city_supervisor"]

    again = sweep_at(CITY_LEVEL, django_capture_on_commit_callbacks)
    assert again == {"assignments": 0, "alerts": 0, "notifications": 0}
    assert sorted(Alert.objects.values_list("kind", "level")) == [
        ("contact_breach", 1),
        ("contact_breach", 2),
        ("contact_breach", 3),
        ("contact_warning", 0),
    ]
    assert Notification.objects.count() == 4
    assert len(mail.outbox) == 4
    assignment = complaint.assignments.get()
    assert assignment.next_alert_at == T0 + timedelta(days=7 * 0.8)  # the resolve warning is next


def test_sweeping_twice_at_the_same_moment_sends_nothing_new(submit, staff, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False):
        submit()
        submit(region="yinzha")

    first = sweep_at(CITY_LEVEL, django_capture_on_commit_callbacks)
    second = sweep_at(CITY_LEVEL, django_capture_on_commit_callbacks)

    # A sweep that was down for days catches up: warning and all three levels, per order.
    assert first == {"assignments": 2, "alerts": 8, "notifications": 8}
    assert second == {"assignments": 0, "alerts": 0, "notifications": 0}
    assert Alert.objects.count() == 8 and Notification.objects.count() == 8 and len(mail.outbox) == 8


def test_an_order_contacted_before_its_contact_due_never_gets_a_contact_breach(
    submit, staff, django_capture_on_commit_callbacks
):
    handler = staff["donghuamen_handler"]
    with time_machine.travel(T0, tick=False):
        assignment = submit().assignments.get()
    with time_machine.travel(T0 + 20 * H, tick=False):
        assignment_accept(user=handler, assignment_id=assignment.pk)
        assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系")

    for moment in (CONTACT_BREACH, DISTRICT_LEVEL, CITY_LEVEL):
        sweep_at(moment, django_capture_on_commit_callbacks)

    assert not Alert.objects.filter(kind__startswith="contact").exists()
    assignment.refresh_from_db()
    assert assignment.next_alert_at == T0 + timedelta(days=7 * 0.8)


def test_a_resolved_order_gets_nothing_more(submit, staff, django_capture_on_commit_callbacks):
    handler = staff["donghuamen_handler"]
    with time_machine.travel(T0, tick=False):
        assignment = submit().assignments.get()
    sweep_at(CONTACT_WARNING, django_capture_on_commit_callbacks)
    with time_machine.travel(CONTACT_WARNING + H, tick=False):
        assignment_accept(user=handler, assignment_id=assignment.pk)
        assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系")
        assignment_resolve(user=handler, assignment_id=assignment.pk, reply="已协调施工方停工")

    assert sweep_at(T0 + timedelta(days=10), django_capture_on_commit_callbacks)["alerts"] == 0
    assert list(Alert.objects.values_list("kind", "level")) == [("contact_warning", 0)]
    assignment.refresh_from_db()
    assert assignment.next_alert_at is None


def test_a_deadline_met_after_the_sweep_read_its_batch_does_not_fire(submit, staff, monkeypatch):
    """The sweep re-reads each assignment under its lock: a contact recorded between
    the batch query and the lock wins."""
    handler = staff["donghuamen_handler"]
    with time_machine.travel(T0, tick=False):
        assignment = submit().assignments.get()
        assignment_accept(user=handler, assignment_id=assignment.pk)
    real = alerts_module._alerts_send

    def contact_first(**kwargs):
        with time_machine.travel(T0 + 23 * H, tick=False):
            assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系")
        return real(**kwargs)

    monkeypatch.setattr(alerts_module, "_alerts_send", contact_first)
    result = alerts_sweep(now=CONTACT_BREACH)

    assert result.alerts == 0
    assert not Alert.objects.exists()


def test_warnings_reach_the_handlers_of_the_holder_and_of_the_accountable_unit(
    submit, staff, units, django_capture_on_commit_callbacks
):
    handler = staff["donghuamen_handler"]
    with time_machine.travel(T0, tick=False):
        assignment = submit().assignments.get()
        assignment_hand_down(user=handler, assignment_id=assignment.pk, community_id=units["duofuxiang"].pk)

    sweep_at(CONTACT_BREACH, django_capture_on_commit_callbacks)

    assert notified("contact_warning", 0) == ["donghuamen_handler", "duofuxiang_handler"]
    assert Alert.objects.get(level=0).unit == units["duofuxiang"]
    # The street office stays accountable: its supervisor hears of the breach, not the community's.
    assert notified("contact_breach", 1) == ["donghuamen_supervisor"]


def test_a_breach_nobody_anywhere_can_hear_is_recorded_and_not_retried(
    submit, people, django_capture_on_commit_callbacks
):
    Membership.objects.filter(role__in=[Role.SUPERVISOR, Role.DISPATCHER]).delete()
    with time_machine.travel(T0, tick=False):
        submit()

    first = sweep_at(CONTACT_BREACH, django_capture_on_commit_callbacks)
    second = sweep_at(CONTACT_BREACH + timedelta(minutes=5), django_capture_on_commit_callbacks)

    breach = Alert.objects.get(kind="contact_breach", level=1)
    assert not breach.notifications.exists()
    assert first["alerts"] == 2 and second["alerts"] == 0


def test_alert_emails_name_the_order_and_carry_no_resident_data(submit, staff, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False):
        complaint = submit()
    staff["donghuamen_supervisor"].email = ""
    staff["donghuamen_supervisor"].save(update_fields=["email"])

    sweep_at(CONTACT_BREACH, django_capture_on_commit_callbacks)

    assert Notification.objects.count() == 2  # in-app for both
    assert [m.to for m in mail.outbox] == [["donghuamen_handler@example.org"]]  # e-mail only with an address
    message = mail.outbox[0]
    assert complaint.tracking_number in message.subject
    assert "Contact deadline near" in message.subject
    assert "施工噪声" in message.body and "东华门街道办事处" in message.body
    assert "2026-03-03 09:00" in message.body  # the due time, in Beijing time
    assert f"http://127.0.0.1:8000/desk/orders/{complaint.tracking_number}/" in message.body
    for personal in ("张三", "13800138000", "东华门大街", "凌晨两点"):
        assert personal not in message.subject + message.body


def test_no_email_leaves_before_the_sweep_commits(submit, staff, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False):
        submit()
    with time_machine.travel(CONTACT_WARNING, tick=False), django_capture_on_commit_callbacks() as callbacks:
        sweep_deadlines()
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_a_sweep_with_nothing_due_reads_one_query_however_many_orders_are_open(
    submit, people, django_assert_num_queries
):
    with time_machine.travel(T0, tick=False):
        submit()
        with django_assert_num_queries(1):
            alerts_sweep(now=T0 + H)
        for _ in range(5):
            submit(region="yinzha")
        with django_assert_num_queries(1):
            alerts_sweep(now=T0 + H)


def test_a_sweep_works_through_more_due_orders_than_one_batch(submit, people):
    with time_machine.travel(T0, tick=False):
        for _ in range(5):
            submit()

    result = alerts_sweep(now=CONTACT_WARNING, batch_size=2)

    assert (result.assignments, result.alerts) == (5, 5)


def test_one_failing_order_does_not_hold_back_the_others(submit, people, monkeypatch, caplog):
    with time_machine.travel(T0, tick=False):
        broken = submit().assignments.get()
        fine = submit(region="yinzha").assignments.get()
    real = alerts_module.alert_schedule

    def schedule(*, assignment):
        if assignment.pk == broken.pk:
            raise RuntimeError("boom")
        return real(assignment=assignment)

    monkeypatch.setattr(alerts_module, "alert_schedule", schedule)
    result = alerts_sweep(now=CONTACT_WARNING)

    assert result.alerts == 1
    assert list(Alert.objects.values_list("assignment_id", flat=True)) == [fine.pk]
    assert f"deadline sweep failed on assignment {broken.pk}" in caplog.text

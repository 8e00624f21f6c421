"""Every alert reaches someone: a unit with nobody in the role passes it up the
unit tree to the first unit that has somebody, and an alert nobody up to the city
can hear goes to the 12345 centre's dispatchers — each (alert, person) once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from dispatch.models import Alert, AlertKind, Membership, Notification, Role
from dispatch.services.alerts import alerts_sweep
from dispatch.services.assignments import assignment_accept
from dispatch.services.whistle import whistle_blow
from tests.factories import MembershipFactory, UserFactory

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
LATE = T0 + timedelta(minutes=31)


def sweep(moment, capture):
    with time_machine.travel(moment, tick=False), capture(execute=True):
        return alerts_sweep()


def told(kind: str, level: int | None = None) -> list[str]:
    rows = Notification.objects.filter(alert__kind=kind)
    if level is not None:
        rows = rows.filter(alert__level=level)
    return sorted(rows.values_list("user__username", flat=True))


@pytest.fixture
def summoned_market(submit, people, units):
    """东华门街道办事处 summons 东城区市场监督管理局, which has a handler and no supervisor."""
    with time_machine.travel(T0, tick=False):
        lead = submit().assignments.get()
        assignment_accept(user=people["donghuamen_handler"], assignment_id=lead.pk)
        (co,) = whistle_blow(
            user=people["donghuamen_handler"],
            assignment_id=lead.pk,
            unit_ids=[units["dc_market"].pk],
            message="请派人到现场查看施工许可",
            version=None,
        )
    return co


def test_a_late_report_of_a_department_with_no_supervisor_reaches_the_district_supervisors(
    summoned_market, units, django_capture_on_commit_callbacks
):
    assert not Membership.objects.filter(unit=units["dc_market"], role=Role.SUPERVISOR).exists()

    result = sweep(LATE, django_capture_on_commit_callbacks)

    assert result.alerts == 1 and result.notifications == 1
    assert told(AlertKind.REPORT_BREACH) == ["dongcheng_supervisor"]
    assert Alert.objects.get(kind=AlertKind.REPORT_BREACH).unit == units["dongcheng"]


def test_with_no_supervisor_up_to_the_city_the_late_report_goes_to_the_centre(
    summoned_market, units, django_capture_on_commit_callbacks
):
    Membership.objects.filter(role=Role.SUPERVISOR).delete()

    sweep(LATE, django_capture_on_commit_callbacks)

    assert told(AlertKind.REPORT_BREACH) == ["dispatcher"]
    assert Alert.objects.get(kind=AlertKind.REPORT_BREACH).unit == units["centre"]


def test_a_unit_with_nobody_up_to_the_city_hands_every_alert_to_the_centre(
    submit, people, units, django_capture_on_commit_callbacks
):
    # The water utility hangs under the city: no handler, no supervisor on the way up.
    Membership.objects.filter(role=Role.SUPERVISOR).delete()
    with time_machine.travel(T0, tick=False):
        assignment = submit(category="water_outage").assignments.get()
    assert assignment.unit == units["water"]

    sweep(T0 + timedelta(days=30), django_capture_on_commit_callbacks)

    alerts = Alert.objects.filter(assignment=assignment)
    assert alerts.exists()
    assert set(alerts.values_list("unit__code", flat=True)) == {"centre"}
    for alert in alerts:
        assert list(alert.notifications.values_list("user__username", flat=True)) == ["dispatcher"]


def test_a_warning_nobody_handles_goes_to_the_handlers_above(submit, people, units, django_capture_on_commit_callbacks):
    Membership.objects.filter(unit=units["donghuamen"], role=Role.HANDLER).delete()
    district_handler = UserFactory(username="dongcheng_handler")
    MembershipFactory(user=district_handler, unit=units["dongcheng"], role=Role.HANDLER)
    with time_machine.travel(T0, tick=False):
        submit()

    sweep(T0 + timedelta(hours=20), django_capture_on_commit_callbacks)

    assert told(AlertKind.CONTACT_WARNING) == ["dongcheng_handler"]
    assert Alert.objects.get(kind=AlertKind.CONTACT_WARNING).unit == units["dongcheng"]


def test_an_inactive_supervisor_does_not_count_as_someone(summoned_market, people, django_capture_on_commit_callbacks):
    people["dongcheng_supervisor"].is_active = False
    people["dongcheng_supervisor"].save(update_fields=["is_active"])

    sweep(LATE, django_capture_on_commit_callbacks)

    assert told(AlertKind.REPORT_BREACH) == ["city_supervisor"]


def test_nothing_is_sent_twice_across_sweeps(summoned_market, people, django_capture_on_commit_callbacks):
    moments = [LATE, LATE + timedelta(minutes=1), T0 + timedelta(days=3), T0 + timedelta(days=3, minutes=5)]
    results = [sweep(moment, django_capture_on_commit_callbacks) for moment in moments]

    # Level 1 (the department) and level 2 (the district) both land on the district's
    # supervisor, level 3 on the city's: one notification per alert, none repeated.
    summons_alerts = Alert.objects.filter(assignment=summoned_market).order_by("level")
    assert [(a.level, a.unit.code) for a in summons_alerts] == [
        (1, "d-110101"),
        (2, "d-110101"),
        (3, "bj"),
    ]
    assert told(AlertKind.REPORT_BREACH) == ["city_supervisor", "dongcheng_supervisor", "dongcheng_supervisor"]
    assert Notification.objects.filter(alert__assignment=summoned_market).count() == 3
    assert Notification.objects.filter(alert__kind=AlertKind.REPORT_BREACH).count() == 3
    assert sum(r.notifications for r in results) == Notification.objects.count()
    assert results[1].alerts == 0 and results[3].alerts == 0


def test_the_centre_is_told_why_it_hears_of_the_alert(
    summoned_market, people, client, django_capture_on_commit_callbacks
):
    Membership.objects.filter(role=Role.SUPERVISOR).delete()
    people["dispatcher"].email = "dispatcher@example.org"
    people["dispatcher"].save(update_fields=["email"])
    sweep(LATE, django_capture_on_commit_callbacks)

    assert "12345 centre hears of it" in mail.outbox[-1].body
    client.force_login(people["dispatcher"])
    page = client.get(reverse("dispatch:notifications"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Nobody else could be reached, so the 12345 centre hears of it" in page.content.decode()

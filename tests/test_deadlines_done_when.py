"""Issue 3's "done when": with time moved forward, an order nobody touches warns,
breaches, escalates to the street's supervisor and then to the district's, each
exactly once; the overdue report, the monthly rankings and the trend chart show it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from dispatch.models import Alert, DeadlinePolicy, Notification, Role
from dispatch.services.alerts import alerts_sweep
from tests.factories import MembershipFactory, UserFactory

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday


@pytest.fixture
def ordinary_policy(db):
    return DeadlinePolicy.objects.create(
        name="一般诉求",
        priority="normal",
        contact_within=24,
        contact_unit="hours",
        resolve_within=168,
        resolve_unit="hours",
        warn_share="0.80",
        escalate_after_hours=24,
    )


@pytest.fixture
def street_supervisor(units):
    user = UserFactory(username="dhm_supervisor")
    MembershipFactory(user=user, unit=units["donghuamen"], role=Role.SUPERVISOR)
    return user


def sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        return alerts_sweep()


def notified(user):
    return list(Notification.objects.filter(user=user).values_list("alert__kind", "alert__level"))


def test_an_untouched_order_warns_breaches_and_climbs_the_tree_once_each(
    ordinary_policy, submit, people, street_supervisor, django_capture_on_commit_callbacks
):
    with time_machine.travel(T0, tick=False):
        complaint = submit()
    assignment = complaint.assignments.get()
    assert assignment.policy == ordinary_policy
    assert assignment.contact_due == T0 + timedelta(hours=24)

    handler, district, city = people["donghuamen_handler"], people["dongcheng_supervisor"], people["city_supervisor"]

    # 80 % of the 24-hour contact window: the street office's handlers are warned.
    sweep_at(T0 + timedelta(hours=19, minutes=13))
    assert notified(handler) == [("contact_warning", 0)]
    assert notified(street_supervisor) == notified(district) == []

    # Past the contact deadline: the street's supervisor, once — however often the sweep runs.
    for minutes in (1, 2, 3):
        sweep_at(T0 + timedelta(hours=24, minutes=minutes))
    assert notified(street_supervisor) == [("contact_breach", 1)]
    assert notified(district) == []

    # Still untouched a further 24 hours on: one level up, the district.
    sweep_at(T0 + timedelta(hours=48, minutes=1))
    sweep_at(T0 + timedelta(hours=48, minutes=2))
    assert notified(district) == [("contact_breach", 2)]
    assert notified(street_supervisor) == [("contact_breach", 1)]
    assert notified(city) == []

    assert Alert.objects.filter(assignment=assignment).count() == 3

    with time_machine.travel(T0 + timedelta(hours=49), tick=False):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(district)
        overdue = client.get("/desk/overdue/")
        assert complaint.tracking_number in overdue.content.decode()

        rankings = client.get("/desk/reports/rankings/", {"month": "2026-11", "kind": "street_office"})
        row = next(r for r in rankings.context["page"].object_list if r.unit.code == "s-110101001")
        assert (row.due, row.met, row.response_rate, row.overdue_now) == (1, 0, 0.0, 1)

        trends = client.get("/desk/reports/trends/", {"from": "2026-11-01", "to": "2026-11-05", "by": "day"})
        by_day = {r.start.isoformat(): (r.orders_in, r.missed) for r in trends.context["rows"]}
        assert by_day["2026-11-02"] == (1, 0)
        assert by_day["2026-11-03"] == (0, 1)  # the contact deadline missed on Tuesday
        chart = trends.context["chart"]
        missed = next(d["data"] for d in chart["datasets"] if d["label"] == "Deadlines missed")
        assert missed[chart["labels"].index(next(r.label for r in trends.context["rows"] if r.start.day == 3))] == 1
        assert 'id="' in trends.content.decode() and "application/json" in trends.content.decode()

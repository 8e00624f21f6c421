"""The reports' rollup is exact and fresh: with the refresh's sums read for the summed
days and the rest counted live, every report of every scope shows what the live
queries alone show, and a write to an old order shows at once, before any refresh."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import transaction

from complaints.models import Complaint, Rating, Satisfaction
from dispatch.models import (
    Assignment,
    AssignmentReason,
    AssignmentRole,
    AssignmentStatus,
    ReportRollupChange,
    ReportRollupDay,
    RollupTrendDay,
    RollupUnitDay,
    UnitKind,
)
from dispatch.reports.periods import Month
from dispatch.reports.rankings import unit_rankings
from dispatch.reports.rollup.days import day_split, subtree_roots
from dispatch.reports.rollup.refresh import report_rollup_refresh
from dispatch.reports.trends import trend_rows
from tests.dispatch.rollup_world import BJ, NOW, build_world, every_report, scopes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(units, categories, beijing):
    with time_machine.travel(NOW, tick=False):
        build_world(seed=7, units=units, categories=categories, beijing=beijing)
    return units


def live_only(units, *, now=NOW) -> dict:
    """Every report as the live queries alone give it: the same, with no day summed."""
    with transaction.atomic():
        ReportRollupDay.objects.all().delete()
        reports = every_report(units, now=now)
        transaction.set_rollback(True)
    return reports


def assert_same(got: dict, expected: dict) -> None:
    assert got.keys() == expected.keys()
    different = [key for key in expected if got[key] != expected[key]]
    assert different == [], f"{len(different)} reports differ, first {different[0]}"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollup_and_live_together_give_exactly_the_live_figures(units, categories, beijing, seed):
    with time_machine.travel(NOW, tick=False):
        build_world(seed=seed, units=units, categories=categories, beijing=beijing, orders=70)
    expected = every_report(units)

    result = report_rollup_refresh(now=NOW)

    assert result.days > 60 and not result.busy and not result.more
    assert RollupUnitDay.objects.exists() and RollupTrendDay.objects.exists()
    split = day_split(first=date(2026, 9, 1), last=date(2026, 12, 6), now=NOW)
    assert len(split.summed) == 92  # 1 September to 1 December; today and the days ahead are live
    assert_same(every_report(units), expected)


def test_summed_days_are_read_from_the_rollup(world):
    """Proof the pages read the sums: a sum altered by hand shows (never do this for real)."""
    report_rollup_refresh(now=NOW)
    scope = scopes(world)["city"]
    before = {
        r.unit.pk: r.received
        for r in unit_rankings(scope=scope, kind=UnitKind.STREET_OFFICE, month=Month(2026, 11), now=NOW)
    }
    RollupUnitDay.objects.filter(day=date(2026, 11, 10), unit=world["donghuamen"]).update(received=1000)
    RollupUnitDay.objects.get_or_create(day=date(2026, 11, 10), unit=world["donghuamen"], defaults={"received": 1000})
    after = {
        r.unit.pk: r.received
        for r in unit_rankings(scope=scope, kind=UnitKind.STREET_OFFICE, month=Month(2026, 11), now=NOW)
    }
    assert after[world["donghuamen"].pk] > before[world["donghuamen"].pk] + 900


def test_a_second_refresh_finds_nothing_to_do_and_a_day_is_summed_once_it_is_over(world):
    report_rollup_refresh(now=NOW)
    assert report_rollup_refresh(now=NOW).days == 0
    assert not ReportRollupDay.objects.filter(day=date(2026, 12, 2)).exists()  # today: live

    tomorrow = NOW + timedelta(days=1)
    assert report_rollup_refresh(now=tomorrow).days == 1
    assert ReportRollupDay.objects.filter(day=date(2026, 12, 2)).exists()
    assert_same(every_report(world, now=tomorrow), live_only(world, now=tomorrow))


def _old_open_lead(units) -> Assignment:
    return (
        Assignment.objects.filter(role=AssignmentRole.LEAD, assigned_at__lt=datetime(2026, 11, 1, tzinfo=BJ))
        .exclude(status__in=[AssignmentStatus.SUPERSEDED, AssignmentStatus.RETURNED])
        .order_by("assigned_at")
        .first()
    )


def test_re_dispatching_an_old_overdue_order_shows_at_once(world):
    report_rollup_refresh(now=NOW)
    old = Assignment.objects.filter(
        role=AssignmentRole.LEAD, status=AssignmentStatus.ASSIGNED, contact_due__lt=datetime(2026, 11, 20, tzinfo=BJ)
    ).first() or _old_open_lead(world)
    before = every_report(world)

    with time_machine.travel(NOW, tick=False):
        old.status, old.next_due = AssignmentStatus.SUPERSEDED, None
        old.save(update_fields=["status", "next_due"])
        Assignment.objects.create(
            complaint=old.complaint,
            unit=world["jingshan"],
            holder=world["jingshan"],
            reason=AssignmentReason.DISPATCHED,
            assigned_at=NOW,
            contact_due=NOW + timedelta(hours=24),
            resolve_due=NOW + timedelta(days=7),
            next_due=NOW + timedelta(hours=24),
        )

    now_shown = every_report(world)
    assert now_shown != before
    assert_same(now_shown, live_only(world))
    report_rollup_refresh(now=NOW)
    assert not ReportRollupChange.objects.filter(day__lt=date(2026, 12, 2)).exists()
    assert_same(every_report(world), live_only(world))


def test_a_late_contact_and_a_bulk_update_show_at_once(world):
    report_rollup_refresh(now=NOW)
    late = _old_open_lead(world)
    Assignment.objects.filter(pk=late.pk).update(contacted_at=late.contact_due + timedelta(hours=3))
    assert_same(every_report(world), live_only(world))

    moved = Assignment.objects.filter(assigned_at__lt=datetime(2026, 10, 15, tzinfo=BJ)).update(
        contact_due=datetime(2026, 11, 11, 10, tzinfo=BJ), unit=world["jianwai"]
    )
    assert moved > 3
    assert_same(every_report(world), live_only(world))


def test_a_rating_given_for_an_old_day_and_a_recategorised_order_show_at_once(world, categories):
    report_rollup_refresh(now=NOW)
    resolved = (
        Assignment.objects.filter(role=AssignmentRole.LEAD, resolved_at__lt=datetime(2026, 10, 20, tzinfo=BJ))
        .exclude(complaint__ratings__isnull=False)
        .first()
    )
    rating = Rating.objects.create(
        complaint=resolved.complaint, round=5, solved=True, satisfaction=Satisfaction.SATISFIED
    )
    Rating.objects.filter(pk=rating.pk).update(created_at=resolved.resolved_at + timedelta(hours=2))
    complaint = Assignment.objects.filter(assigned_at__month=10).first().complaint
    complaint.category = (
        categories["market_food"] if complaint.category != categories["market_food"] else categories["other_misc"]
    )
    complaint.save(update_fields=["category"])
    assert_same(every_report(world), live_only(world))


def test_a_unit_moved_in_the_tree_forgets_every_sum(world):
    report_rollup_refresh(now=NOW)
    jingshan = world["jingshan"]
    jingshan.path = world["chaoyang"].path + "moved/"
    jingshan.save(update_fields=["path"])
    assert not ReportRollupDay.objects.exists()
    assert_same(every_report(world), live_only(world))
    report_rollup_refresh(now=NOW)
    assert_same(every_report(world), live_only(world))


def test_a_write_logs_the_beijing_days_of_its_old_and_new_times(units, categories, beijing):
    """23:30 in Beijing on 31 October is 15:30 UTC the same day; 00:30 on 2 November is 1 November in UTC."""
    from tests.factories import ComplaintFactory

    at = datetime(2026, 10, 31, 23, 30, tzinfo=BJ)
    complaint = ComplaintFactory(category=categories["other_misc"], region=beijing["duofuxiang"])
    Complaint.objects.filter(pk=complaint.pk).update(submitted_at=at - timedelta(minutes=10))
    ReportRollupChange.objects.all().delete()
    assignment = Assignment.objects.create(
        complaint=complaint,
        unit=units["donghuamen"],
        holder=units["donghuamen"],
        reason=AssignmentReason.ROUTED,
        assigned_at=at,
        contact_due=at + timedelta(hours=2),
        resolve_due=at + timedelta(days=3),
    )
    logged = lambda: sorted(set(ReportRollupChange.objects.values_list("day", flat=True)))  # noqa: E731
    assert logged() == [date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 3)]

    ReportRollupChange.objects.all().delete()
    Assignment.objects.filter(pk=assignment.pk).update(next_alert_at=at)  # not a counted column
    assert logged() == []
    Assignment.objects.filter(pk=assignment.pk).update(contact_due=datetime(2026, 11, 2, 0, 30, tzinfo=BJ))
    assert logged() == [date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)]


def test_roots_of_a_scope_drop_nested_paths_and_refuse_what_the_rollup_does_not_keep():
    assert subtree_roots(("bj/a/", "bj/a/b/", "bj/c/")) == ("bj/a/", "bj/c/")
    assert subtree_roots(("", "bj/a/")) == ("",)
    assert subtree_roots(("bj/a",)) is None


def test_trends_of_a_scope_the_rollup_does_not_keep_are_counted_live(world):
    from dispatch.reports.scope import ReportScope

    report_rollup_refresh(now=NOW)
    odd = ReportScope(paths=(world["dongcheng"].path[:-1],))  # no "/" at the end: a prefix of two districts?
    got = trend_rows(scope=odd, first=date(2026, 10, 1), last=date(2026, 11, 30), by="day", now=NOW)
    with transaction.atomic():
        ReportRollupDay.objects.all().delete()
        expected = trend_rows(scope=odd, first=date(2026, 10, 1), last=date(2026, 11, 30), by="day", now=NOW)
        transaction.set_rollback(True)
    assert got == expected

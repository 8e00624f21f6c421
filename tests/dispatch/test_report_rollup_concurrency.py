"""Two refreshes at once on PostgreSQL: each batch holds the refresh's advisory lock, so
a second run finds it taken and stops, no day is counted by both, and the sums stay exact."""

import threading
from datetime import date

import pytest
import time_machine
from django.db import connection, connections, transaction

from dispatch.models import ReportRollupDay
from dispatch.reports.rollup.days import day_split
from dispatch.reports.rollup.refresh import ADVISORY_LOCK, report_rollup_refresh
from tests.dispatch.rollup_world import NOW, build_world, every_report

pytestmark = [pytest.mark.services(redis=False), pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(units, categories, beijing):
    with time_machine.travel(NOW, tick=False):
        build_world(seed=11, units=units, categories=categories, beijing=beijing, orders=40)
    return units


def test_a_refresh_finds_the_lock_taken_and_stops_without_summing(world):
    held, release = threading.Event(), threading.Event()

    def hold_the_lock():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])
            held.set()
            release.wait(30)
        connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert held.wait(30)
        result = report_rollup_refresh(now=NOW)
    finally:
        release.set()
        holder.join()
    assert result.busy and result.days == 0
    assert not ReportRollupDay.objects.exists()
    assert report_rollup_refresh(now=NOW).days > 0


def test_two_refreshes_at_once_sum_each_day_once_and_exactly(world):
    expected = every_report(world)
    start = threading.Barrier(2)
    results, errors = [], []

    def refresh():
        try:
            start.wait(30)
            results.append(report_rollup_refresh(now=NOW))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=refresh) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    summed = len(day_split(first=date(2026, 9, 1), last=date(2026, 12, 1), now=NOW).summed)
    assert summed == 92
    assert sum(result.days for result in results) == ReportRollupDay.objects.count() >= summed
    assert every_report(world) == expected

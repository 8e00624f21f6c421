"""The reports stay on their indexes at scale: on PostgreSQL, with tens of thousands
of complaints, assignments and ratings over two years (made with generate_series
and ANALYZEd, the planner left to its own costs), no report query reads the whole
complaints, assignments, events or ratings table, whether every day is counted live
or the rollup's refresh has summed the days that are over (then read from the
rollup's own indexes); and every report page runs the same number of queries with
one order as with thirty thousand."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dispatch.reports.rollup.refresh import report_rollup_refresh
from tests.conftest import table_columns

NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
ROWS = 30_000  # complaints, one lead assignment each, spread over two years
BIG_TABLES = ("complaints_complaint", "dispatch_assignment", "complaints_complaintevent", "complaints_rating")
ROLLUP_TABLES = (
    "dispatch_rollupunitday",
    "dispatch_rolluptrendday",
    "dispatch_rollupreceivedday",
    "dispatch_rolluphotspotmonth",
)
PAGES = {
    "overdue": (reverse("dispatch:overdue"), {}),
    "overdue for a unit": (reverse("dispatch:overdue"), {"unit": "dongcheng"}),
    "rankings of streets": (reverse("dispatch:report_rankings"), {"month": "2026-10", "kind": "street_office"}),
    "trends, 30 days": (reverse("dispatch:report_trends"), {"from": "2026-10-21", "to": "2026-11-19"}),
    "trends by week": (reverse("dispatch:report_trends"), {"from": "2026-09-01", "to": "2026-11-19", "by": "week"}),
    "hot spots": (reverse("dispatch:report_hotspots"), {"month": "2026-10"}),
}
# Queries per page whatever the rows: the session, the user, the reach, the report's own
# (with the days the rollup holds, then either its rows or the live count of the other days).
PINNED = {
    "live": {
        "overdue": 6,
        "overdue for a unit": 7,
        "rankings of streets": 9,  # units, summed days, then assignments, extensions, ratings live
        "trends, 30 days": 10,  # summed days (once for both parts), four series live, breakdown live
        "trends by week": 10,
        "hot spots": 6,  # summed days, both months live
    },
    "summed": {
        "overdue": 6,
        "overdue for a unit": 7,
        "rankings of streets": 8,  # units, summed days, the rollup's sums, overdue now live
        "trends, 30 days": 7,  # summed days (once for both parts), rollup rows for the trend and the breakdown
        "trends by week": 7,
        "hot spots": 6,  # summed days, the rollup's two months
    },
}

pytestmark = [pytest.mark.services(redis=False), pytest.mark.django_db]


def _clone_city(*, complaint, units) -> None:
    """ROWS copies of the filed complaint, one every ~35 minutes back over two years, each
    with a lead assignment of one of the streets (resolved and rated unless it is among the
    newest), then ANALYZE: the statistics a real city's tables would have."""
    complaint_columns = [c for c in table_columns("complaints_complaint") if c != "id"]
    overrides = {
        "tracking_number": "'T' || lpad(g::text, 12, '0')",
        "submitted_at": "%(now)s - g * interval '35 minutes'",
        "status": "CASE WHEN g > 500 THEN 'closed' ELSE 'in_progress' END",
        "merged_into_id": "NULL",
        "submission_token": "NULL",
    }
    select = ", ".join(overrides.get(c, f'c."{c}"') for c in complaint_columns)
    streets = [units[name].pk for name in ("donghuamen", "jingshan", "jianwai")]
    assignment_columns = [c for c in table_columns("dispatch_assignment") if c != "id"]
    assignment_overrides = {
        "complaint_id": "n.id",
        "unit_id": f"(ARRAY{streets})[1 + n.id %% 3]",
        "holder_id": f"(ARRAY{streets})[1 + n.id %% 3]",
        "assigned_at": "n.submitted_at",
        "contact_due": "n.submitted_at + interval '1 day'",
        "resolve_due": "n.submitted_at + interval '5 days'",
        "contacted_at": "n.submitted_at + interval '20 hours'",
        "resolved_at": "CASE WHEN n.status = 'closed' THEN n.submitted_at + interval '3 days' END",
        "status": "CASE WHEN n.status = 'closed' THEN 'resolved' ELSE 'in_progress' END",
        "next_due": "CASE WHEN n.status = 'closed' THEN NULL ELSE n.submitted_at + interval '5 days' END",
        "next_alert_at": "NULL",
        "lead_id": "NULL",
        "report_due": "NULL",
    }
    assignment_select = ", ".join(assignment_overrides.get(c, f'a."{c}"') for c in assignment_columns)
    rating_columns = [c for c in table_columns("complaints_rating") if c != "id"]
    rating_overrides = {"complaint_id": "n.id", "created_at": "n.submitted_at + interval '4 days'"}
    rating_select = ", ".join(rating_overrides.get(c, f'r."{c}"') for c in rating_columns)
    quoted = lambda columns: ", ".join(f'"{c}"' for c in columns)  # noqa: E731
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO complaints_complaint ({quoted(complaint_columns)}) "
            f"SELECT {select} FROM complaints_complaint c, generate_series(1, {ROWS}) g WHERE c.id = %(id)s",
            {"now": NOW, "id": complaint.pk},
        )
        cursor.execute(
            f"INSERT INTO dispatch_assignment ({quoted(assignment_columns)}) "
            f"SELECT {assignment_select} FROM dispatch_assignment a, complaints_complaint n "
            "WHERE a.complaint_id = %(id)s AND n.tracking_number LIKE 'T%%'",
            {"id": complaint.pk},
        )
        cursor.execute(
            f"INSERT INTO complaints_rating ({quoted(rating_columns)}) "
            f"SELECT {rating_select} FROM complaints_rating r, complaints_complaint n "
            "WHERE r.complaint_id = %(id)s AND n.tracking_number LIKE 'T%%' AND n.status = 'closed' AND n.id %% 2 = 0",
            {"id": complaint.pk},
        )
        for table in BIG_TABLES:
            cursor.execute(f"ANALYZE {table}")


@pytest.fixture
def rated_complaint(submit, people):
    """One order filed, resolved and rated through the services, the template the city is cloned from."""
    from complaints.models import Rating, Satisfaction

    with time_machine.travel(NOW - timedelta(days=800), tick=False):
        complaint = submit()
        Rating.objects.create(complaint=complaint, solved=True, satisfaction=Satisfaction.SATISFIED)
    return complaint


def _page_queries(client, name: str, units) -> list[str]:
    url, params = PAGES[name]
    if "unit" in params:
        params = {**params, "unit": units[params["unit"]].pk}
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, name
    return [query["sql"] for query in captured.captured_queries]


def _seq_scans(sql: str, tables=BIG_TABLES) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        plan = [row[0] for row in cursor.fetchall()]
    return [line.strip() for line in plan if "Seq Scan on" in line and any(t in line for t in tables)]


def _sum_the_rollup() -> None:
    """What the beat's refresh leaves: every day over summed, the rollup ANALYZEd."""
    report_rollup_refresh(now=NOW)
    with connection.cursor() as cursor:
        for table in ROLLUP_TABLES:
            cursor.execute(f"ANALYZE {table}")


@pytest.mark.parametrize("state", ["live", "summed"])
def test_report_pages_read_their_indexes_and_run_a_fixed_number_of_queries(
    client, rated_complaint, people, units, state
):
    client.force_login(people["city_supervisor"])
    if state == "summed":
        _sum_the_rollup()
    _page_queries(client, "overdue", units)  # the process's category and place trees, built once
    few = {name: len(_page_queries(client, name, units)) for name in PAGES}

    _clone_city(complaint=rated_complaint, units=units)
    if state == "summed":
        _sum_the_rollup()
    many = {name: _page_queries(client, name, units) for name in PAGES}

    assert {name: len(queries) for name, queries in many.items()} == few == PINNED[state]
    selects = [(name, sql) for name, queries in many.items() for sql in queries if sql.lstrip().startswith("SELECT")]
    assert [(name, scan) for name, sql in selects for scan in _seq_scans(sql)] == []


def test_the_summed_pages_read_no_assignment_of_a_summed_day(client, rated_complaint, people, units):
    """With the month summed, rankings touch assignments only for "overdue now" (its open-due
    index), and the 30-day trends none at all; the rollup is read by its (root, day) index."""
    client.force_login(people["city_supervisor"])
    _clone_city(complaint=rated_complaint, units=units)
    _sum_the_rollup()
    rankings = _page_queries(client, "rankings of streets", units)
    trends = _page_queries(client, "trends, 30 days", units)

    touching = [sql for sql in rankings if "dispatch_assignment" in sql and "rollup" not in sql]
    assert len(touching) == 1 and "next_due" in touching[0]
    assert not [sql for sql in trends if '"dispatch_assignment"' in sql or '"complaints_complaint"' in sql]
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # the rollup is small here: is an index there to serve it?
        try:
            rollup_reads = [sql for sql in rankings + trends if "rollup" in sql and "reportrollupday" not in sql]
            assert rollup_reads and all(not _seq_scans(sql, ROLLUP_TABLES) for sql in rollup_reads)
        finally:
            cursor.execute("SET enable_seqscan = on")


def test_the_clone_is_the_size_the_plans_are_judged_at(rated_complaint, units):
    _clone_city(complaint=rated_complaint, units=units)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dispatch_assignment WHERE role = 'lead'")
        assignments = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM complaints_rating")
        ratings = cursor.fetchone()[0]
    assert assignments > ROWS and ratings > ROWS // 3

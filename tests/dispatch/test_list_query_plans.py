"""The queue and triage lists stay on their indexes at scale: on PostgreSQL, with tens of
thousands of complaints and assignments, thousands of them open in one street office and
thousands waiting in triage (made with generate_series and ANALYZEd, the planner left to
its own costs), no list query reads a whole complaints, assignments or triage table; the
page's ids come from the queue's own indexes and only they are joined."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import table_columns

NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
ROWS = 30_000  # complaints, one lead assignment each, over two years
OPEN_IN_STREET = 4_000  # of which open in 东华门街道 (every third handed down to 多福巷社区)
IN_TRIAGE = 3_000  # and waiting in triage, every hundredth with an emergency word
BIG_TABLES = ("complaints_complaint", "dispatch_assignment", "dispatch_triageitem")

pytestmark = [pytest.mark.services(redis=False), pytest.mark.django_db]


def _quoted(columns: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _clone_city(*, complaint, units, beijing, categories) -> None:
    """ROWS copies of the filed complaint with a lead assignment each: the first
    OPEN_IN_STREET open in the street, the next IN_TRIAGE waiting in triage with no
    assignment live (the emergencies among them, which triage shows first, of a category
    common in another street and rare in theirs, as the orders of one category in one
    street are few in a city), the rest resolved long ago; then ANALYZE."""
    street, community = units["donghuamen"].pk, units["duofuxiang"].pk
    places = [beijing[name].pk for name in ("duofuxiang", "yinzha", "longfusi")]
    triage_from, triage_to = OPEN_IN_STREET + 1, OPEN_IN_STREET + IN_TRIAGE
    complaint_columns = [c for c in table_columns("complaints_complaint") if c != "id"]
    overrides = {
        "tracking_number": "'Q' || lpad(g::text, 12, '0')",
        "submitted_at": "%(now)s - g * interval '35 minutes'",
        "status": f"CASE WHEN g <= {OPEN_IN_STREET} THEN 'in_progress' "
        f"WHEN g <= {triage_to} THEN 'submitted' ELSE 'closed' END",
        "region_id": f"CASE WHEN g > {triage_to} AND g %% 5 < 2 THEN {beijing['jianwai'].pk} "
        f"ELSE (ARRAY{places})[1 + g %% 3] END",
        "category_id": f"CASE WHEN g BETWEEN {triage_from} AND {triage_to} THEN "
        f"(CASE WHEN g %% 100 = 0 THEN {categories['other_misc'].pk} ELSE {categories['market_food'].pk} END) "
        f"WHEN g %% 5 < 2 THEN {categories['other_misc'].pk} ELSE c.category_id END",
        "emergency_words": "CASE WHEN g %% 100 = 0 THEN '[\"着火\"]'::jsonb ELSE '[]'::jsonb END",
        "merged_into_id": "NULL",
        "repeat_of_id": "NULL",
        "submission_token": "NULL",
    }
    select = ", ".join(overrides.get(c, f'c."{c}"') for c in complaint_columns)
    assignment_columns = [c for c in table_columns("dispatch_assignment") if c != "id"]
    number = "substr(n.tracking_number, 2)::int"
    open_ = f"{number} <= {OPEN_IN_STREET}"
    assignment_overrides = {
        "complaint_id": "n.id",
        "unit_id": str(street),
        "holder_id": f"CASE WHEN {open_} AND {number} %% 3 = 0 THEN {community} ELSE {street} END",
        "assigned_at": "n.submitted_at",
        "contact_due": "n.submitted_at + interval '1 day'",
        "resolve_due": "n.submitted_at + interval '5 days'",
        "resolved_at": f"CASE WHEN {open_} THEN NULL ELSE n.submitted_at + interval '3 days' END",
        "status": f"CASE WHEN {open_} THEN 'in_progress' WHEN n.status = 'submitted' THEN 'returned' "
        "ELSE 'resolved' END",
        "next_due": f"CASE WHEN {open_} THEN %(now)s + {number} * interval '1 minute' END",
        "next_alert_at": "NULL",
        "lead_id": "NULL",
        "report_due": "NULL",
    }
    assignment_select = ", ".join(assignment_overrides.get(c, f'a."{c}"') for c in assignment_columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO complaints_complaint ({_quoted(complaint_columns)}) "
            f"SELECT {select} FROM complaints_complaint c, generate_series(1, {ROWS}) g WHERE c.id = %(id)s",
            {"now": NOW, "id": complaint.pk},
        )
        cursor.execute(
            f"INSERT INTO dispatch_assignment ({_quoted(assignment_columns)}) "
            f"SELECT {assignment_select} FROM dispatch_assignment a, complaints_complaint n "
            "WHERE a.complaint_id = %(id)s AND n.tracking_number LIKE 'Q%%'",
            {"id": complaint.pk, "now": NOW},
        )
        cursor.execute(
            "INSERT INTO dispatch_triageitem (complaint_id, reason, note, created_at, closed_at) "
            "SELECT n.id, 'returned', '', n.submitted_at, "
            f"CASE WHEN substr(n.tracking_number, 2)::int BETWEEN {triage_from} AND {triage_to} THEN NULL "
            "ELSE n.submitted_at + interval '1 hour' END "
            "FROM complaints_complaint n WHERE n.tracking_number LIKE 'Q%%'"
        )
        for table in BIG_TABLES:
            cursor.execute(f"ANALYZE {table}")


@pytest.fixture
def city(submit, people, units, beijing, categories):
    with time_machine.travel(NOW - timedelta(days=800), tick=False):
        complaint = submit()
    _clone_city(complaint=complaint, units=units, beijing=beijing, categories=categories)
    return complaint


def _plan(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return [row[0] for row in cursor.fetchall()]


def _selects(client, url: str, params: dict | None = None) -> list[str]:
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    sqls = [q["sql"].split(" FOR ", 1)[1] if q["sql"].startswith("DECLARE") else q["sql"] for q in captured]
    # A union of ordered branches opens with its first branch's parenthesis.
    return [sql for sql in sqls if sql.lstrip().lstrip("(").startswith("SELECT")]


def _seq_scans(sqls: list[str]) -> list[tuple[str, str]]:
    """(the start of the query, the plan line) for each sequential scan of a big table."""
    return [
        (sql[:160], line.strip())
        for sql in sqls
        for line in _plan(sql)
        if "Seq Scan on" in line and any(f"on {table}" in line for table in BIG_TABLES)
    ]


def _plan_of(sqls: list[str], *marks: str) -> str:
    """The plan of the one query whose SQL holds every mark."""
    found = [sql for sql in sqls if all(mark in sql for mark in marks)]
    assert len(found) == 1, (marks, [sql[:200] for sql in sqls])
    return "\n".join(_plan(found[0]))


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))
    return client


def test_the_city_is_the_size_the_plans_are_judged_at(city, units):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM dispatch_assignment WHERE unit_id = %s AND status = 'in_progress'",
            [units["donghuamen"].pk],
        )
        open_in_street = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM dispatch_triageitem WHERE closed_at IS NULL")
        in_triage = cursor.fetchone()[0]
    assert open_in_street >= OPEN_IN_STREET and in_triage >= IN_TRIAGE


def test_the_queue_takes_its_page_from_the_queue_indexes_then_joins_only_that_page(client, city, people, units):
    handler = people["donghuamen_handler"]
    client.force_login(handler)
    street = units["donghuamen"].pk
    page = _selects(client, reverse("dispatch:queue", args=[street]))
    live = _selects(client, reverse("dispatch:queue_live", args=[street]), {"after": 0})
    api = _selects(_api(handler), f"/api/v1/units/{street}/queue/")

    assert _seq_scans(page + live + api) == []
    ids = _plan_of(page, 'SELECT "dispatch_assignment"."id" AS "pk"', "ORDER BY")
    assert "assignment_unit_queue" in ids and "assignment_holder_queue" in ids
    assert "complaints_complaint" not in ids  # no join before the page is known
    rows = _plan_of(page, '"complaints_complaint"."tracking_number"', '"dispatch_assignment"."id" IN (')
    assert "dispatch_assignment_pkey" in rows
    counts = _plan_of(page, 'COUNT("dispatch_assignment"."id") AS "total"')
    assert "complaints_complaint" not in counts
    # The API's page is read from the assignments alone, then joined by id.
    api_page = _plan_of(api, 'AS "due_order"', "LIMIT")
    assert "complaints_complaint" not in api_page
    assert "dispatch_assignment_pkey" in _plan_of(api, '"complaints_complaint"."tracking_number"')


def test_triage_takes_its_page_from_the_open_items_and_matches_similar_orders_by_index(client, city, people):
    dispatcher = people["dispatcher"]
    client.force_login(dispatcher)
    page = _selects(client, reverse("dispatch:triage"))
    api = _selects(_api(dispatcher), "/api/v1/triage/")

    assert _seq_scans(page + api) == []
    # The emergencies, then the rest (triage_branches): each from the open items' age
    # index in its order, never the whole triage history or a sort of every open item.
    ids = _plan_of(page, 'SELECT "dispatch_triageitem"."id" AS "pk"', " UNION ")
    assert "triage_open_age" in ids
    assert "complaint_open_emergency" in ids  # the emergencies from the small index of open ones
    assert "triage_open_age" in _plan_of(api, 'SELECT "dispatch_triageitem"."id" AS "pk"', " UNION ")
    count = _plan_of(page, 'COUNT(*) AS "__count" FROM "dispatch_triageitem"')
    assert "complaints_complaint" not in count
    # By category, then (for orders without any) by the category's group: the same shape.
    levels = [sql for sql in page if 'COUNT(DISTINCT "dispatch_assignment"."complaint_id") AS "orders"' in sql]
    assert 1 <= len(levels) <= 2
    for similar in ("\n".join(_plan(sql)) for sql in levels):
        # The recent orders of the page's categories and places: from the (category, region,
        # submitted_at) index, or, where nearly every recent order is one of them (this city's
        # three places and two categories), from the filing-time index. Never the whole history.
        assert "complaint_category_region" in similar or "complaint_submitted_kinds" in similar
        # Streets and groups are summed from the page's ids in Python: no place or category row is joined.
        assert "complaints_region" not in similar and "complaints_category" not in similar

"""On PostgreSQL, with a realistically large table, the sweep's due-assignment
query reads the partial `assignment_alert_due` index, never the whole table: most
assignments are closed (nothing more can fire) and only a few are due this minute.
A guard on the plan PostgreSQL itself chooses, not a timing."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from complaints.models import Complaint
from dispatch.models import Assignment
from dispatch.services.alerts import due_assignments

pytestmark = [pytest.mark.services(redis=False), pytest.mark.django_db]

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
ROWS = 20_000
NOW = T0 + timedelta(days=30)


def _copies_sql(model, *, overrides: dict[str, str]) -> str:
    """INSERT … SELECT of `rows` copies of one row (%(source)s), with some columns
    given as SQL over the generate_series value `n`."""
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    values = [overrides.get(column, f"src.{column}") for column in columns]
    table = model._meta.db_table
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} "  # noqa: S608 - model's own names
        f"FROM {table} src CROSS JOIN generate_series(1, %(rows)s) AS n WHERE src.id = %(source)s"
    )


def _a_city_of_assignments(source: Assignment) -> None:
    """ROWS complaints with an assignment each: 95 % resolved (no next look), 5 %
    open with their next look spread over the coming weeks, 1 in 1,000 due now."""
    with connection.cursor() as cursor:
        cursor.execute(
            _copies_sql(
                Complaint,
                overrides={"tracking_number": "'P' || lpad(n::text, 12, '0')", "submission_token": "NULL"},
            ),
            {"rows": ROWS, "source": source.complaint_id},
        )
        open_share = "n %% 20 = 0"
        cursor.execute(
            _copies_sql(
                Assignment,
                overrides={
                    "complaint_id": "(SELECT id FROM complaints_complaint WHERE tracking_number = "
                    "'P' || lpad(n::text, 12, '0'))",
                    "status": f"CASE WHEN {open_share} THEN 'assigned' ELSE 'resolved' END",
                    "resolved_at": f"CASE WHEN {open_share} THEN NULL ELSE src.assigned_at END",
                    "next_due": f"CASE WHEN {open_share} THEN src.next_due END",
                    "next_alert_at": f"CASE WHEN n %% 1000 = 0 THEN %(now)s - interval '1 minute' "
                    f"WHEN {open_share} THEN %(now)s + (1 + n %% 500) * interval '1 hour' END",
                },
            ),
            {"rows": ROWS, "source": source.pk, "now": NOW},
        )
        cursor.execute("ANALYZE dispatch_assignment")


def test_the_due_assignments_are_read_through_the_alert_index(submit):
    with time_machine.travel(T0, tick=False):
        source = submit().assignments.get()
    _a_city_of_assignments(source)
    assert Assignment.objects.count() == ROWS + 1

    due = due_assignments(now=NOW)
    first_batch = due.values_list("next_alert_at", "pk")[:1000].explain()
    after = (NOW - timedelta(minutes=1), source.pk)
    next_batch = due_assignments(now=NOW, after=after).values_list("next_alert_at", "pk")[:1000].explain()

    ids = list(due.values_list("pk", flat=True))
    locked_batch = Assignment.objects.filter(pk__in=ids, next_alert_at__lte=NOW).explain()

    for plan in (first_batch, next_batch):
        assert "assignment_alert_due" in plan, plan
        assert "Seq Scan on dispatch_assignment" not in plan, plan
    # The batch re-read under the lock goes by the primary key or the same index.
    assert "Seq Scan on dispatch_assignment" not in locked_batch, locked_batch
    assert due.count() == ROWS // 1000 + 1  # the source order, its warning long due, and 1 in 1,000

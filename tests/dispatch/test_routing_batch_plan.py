"""On PostgreSQL, with a realistically large complaints table, the routing batch
claims the waiting complaints through an index, never by reading the whole table: almost every complaint has long left
`submitted`, and most of those still there wait in triage. A guard on the plan
PostgreSQL itself chooses from fresh statistics, not a timing."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from complaints.models import Complaint
from dispatch.models import TriageItem, UnsentRouting
from dispatch.services.routing_batch import _waiting

pytestmark = [pytest.mark.services(redis=False), pytest.mark.django_db]

ROWS = 20_000
# Read through an index: directly, or as a bitmap of the index's matches.
INDEX_ON_COMPLAINTS = re.compile(
    r"(Index (Only )?Scan (Backward )?using \w+|Bitmap Heap Scan) on complaints_complaint\b"
)


def _a_city_of_complaints(source: Complaint) -> None:
    """ROWS copies of one complaint over the past year: 1 in 100 still submitted,
    two thirds of those in triage; the rest closed or being handled, one in twenty
    of them through triage once."""
    columns = [f.column for f in Complaint._meta.concrete_fields if not f.primary_key]
    overrides = {
        "tracking_number": "'R' || lpad(n::text, 12, '0')",
        "submission_token": "NULL",
        "status": "CASE WHEN n %% 100 = 0 THEN 'submitted' WHEN n %% 7 = 0 THEN 'in_progress' ELSE 'closed' END",
        "submitted_at": "now() - (n * interval '26 minutes')",
    }
    values = [overrides.get(column, f"src.{column}") for column in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO complaints_complaint ({', '.join(columns)}) SELECT {', '.join(values)} "  # noqa: S608
            "FROM complaints_complaint src CROSS JOIN generate_series(1, %s) AS n WHERE src.id = %s",
            [ROWS, source.pk],
        )
        # One complaint in twenty went through triage once (closed); most of those still submitted wait there.
        cursor.execute(
            "INSERT INTO dispatch_triageitem (complaint_id, reason, note, created_at, closed_at) "
            "SELECT id, 'no_rule', '', submitted_at, CASE WHEN status = 'submitted' THEN NULL ELSE submitted_at END "
            "FROM complaints_complaint WHERE tracking_number LIKE %s AND (status = 'submitted' AND id %% 3 <> 0 "
            "OR status <> 'submitted' AND id %% 20 = 0)",
            ["R%"],
        )
        cursor.execute("ANALYZE complaints_complaint")
        cursor.execute("ANALYZE dispatch_triageitem")


def _plan(queryset) -> str:
    return queryset.explain()


def test_the_batch_reads_waiting_complaints_through_the_status_index(submit):
    source = submit(category="other_misc")  # in triage itself: the batch has nothing to claim
    _a_city_of_complaints(source)
    assert Complaint.objects.count() == ROWS + 1
    assert TriageItem.objects.filter(closed_at__isnull=True).count() > ROWS // 200

    now = timezone.now()
    followers = _plan(_waiting().filter(submitted_at__gte=now - timedelta(seconds=5)).exclude(pk=source.pk)[:99])
    lost = _plan(
        _waiting()
        .filter(submitted_at__lt=now - timedelta(minutes=1))
        .exclude(pk__in=UnsentRouting.objects.values("complaint_id"))[:100]
    )

    for plan in (followers, lost):
        assert "Seq Scan on complaints_complaint" not in plan, plan
        assert INDEX_ON_COMPLAINTS.search(plan), plan
        assert "Seq Scan on dispatch_triageitem" not in plan, plan

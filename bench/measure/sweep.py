"""The deadline sweep with many assignments due at once: `due` live lead
assignments whose contact deadline passed an hour ago (a warning and a breach
each to send), their earlier alerts removed, then one `alerts_sweep()` in this
process, timed and its queries counted."""

import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from dispatch.models import Alert, Notification
from dispatch.services.alerts import alerts_sweep

PREPARE_SQL = """
WITH chosen AS (
  SELECT id FROM dispatch_assignment
  WHERE role = 'lead' AND status IN ('assigned', 'accepted', 'in_progress')
  ORDER BY md5(id::text) LIMIT %(due)s
), cleared AS (
  DELETE FROM dispatch_alert WHERE assignment_id IN (SELECT id FROM chosen)
)
UPDATE dispatch_assignment a SET
  assigned_at = %(now)s::timestamptz - interval '25 hours',
  accepted_at = NULL, contacted_at = NULL, status = 'assigned',
  contact_due = %(now)s::timestamptz - interval '1 hour',
  resolve_due = %(now)s::timestamptz + interval '143 hours',
  next_due = %(now)s::timestamptz - interval '1 hour',
  next_alert_at = %(now)s::timestamptz - interval '1 minute'
FROM chosen WHERE a.id = chosen.id
"""


@dataclass
class SweepTiming:
    due: int
    seconds: float
    queries: int
    alerts: int
    notifications: int
    assignments: int


def sweep_time(*, due: int) -> SweepTiming:
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        # Notification rows of the removed alerts go with them (ON DELETE CASCADE is Django's, not the table's).
        cursor.execute(
            "DELETE FROM dispatch_notification WHERE alert_id IN (SELECT id FROM dispatch_alert WHERE assignment_id "
            "IN (SELECT id FROM dispatch_assignment WHERE role = 'lead' AND status IN "
            "('assigned', 'accepted', 'in_progress') ORDER BY md5(id::text) LIMIT %s))",
            [due],
        )
        cursor.execute(PREPARE_SQL, {"due": due, "now": now})
        prepared = cursor.rowcount
    cursor = connection.cursor()
    cursor.execute("ANALYZE dispatch_assignment")
    alerts_before, notifications_before = Alert.objects.count(), Notification.objects.count()
    counter = QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        result = alerts_sweep(now=now + timedelta(seconds=1))
    seconds = time.perf_counter() - started
    return SweepTiming(
        due=prepared,
        seconds=seconds,
        queries=counter.count,
        alerts=Alert.objects.count() - alerts_before,
        notifications=Notification.objects.count() - notifications_before,
        assignments=result.assignments,
    )


class QueryCounter:
    """Counts the statements sent (CaptureQueriesContext keeps only the last 9,000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

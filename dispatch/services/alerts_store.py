"""The sweep's writes, a statement per batch rather than one per assignment: the
alerts already sent, the new alerts (INSERT … ON CONFLICT DO NOTHING RETURNING,
so a row another sweep wrote first is simply not ours to announce), their
notifications, and the assignments' next look times. Plain rows, not model
instances: a batch of 1,000 orders writes some 2,000 alerts and notifications."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils import timezone

from dispatch.models import Alert, Assignment, Notification

# Rows per statement: at 6 parameters a row, within SQLite's 32,766 and PostgreSQL's 65,535.
CHUNK = 5000


@dataclass(slots=True)
class NewAlert:
    assignment_id: int
    kind: str
    level: int
    unit_id: int
    due: datetime
    user_ids: list[int]
    pk: int | None = None  # set once written


def sent_alerts_of(*, assignment_ids: Iterable[int]) -> dict[int, set[tuple[str, int]]]:
    """(kind, level) of every alert already sent, per assignment, in one query."""
    sent = defaultdict(set)
    rows = Alert.objects.filter(assignment_id__in=list(assignment_ids)).values_list("assignment_id", "kind", "level")
    for assignment_id, kind, level in rows:
        sent[assignment_id].add((kind, level))
    return sent


def alerts_insert_new(*, alerts: list[NewAlert]) -> list[NewAlert]:
    """Insert the alerts and return those this call wrote, in their order, `pk` set.
    One that exists already is left out: the unique (assignment, kind, level), not
    the caller's care, decides which of two sweeps sends it."""
    adapt = connection.ops.adapt_datetimefield_value
    created_at = adapt(timezone.now())
    key = ("assignment_id", "kind", "level")
    by_key = {(a.assignment_id, a.kind, a.level): a for a in alerts}
    for start in range(0, len(alerts), CHUNK):
        returned = _values_insert(
            table=Alert._meta.db_table,
            columns=(*key, "unit_id", "due", "created_at"),
            rows=[
                (a.assignment_id, a.kind, a.level, a.unit_id, adapt(a.due), created_at)
                for a in alerts[start : start + CHUNK]
            ],
            suffix=f"ON CONFLICT ({', '.join(key)}) DO NOTHING RETURNING id, {', '.join(key)}",
        )
        for pk, *alert_key in returned:
            by_key[tuple(alert_key)].pk = pk
    return [a for a in alerts if a.pk is not None]


def notifications_insert(*, alerts: list[NewAlert]) -> int:
    """A notification for each person of each (written) alert; returns how many."""
    created_at = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [(user_id, alert.pk, created_at) for alert in alerts for user_id in alert.user_ids]
    for start in range(0, len(rows), CHUNK):
        _values_insert(
            table=Notification._meta.db_table,
            columns=("user_id", "alert_id", "created_at"),
            rows=rows[start : start + CHUNK],
        )
    return len(rows)


def _values_insert(*, table: str, columns: tuple[str, ...], rows: list[tuple], suffix: str = "") -> list[tuple]:
    """One INSERT … VALUES of `rows`; what RETURNING in `suffix` returns, if any."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    names = ", ".join(map(quote, columns))
    sql = f"INSERT INTO {quote(table)} ({names}) VALUES {', '.join([row] * len(rows))} {suffix}"  # noqa: S608 - names
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for r in rows for value in r])
        return cursor.fetchall() if cursor.description else []


def next_alert_times_save(*, assignments: list[Assignment]) -> None:
    """Store each assignment's `next_alert_at` as set in memory (not a version bump:
    an alert changes nothing a handler's open form relies on). On PostgreSQL one
    UPDATE … FROM (VALUES …): Django's bulk_update builds a CASE of one branch per
    row, which PostgreSQL then walks for every row."""
    if not assignments:
        return
    if connection.vendor != "postgresql":
        Assignment.objects.bulk_update(assignments, ["next_alert_at"], batch_size=CHUNK)
        return
    table = connection.ops.quote_name(Assignment._meta.db_table)
    for start in range(0, len(assignments), CHUNK):
        chunk = assignments[start : start + CHUNK]
        rows = ", ".join(["(%s, %s::timestamptz)"] * len(chunk))
        sql = (
            f"UPDATE {table} SET next_alert_at = v.at FROM (VALUES {rows}) AS v(id, at) "  # noqa: S608 - placeholders
            f"WHERE {table}.id = v.id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [value for a in chunk for value in (a.pk, a.next_alert_at)])

"""`report_rollup_refresh()`: sum again the days writes have changed, then the days never summed.

One calendar month's days per batch, each batch one transaction:

1. the changes logged for days that are not summed are dropped: such a day is
   counted live anyway, and will be summed from what is committed by then;
2. the batch is the month of the newest changed day that is summed (its changed
   days), or else the newest month with days over and never summed (a backfill:
   a fresh install, or the history from before the rollup);
3. the batch's changes are taken out of the log, then its days are counted again
   (delete, then insert what the live conditions give) and marked summed, and an
   ended month's hot-spot rows are counted again.

A write that commits while a batch runs leaves its log row in place (step 3's
delete only sees committed rows), so its day stays live until the next refresh:
nothing is lost between the count and the mark. On PostgreSQL each batch holds a
transaction-level advisory lock, tried without waiting: a second refresh run at
the same time finds it taken and stops, so two never count the same day at once.
"""

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, models, transaction
from django.db.models import Min
from django.utils import timezone

from dispatch.models import (
    Assignment,
    AssignmentRole,
    ReportRollupChange,
    ReportRollupDay,
    RollupHotSpotMonth,
    RollupReceivedDay,
    RollupTrendDay,
    RollupUnitDay,
)
from dispatch.reports.periods import Month, beijing_today, day_start
from dispatch.reports.rollup.days import ONE_DAY
from dispatch.reports.rollup.sums import (
    hot_spot_month_rows,
    received_day_rows,
    trend_day_rows,
    unit_day_counts,
    unit_day_rows,
)

# pg_advisory_xact_lock key of the refresh (and of the triggers that forget every sum).
ADVISORY_LOCK = 0x12345_0015
INSERT_BATCH = 1_000  # rows per INSERT (SQLite takes at most 32,766 parameters)


@dataclass(frozen=True)
class RefreshResult:
    days: int  # days summed (again)
    batches: int
    busy: bool = False  # another refresh held the lock
    more: bool = False  # stopped by the time budget or the batch limit with work left


def report_rollup_refresh(
    *, now: datetime | None = None, max_batches: int | None = None, seconds: float | None = None
) -> RefreshResult:
    """Sum the changed days again, then the days never summed, newest first, until done,
    `max_batches` batches have run, or `seconds` have passed (checked between batches)."""
    now = now or timezone.now()
    deadline = None if seconds is None else time.monotonic() + seconds
    days = batches = 0
    while True:
        if (max_batches is not None and batches >= max_batches) or (deadline and time.monotonic() > deadline):
            return RefreshResult(days=days, batches=batches, more=True)
        with transaction.atomic():
            if not _locked():
                return RefreshResult(days=days, batches=batches, busy=True)
            summed = _refresh_one_batch(now=now)
        if not summed:
            return RefreshResult(days=days, batches=batches)
        days += summed
        batches += 1


def _locked() -> bool:
    """The refresh's lock for this transaction; SQLite serialises writers by itself."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ADVISORY_LOCK])
        return cursor.fetchone()[0]


def _refresh_one_batch(*, now: datetime) -> int:
    ReportRollupChange.objects.exclude(day__in=ReportRollupDay.objects.values("day")).delete()
    last_over = beijing_today(now) - ONE_DAY
    days = _changed_batch(last_over=last_over) or _unsummed_batch(last_over=last_over)
    if not days:
        return 0
    ReportRollupChange.objects.filter(day__in=days).delete()
    counts = unit_day_counts(days)
    for model, rows in (
        (RollupUnitDay, unit_day_rows(counts)),
        (RollupTrendDay, trend_day_rows(counts)),
        (RollupReceivedDay, received_day_rows(days)),
    ):
        model.objects.filter(day__in=days).delete()
        _insert(model, rows)
    month = Month.containing(day_start(days[0]))
    if month.end <= now:
        RollupHotSpotMonth.objects.filter(month=month.start.date()).delete()
        _insert(RollupHotSpotMonth, hot_spot_month_rows(month))
    ReportRollupDay.objects.filter(day__in=days).delete()
    ReportRollupDay.objects.bulk_create([ReportRollupDay(day=day, summed_at=now) for day in days])
    return len(days)


def _insert(model, rows: list[dict]) -> None:
    """Plain multi-row INSERTs: a month's tens of thousands of rows without building a
    model instance for each (bulk_create's cost)."""
    if not rows:
        return
    columns = [field for field in model._meta.concrete_fields if not field.primary_key]
    names = ", ".join(connection.ops.quote_name(field.column) for field in columns)
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    # The rollup's columns are days, names and counts. The driver takes ints and strings
    # as they are; only a day needs the backend's form. Preparing every value through its
    # field cost two thirds of a month's refresh.
    prepared = [(field.attname, field.get_default(), _day_adapter(field)) for field in columns]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            chunk = rows[start : start + INSERT_BATCH]
            values = [
                value if adapt is None else adapt(value)
                for row in chunk
                for name, default, adapt in prepared
                for value in (row.get(name, default),)
            ]
            cursor.execute(
                f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({names}) "  # noqa: S608 - model's own names
                f"VALUES {', '.join([row_sql] * len(chunk))}",
                values,
            )


def _day_adapter(field):
    if isinstance(field, models.DateTimeField):
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return None


def _changed_batch(*, last_over: date) -> list[date]:
    """The changed (summed) days over of the month of the newest one."""
    newest = (
        ReportRollupChange.objects.filter(day__lte=last_over).order_by("-day").values_list("day", flat=True).first()
    )
    if newest is None:
        return []
    first, last = _month_days(newest, last_over=last_over)
    return sorted(
        set(ReportRollupChange.objects.filter(day__gte=first, day__lte=last).values_list("day", flat=True).distinct())
    )


def _unsummed_batch(*, last_over: date) -> list[date]:
    """The days never summed of the newest month that has any, from the month of the
    first lead assignment on (before it, nothing can be counted)."""
    first_assigned = Assignment.objects.filter(role=AssignmentRole.LEAD).aggregate(first=Min("assigned_at"))["first"]
    if first_assigned is None:
        return []
    earliest = beijing_today(first_assigned).replace(day=1)
    summed = set(ReportRollupDay.objects.filter(day__gte=earliest).values_list("day", flat=True))
    day = last_over
    while day >= earliest:
        if day not in summed:
            first, last = _month_days(day, last_over=last_over)
            month_days = (first + timedelta(days=n) for n in range((last - first).days + 1))
            return [d for d in month_days if d not in summed]
        day -= ONE_DAY
    return []


def _month_days(day: date, *, last_over: date) -> tuple[date, date]:
    """The first and last day of `day`'s month, the last no later than `last_over`."""
    month = Month(day.year, day.month)
    return month.start.date(), min(month.end.date() - ONE_DAY, last_over)

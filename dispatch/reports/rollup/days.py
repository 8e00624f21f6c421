"""Which days of a report's range the rollup answers for, and the live windows of the rest.

A day is read from the rollup only when it is over (its sums no longer depend on
"now"), summed, and not in the changes log. Every other day of the range (today,
the days ahead, a day a late write touched since the last refresh, history not yet
summed) is counted live by the report's own queries, restricted to those days.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from django.db.models import Exists, OuterRef, Q

from dispatch.models import ReportRollupChange, ReportRollupDay
from dispatch.reports.periods import beijing_today, day_start

ONE_DAY = timedelta(days=1)
CITY_ROOT = ""

Window = tuple[datetime, datetime]  # [start, end)


@dataclass(frozen=True)
class DaySplit:
    summed: frozenset[date]  # read from the rollup
    live: tuple[Window, ...]  # counted by the live queries


def day_split(*, first: date, last: date, now: datetime) -> DaySplit:
    """One query: the days from `first` to `last` the rollup answers for; the rest as windows."""
    last_over = min(last, beijing_today(now) - ONE_DAY)
    summed = frozenset(
        ReportRollupDay.objects.filter(day__gte=first, day__lte=last_over)
        .exclude(Exists(ReportRollupChange.objects.filter(day=OuterRef("day"))))
        .values_list("day", flat=True)
    )
    return DaySplit(summed=summed, live=windows_of(_days(first, last) - summed))


def report_day_split(*, paths, first: date, last: date, now: datetime) -> DaySplit | None:
    """`day_split`, read once for a page whose parts all read the rollup for the same
    range (trends and their breakdown), or None when the scope's paths are not roots
    the rollup keeps (each part then counts every day live, and nothing is read)."""
    return None if subtree_roots(paths) is None else day_split(first=first, last=last, now=now)


def all_live(*, first: date, last: date) -> DaySplit:
    """Every day of the range counted live (a scope the rollup does not keep)."""
    return DaySplit(summed=frozenset(), live=windows_of(_days(first, last)))


def windows_of(days) -> tuple[Window, ...]:
    """Consecutive days merged into [start, end) windows of Beijing time."""
    return tuple((day_start(first), day_start(last + ONE_DAY)) for first, last in _runs(days))


def cut_at(windows, now: datetime) -> tuple[Window, ...]:
    """The windows up to `now`: a deadline still ahead has not been missed yet."""
    return tuple((start, min(end, now)) for start, end in windows if start < min(end, now))


def in_windows(field: str, windows) -> Q:
    """Q matching rows whose `field` lies in one of the windows (none: matches nothing)."""
    q = Q(pk__in=[])
    for start, end in windows:
        q |= Q(**{f"{field}__gte": start, f"{field}__lt": end})
    return q


def days_q(days, field: str = "day") -> Q:
    """Q matching rollup rows of the given days, as ranges of consecutive days."""
    q = Q(pk__in=[])
    for first, last in _runs(days):
        q |= Q(**{f"{field}__gte": first, f"{field}__lte": last})
    return q


def subtree_roots(paths) -> tuple[str, ...] | None:
    """The scope's paths as rollup roots, nested ones dropped so the subtrees are disjoint
    and their rows add up; None when a path is not a root the rollup keeps (one ending
    at a "/" of a unit path, or "" for the city), so the caller counts live."""
    roots = sorted(set(paths))
    if any(root != CITY_ROOT and not root.endswith("/") for root in roots):
        return None
    kept: list[str] = []
    for root in roots:  # sorted: a prefix comes before the paths under it
        if not any(root.startswith(outer) for outer in kept):
            kept.append(root)
    return tuple(kept)


@lru_cache(maxsize=32_768)
def path_roots(path: str) -> tuple[str, ...]:
    """Every root whose subtree holds a unit with this path: the city and each prefix ending at a "/"."""
    return (CITY_ROOT, *(path[: i + 1] for i, char in enumerate(path) if char == "/"))


def _days(first: date, last: date) -> set[date]:
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}


def _runs(days) -> list[tuple[date, date]]:
    """Runs of consecutive days, as (first, last) pairs."""
    runs: list[list[date]] = []
    for day in sorted(days):
        if runs and runs[-1][1] + ONE_DAY == day:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(first, last) for first, last in runs]

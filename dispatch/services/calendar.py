"""The working calendar: China's official holidays and make-up workdays (调休), from
the `chinesecalendar` package, with administrators' overrides winning.

For a year the package does not know, weekends are rest days and every other day
is a working day, with a warning logged once per year, so deadlines keep moving
while an administrator enters that year's overrides.
"""

import logging
from datetime import date, datetime, timedelta
from functools import lru_cache

import chinese_calendar
from django.utils import timezone

from dispatch.models import CalendarOverride, DayKind

log = logging.getLogger(__name__)


@lru_cache(maxsize=64)
def _warn_unknown_year(year: int) -> None:
    log.warning("chinesecalendar has no schedule for %s: counting weekends only; add overrides in the admin", year)


def official_is_working_day(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        _warn_unknown_year(day.year)
        return day.weekday() < 5


def overrides_between(start: date, end: date) -> dict[date, str]:
    return dict(CalendarOverride.objects.filter(day__range=(start, end)).values_list("day", "kind"))


def is_working_day(day: date, *, overrides: dict[date, str] | None = None) -> bool:
    if overrides is None:
        overrides = overrides_between(day, day)
    if day in overrides:
        return overrides[day] == DayKind.WORKDAY
    return official_is_working_day(day)


# No schedule has ever had more than ten rest days in a row (Spring Festival with
# weekends); the search window leaves room for long runs of administrator holidays.
_SEARCH_DAYS_PER_WORKING_DAY = 3
_SEARCH_SLACK_DAYS = 40


def add_working_days(start: datetime, days: int) -> datetime:
    """The same Beijing clock time on the `days`-th working day after `start`'s date.

    Counting starts the day after, so "3 working days" from Friday 17:00 is the
    third working day after Friday at 17:00, whatever weekends, holidays and
    make-up workdays lie between. One query for the overrides, whatever `days` is.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    local = timezone.localtime(start)
    first = local.date() + timedelta(days=1)
    last = first + timedelta(days=days * _SEARCH_DAYS_PER_WORKING_DAY + _SEARCH_SLACK_DAYS)
    overrides = overrides_between(first, last)
    day, counted = first, 0
    while day <= last:
        if is_working_day(day, overrides=overrides):
            counted += 1
            if counted == days:
                return local.replace(year=day.year, month=day.month, day=day.day)
        day += timedelta(days=1)
    raise ValueError(f"no {days} working days between {first} and {last}: check the calendar overrides")

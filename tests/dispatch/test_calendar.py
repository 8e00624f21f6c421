"""Working-day arithmetic across China's holidays and make-up workdays, as a civil
servant would count it, with administrators' overrides winning."""

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dispatch.models import CalendarOverride, DayKind
from dispatch.services.calendar import add_working_days, is_working_day

BEIJING = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def bj(*args):
    return datetime(*args, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # National Day 2025: 1–8 Oct off; Sun 28 Sep and Sat 11 Oct are make-up workdays.
        (bj(2025, 9, 26, 17), 3, bj(2025, 9, 30, 17)),  # Fri → Sun (make-up), Mon, Tue
        (bj(2025, 9, 30, 17), 1, bj(2025, 10, 9, 17)),  # the whole holiday is skipped
        (bj(2025, 10, 10, 9, 30), 1, bj(2025, 10, 11, 9, 30)),  # Sat 11 Oct is a working day
        # Mid-Autumn (25–27 Sep) and National Day 2026 (1–7 Oct); Sat 10 Oct is a make-up workday.
        (bj(2026, 9, 24, 17), 3, bj(2026, 9, 30, 17)),
        (bj(2026, 9, 30, 17), 1, bj(2026, 10, 8, 17)),
        (bj(2026, 10, 9, 17), 1, bj(2026, 10, 10, 17)),
        # Spring Festival 2025: 28 Jan – 4 Feb off; Sun 26 Jan and Sat 8 Feb are make-up workdays.
        (bj(2025, 1, 24, 17), 1, bj(2025, 1, 26, 17)),
        (bj(2025, 1, 24, 17), 3, bj(2025, 2, 5, 17)),
        # Spring Festival 2026: 15–23 Feb off; Sat 14 Feb and Sat 28 Feb are make-up workdays.
        (bj(2026, 2, 13, 17), 1, bj(2026, 2, 14, 17)),
        (bj(2026, 2, 13, 17), 2, bj(2026, 2, 24, 17)),
        # An ordinary week: Friday + 1 is Monday.
        (bj(2026, 11, 27, 10), 1, bj(2026, 11, 30, 10)),
    ],
)
def test_working_days_land_where_a_civil_servant_expects(start, days, due):
    assert add_working_days(start, days) == due


def test_a_utc_start_counts_from_its_beijing_date():
    # 09:30 UTC on Friday 26 Sep 2025 is 17:30 in Beijing, the same Friday.
    start = datetime(2025, 9, 26, 9, 30, tzinfo=ZoneInfo("UTC"))
    assert add_working_days(start, 3) == bj(2025, 9, 30, 17, 30)


def test_an_administrators_holiday_wins_over_the_official_schedule():
    CalendarOverride.objects.create(day=datetime(2026, 11, 30).date(), kind=DayKind.HOLIDAY, note="local closure")
    assert add_working_days(bj(2026, 11, 27, 10), 1) == bj(2026, 12, 1, 10)


def test_an_administrators_workday_wins_over_a_weekend():
    CalendarOverride.objects.create(day=datetime(2026, 11, 28).date(), kind=DayKind.WORKDAY)
    assert add_working_days(bj(2026, 11, 27, 10), 1) == bj(2026, 11, 28, 10)


def test_a_year_the_package_does_not_know_counts_weekends_only_and_warns(caplog):
    with caplog.at_level(logging.WARNING, logger="dispatch.services.calendar"):
        assert add_working_days(bj(2031, 1, 3, 10), 1) == bj(2031, 1, 6, 10)  # Fri → Mon
    assert "2031" in caplog.text and "weekends only" in caplog.text


def test_overrides_fill_in_an_unknown_year():
    CalendarOverride.objects.create(day=datetime(2033, 1, 3).date(), kind=DayKind.HOLIDAY, note="元旦调休")
    assert not is_working_day(datetime(2033, 1, 3).date())
    assert add_working_days(bj(2032, 12, 31, 10), 1) == bj(2033, 1, 4, 10)


def test_counting_uses_one_query_for_the_overrides(django_assert_num_queries):
    with django_assert_num_queries(1):
        add_working_days(bj(2025, 9, 26, 17), 15)


@pytest.mark.parametrize("days", [0, -1])
def test_fewer_than_one_working_day_is_an_error(days):
    with pytest.raises(ValueError):
        add_working_days(bj(2026, 11, 27, 10), days)

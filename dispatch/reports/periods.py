"""Report periods in Beijing time. Stored times are UTC; a "month" or a "day" in
a report is the civil one in Asia/Shanghai, whatever the server's zone."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
# The years a report may ask about. Beyond them a period's arithmetic (the next day,
# the next week) would leave what Python's dates can hold.
FIRST_YEAR, LAST_YEAR = 2000, 2100
FIRST_DAY, LAST_DAY = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __str__(self):
        return f"{self.year:04d}-{self.month:02d}"

    @classmethod
    def parse(cls, text: str) -> "Month | None":
        """`2026-11` → Month(2026, 11); anything else (or a year outside 2000–2100) → None."""
        match = MONTH_RE.match((text or "").strip())
        if not match:
            return None
        year, month = int(match[1]), int(match[2])
        if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
            return None
        return cls(year, month)

    @classmethod
    def containing(cls, moment: datetime) -> "Month":
        local = moment.astimezone(BEIJING)
        return cls(local.year, local.month)

    @property
    def previous(self) -> "Month":
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    @property
    def next(self) -> "Month":
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    @property
    def start(self) -> datetime:
        """Midnight of the 1st in Beijing, as an aware datetime."""
        return day_start(date(self.year, self.month, 1))

    @property
    def end(self) -> datetime:
        """Exclusive: midnight of the next month's 1st in Beijing."""
        return self.next.start


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=BEIJING)


def beijing_today(now: datetime) -> date:
    return now.astimezone(BEIJING).date()


def week_start(day: date) -> date:
    """The Monday of the ISO week containing `day`."""
    return day - timedelta(days=day.weekday())

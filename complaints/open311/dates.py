"""W3C date and time (https://www.w3.org/TR/NOTE-datetime), read strictly.

The six forms of the note: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, and a date with
`Thh:mm`, `Thh:mm:ss` or `Thh:mm:ss.s` plus its zone, `Z` or `±hh:mm`. A time
without a zone is refused, as the GeoReport spec requires the zone. A date
without a time means the whole of that year, month or day in Beijing.
"""

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from django.conf import settings

W3C = re.compile(
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,9}))?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2}))?)?)?",
    re.ASCII,
)


def w3c_span(value: str) -> tuple[datetime, datetime] | None:
    """The first and the last instant `value` names (the same one for a full
    date and time), or None when it is not W3C date and time."""
    # A `+` left unescaped in a query string arrives as a space; nothing else can.
    value = re.sub(r" (\d{2}:\d{2})$", r"+\1", value.strip())
    match = W3C.fullmatch(value)
    if match is None:
        return None
    parts = match.groupdict()
    try:
        if parts["hour"] is not None:
            moment = datetime(
                int(parts["year"]),
                int(parts["month"]),
                int(parts["day"]),
                int(parts["hour"]),
                int(parts["minute"]),
                int(parts["second"] or 0),
                int((parts["fraction"] or "0").ljust(6, "0")[:6]),
                tzinfo=_zone(parts["zone"]),
            )
            return moment, moment
        return _whole(int(parts["year"]), parts["month"], parts["day"])
    except ValueError:
        return None


def _zone(text: str) -> timezone:
    if text == "Z":
        return UTC
    hours, minutes = int(text[1:3]), int(text[4:6])
    if hours > 23 or minutes > 59:
        raise ValueError(text)
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if text[0] == "-" else offset)


def _whole(year: int, month: str | None, day: str | None) -> tuple[datetime, datetime]:
    if day is not None:
        first = date(year, int(month), int(day))
        after = first + timedelta(days=1)
    elif month is not None:
        first = date(year, int(month), 1)
        after = date(year + first.month // 12, first.month % 12 + 1, 1)
    else:
        first, after = date(year, 1, 1), date(year + 1, 1, 1)
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(first, time(), tzinfo=zone)
    return start, datetime.combine(after, time(), tzinfo=zone) - timedelta(microseconds=1)

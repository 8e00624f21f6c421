"""W3C date and time, read strictly, in every form the note allows."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from complaints.open311.dates import w3c_span
from complaints.open311.renderers import w3c_datetime
from tests.complaints.open311.conftest import W3C_SECONDS

BEIJING = timezone(timedelta(hours=8))
DAY_END = {"hour": 23, "minute": 59, "second": 59, "microsecond": 999999, "tzinfo": BEIJING}


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2026", datetime(2026, 1, 1, tzinfo=BEIJING), datetime(2026, 12, 31, **DAY_END)),
        ("2026-02", datetime(2026, 2, 1, tzinfo=BEIJING), datetime(2026, 2, 28, **DAY_END)),
        ("2026-12", datetime(2026, 12, 1, tzinfo=BEIJING), datetime(2026, 12, 31, **DAY_END)),
        ("2026-12-01", datetime(2026, 12, 1, tzinfo=BEIJING), datetime(2026, 12, 1, **DAY_END)),
        ("2026-12-01T10:30Z", datetime(2026, 12, 1, 10, 30, tzinfo=UTC), None),
        ("2026-12-01T10:30:15+08:00", datetime(2026, 12, 1, 10, 30, 15, tzinfo=BEIJING), None),
        ("2026-12-01T10:30:15.5-05:00", datetime(2026, 12, 1, 15, 30, 15, 500000, tzinfo=UTC), None),
        ("1994-11-05T08:15:30-05:00", datetime(1994, 11, 5, 13, 15, 30, tzinfo=UTC), None),
        ("2026-12-01T10:30:15 08:00", datetime(2026, 12, 1, 10, 30, 15, tzinfo=BEIJING), None),
    ],
)
def test_each_form_of_the_note_names_its_span(text, first, last):
    assert w3c_span(text) == (first, last or first)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2026-1-1",
        "2026-12-01T10:30",
        "2026-12-01T10:30:15",
        "2026-12-01T10:30:15+0800",
        "2026-12-01t10:30Z",
        "2026-12-01T10Z",
        "2026-12-32",
        "2026-00-10",
        "2026-12-01T10:60Z",
        "2026-12-01T10:30:15+24:00",
        "0000-01-01",
        "2026-12-01T10:30:15Z junk",
        "٢٠٢٦-12-01",
    ],
)
def test_anything_else_is_not_w3c(text):
    assert w3c_span(text) is None


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9998, 1, 1), timezones=st.just(UTC)))
@example(datetime(1900, 1, 1, tzinfo=UTC))  # Beijing's local mean time, +08:05:43: written in UTC
def test_what_we_write_we_read_back(moment):
    moment = moment.replace(microsecond=0)

    written = w3c_datetime(moment)

    # Beijing's offset, +08:00 since 1992 (China kept summer time, +09:00, in 1986–1991).
    assert W3C_SECONDS.fullmatch(written), written
    assert written.endswith("+08:00") or moment.year < 1992
    assert w3c_span(written) == (moment, moment)

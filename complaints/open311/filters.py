"""GET Service Requests' query, read to the spec: `service_request_id`
(comma-separated; it overrides every other argument), `service_code` and
`status` (each comma-separated or repeated), `start_date`/`end_date` (W3C, at
most 90 days apart; the most recent 90 days by default), and our `page` and
`page_size` (at most the spec's 1,000 rows a response, which is the default)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status

from complaints.open311.dates import w3c_span
from complaints.open311.errors import Open311Error
from complaints.open311.parsing import listed
from complaints.open311.status import OPEN311_STATUSES

MAX_SPAN = timedelta(days=90)
MAX_ROWS = 1000
MAX_PAGE = 1_000_000
MAX_IDS = 1000


@dataclass(frozen=True)
class RequestsQuery:
    tracking_numbers: list[str]  # when given, nothing else filters
    service_codes: list[str]
    statuses: list[str]
    start: datetime | None
    end: datetime | None
    page: int
    page_size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


def requests_query_parse(params) -> RequestsQuery:
    problems: list[str] = []
    tracking_numbers = [number[:40] for number in listed(params, "service_request_id")]
    if len(tracking_numbers) > MAX_IDS:
        problems.append(_("service_request_id: at most %(n)d ids at once.") % {"n": MAX_IDS})
    statuses = listed(params, "status")
    unknown = [s for s in statuses if s not in OPEN311_STATUSES]
    if unknown:
        problems.append(_("status: “%(value)s” is neither open nor closed.") % {"value": unknown[0][:40]})
    start, end = _range(params, problems=problems)
    page = _whole_number(params, "page", default=1, limit=MAX_PAGE, problems=problems)
    page_size = _whole_number(params, "page_size", default=MAX_ROWS, limit=MAX_ROWS, problems=problems)
    if problems:
        raise Open311Error(status.HTTP_400_BAD_REQUEST, *problems)
    if tracking_numbers:
        return RequestsQuery(tracking_numbers, [], [], None, None, page, page_size)
    return RequestsQuery([], listed(params, "service_code"), statuses, start, end, page, page_size)


def _range(params, *, problems: list[str]) -> tuple[datetime | None, datetime | None]:
    spans = {}
    for name in ("start_date", "end_date"):
        text = (params.get(name) or "").strip()[:60]
        if text:
            spans[name] = w3c_span(text)
            if spans[name] is None:
                problems.append(
                    _("%(field)s: “%(value)s” is not a W3C date and time, such as 2026-12-01T08:30:00+08:00.")
                    % {"field": name, "value": text}
                )
    if len(spans) != sum(1 for span in spans.values() if span is not None):
        return None, None
    start = spans["start_date"][0] if "start_date" in spans else None
    end = spans["end_date"][1] if "end_date" in spans else None
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - MAX_SPAN
    if end is None:
        end = start + MAX_SPAN
    if end < start:
        problems.append(_("end_date is before start_date."))
    elif end - start > MAX_SPAN:
        problems.append(_("start_date and end_date may be at most 90 days apart."))
    return start, end


def _whole_number(params, name: str, *, default: int, limit: int, problems: list[str]) -> int:
    text = (params.get(name) or "").strip()
    if not text:
        return default
    if not text.isascii() or not text.isdigit() or len(text) > 9 or not 1 <= int(text) <= limit:
        problems.append(_("%(field)s: a whole number from 1 to %(n)d.") % {"field": name, "n": limit})
        return default
    return int(text)

"""The 12345 centre's read of the personal data log, newest first."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet

from dispatch.access import reach_of
from dispatch.models import PersonalDataView
from dispatch.reports.periods import BEIJING
from portal.errors import NotFound


@dataclass(frozen=True)
class AuditFilter:
    tracking_number: str = ""
    username: str = ""
    since: date | None = None  # Beijing days, both ends included
    until: date | None = None


def _beijing_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=BEIJING)


def personal_data_views_for(*, user, filters: AuditFilter) -> QuerySet[PersonalDataView]:
    """Only the centre's dispatchers read the log; anyone else gets NotFound."""
    if not reach_of(user).is_dispatcher:
        raise NotFound
    rows = PersonalDataView.objects.select_related("user", "complaint").order_by("-at", "-pk")
    if filters.tracking_number:
        rows = rows.filter(complaint__tracking_number=filters.tracking_number)
    if filters.username:
        rows = rows.filter(user__username=filters.username)
    if filters.since:
        rows = rows.filter(at__gte=_beijing_midnight(filters.since))
    if filters.until:
        rows = rows.filter(at__lt=_beijing_midnight(filters.until + timedelta(days=1)))
    return rows

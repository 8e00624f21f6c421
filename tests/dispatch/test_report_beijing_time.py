"""Beijing time without a zone lookup: from 1992 on, Beijing's clock is UTC plus eight
hours all year, so the reports' live day counts (BeijingDate) and the export's due
times (beijing_wall_time) add the offset; before 1992 (summer time until 1991) the
zone's rules are still used. Either way the result is what the zone itself gives."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.db.models.functions import TruncDate
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import Complaint
from dispatch.reports.periods import BEIJING, BeijingDate, beijing_wall_time
from tests.factories import ComplaintFactory


def test_the_wall_time_is_the_zones_across_summer_times_and_decades():
    moment = datetime(1985, 1, 1, tzinfo=UTC)
    step = timedelta(hours=7, minutes=13, seconds=11, microseconds=17)
    while moment < datetime(2045, 1, 1, tzinfo=UTC):
        assert beijing_wall_time(moment) == moment.astimezone(BEIJING).replace(tzinfo=None), moment
        moment += step


def test_the_wall_time_of_a_moment_given_in_another_zone_is_the_same():
    moment = datetime(2026, 3, 2, 23, 59, 59, 999999, tzinfo=UTC)
    assert beijing_wall_time(moment.astimezone(BEIJING)) == datetime(2026, 3, 3, 7, 59, 59, 999999)


@pytest.mark.django_db
def test_the_day_counted_is_the_beijing_day_on_either_side_of_midnight(categories, beijing):
    moments = [
        datetime(2026, 3, 2, 15, 59, 59, 999999, tzinfo=UTC),  # 23:59:59.999999 in Beijing
        datetime(2026, 3, 2, 16, 0, tzinfo=UTC),  # midnight in Beijing
        datetime(1990, 7, 1, 15, 30, tzinfo=UTC),  # 00:30 in Beijing, then on summer time
    ]
    for moment in moments:
        complaint = ComplaintFactory(category=categories["noise_construction"], region=beijing["duofuxiang"])
        Complaint.objects.filter(pk=complaint.pk).update(submitted_at=moment)

    days = Complaint.objects.order_by("submitted_at").annotate(
        fixed=BeijingDate("submitted_at"), zone=TruncDate("submitted_at", tzinfo=BEIJING)
    )

    assert [(row.fixed, row.zone) for row in days] == [
        (date(1990, 7, 2), date(1990, 7, 2)),
        (date(2026, 3, 2), date(2026, 3, 2)),
        (date(2026, 3, 3), date(2026, 3, 3)),
    ]


@pytest.mark.services(redis=False)
@pytest.mark.django_db
def test_the_overdue_export_is_read_by_a_plan_not_jit_compiled(client, submit, people):
    """On PostgreSQL the export's cursor is planned with JIT off, in its own transaction."""
    t0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    with time_machine.travel(t0, tick=False):
        submit()
    client.force_login(people["city_supervisor"])
    with time_machine.travel(t0 + timedelta(hours=30), tick=False):
        response = client.get(reverse("dispatch:overdue"), {"format": "csv"})
        with CaptureQueriesContext(connection) as captured:
            body = response.getvalue()

    statements = [query["sql"] for query in captured.captured_queries]
    jit_off = statements.index("SET LOCAL jit = off")
    assert any("DECLARE" in sql and "dispatch_assignment" in sql for sql in statements[jit_off:])
    assert body.count(b"\n") == 2  # the header and the one overdue order

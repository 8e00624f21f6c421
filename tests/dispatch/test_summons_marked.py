"""A late summons (吹哨) is marked as one wherever it is listed: the summoned unit's
queue, the overdue report and its CSV — not mistaken for an ordinary order."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from dispatch.services.assignments import assignment_accept
from dispatch.services.whistle import whistle_blow

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
LATE = T0 + timedelta(hours=2)
BADGE = "Summons (吹哨)"


@pytest.fixture
def late_summons(submit, people, units):
    with time_machine.travel(T0, tick=False):
        lead = submit().assignments.get()
        assignment_accept(user=people["donghuamen_handler"], assignment_id=lead.pk)
        (co,) = whistle_blow(
            user=people["donghuamen_handler"],
            assignment_id=lead.pk,
            unit_ids=[units["dc_market"].pk],
            message="请到现场",
            version=None,
        )
    return co


def test_the_summoned_unit_s_queue_marks_the_summons(client, late_summons, people, units):
    client.force_login(people["market_handler"])
    with time_machine.travel(LATE, tick=False):
        html = client.get(reverse("dispatch:queue", args=[units["dc_market"].pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert late_summons.complaint.tracking_number in html.content.decode()
    assert BADGE in html.content.decode()


def test_the_lead_s_own_queue_does_not_call_its_order_a_summons(client, late_summons, people, units):
    client.force_login(people["donghuamen_handler"])
    with time_machine.travel(LATE, tick=False):
        html = client.get(reverse("dispatch:queue", args=[units["donghuamen"].pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert BADGE not in html.content.decode()


def test_the_overdue_report_and_its_csv_mark_the_late_summons(client, late_summons, people):
    client.force_login(people["dongcheng_supervisor"])
    with time_machine.travel(LATE, tick=False):
        page = client.get(reverse("dispatch:overdue"), HTTP_ACCEPT_LANGUAGE="en")
        export = client.get(reverse("dispatch:overdue"), {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="en")

    assert BADGE in page.content.decode()
    header, *rows = list(csv.reader(io.StringIO(export.getvalue().decode("utf-8-sig"))))
    marks = {(row[0], row[1]): row[header.index("Summons")] for row in rows}
    number = late_summons.complaint.tracking_number
    assert marks[(number, "东城区市场监督管理局")] == BADGE

"""Trends: orders in, closed and deadlines missed per Beijing day or ISO week, as a
table and as the JSON the chart is drawn from."""

import json
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dispatch.models import ACTIVE_STATUSES, Assignment, AssignmentReason, AssignmentStatus
from dispatch.reports.scope import report_scope_for
from dispatch.reports.trends import trend_rows
from tests.factories import ComplaintFactory

BJ = ZoneInfo("Asia/Shanghai")
TRENDS = reverse("dispatch:report_trends")
NOW = datetime(2026, 11, 5, 12, tzinfo=BJ)


def bj(month, day, hour=9, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=BJ)


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def make(categories, beijing):
    def _make(unit, *, assigned, contact_due, contacted=None, resolved=None, resolve_due=None, status=None):
        resolve_due = resolve_due or assigned + timedelta(days=7)
        status = status or (
            AssignmentStatus.RESOLVED
            if resolved
            else AssignmentStatus.IN_PROGRESS
            if contacted
            else AssignmentStatus.ASSIGNED
        )
        next_due = (contact_due if contacted is None else resolve_due) if status in ACTIVE_STATUSES else None
        return Assignment.objects.create(
            complaint=ComplaintFactory(category=categories["noise_construction"], region=beijing["duofuxiang"]),
            unit=unit,
            holder=unit,
            status=status,
            reason=AssignmentReason.ROUTED,
            assigned_at=assigned,
            contact_due=contact_due,
            resolve_due=resolve_due,
            contacted_at=contacted,
            resolved_at=resolved,
            next_due=next_due,
        )

    return _make


@pytest.fixture
def early_november(units, make):
    """东华门, by Beijing day:
    31 Oct: 1 in (23:30 Beijing is 15:30 UTC, still the 31st);
    1 Nov:  1 in (00:30 Beijing, 31 Oct in UTC); 1 missed (contact due 09:00, never made);
    2 Nov:  1 closed; 1 missed (contacted an hour late); the re-dispatched one's deadline is not counted;
    3 Nov:  1 missed (resolution due 09:00, still open).
    建外 (朝阳区) has one order in on 1 Nov, invisible to 东城区's supervisor."""
    dhm = units["donghuamen"]
    make(dhm, assigned=bj(10, 31, 23, 30), contact_due=bj(11, 1), resolve_due=bj(11, 3))
    make(dhm, assigned=bj(11, 1, 0, 30), contact_due=bj(11, 2), contacted=bj(11, 2, 10), resolved=bj(11, 2, 11))
    make(dhm, assigned=bj(10, 25), contact_due=bj(10, 26), contacted=bj(10, 25, 10), resolve_due=bj(11, 20))
    make(dhm, assigned=bj(10, 25), contact_due=bj(11, 2), status=AssignmentStatus.SUPERSEDED)
    make(units["jianwai"], assigned=bj(11, 1, 10), contact_due=bj(11, 2, 10), contacted=bj(11, 1, 11))


def rows_for(user, *, first, last, by="day", now=NOW):
    return trend_rows(scope=report_scope_for(user=user), first=first, last=last, by=by, now=now)


def test_days_are_beijing_days_and_each_series_counts_its_own_event(early_november, people):
    rows = rows_for(people["dongcheng_supervisor"], first=date(2026, 10, 31), last=date(2026, 11, 4))
    assert [(r.label, r.orders_in, r.closed, r.missed) for r in rows] == [
        ("2026-10-31", 1, 0, 0),
        ("2026-11-01", 1, 0, 1),
        ("2026-11-02", 0, 1, 1),
        ("2026-11-03", 0, 0, 1),
        ("2026-11-04", 0, 0, 0),
    ]


def test_the_city_sees_every_district(early_november, people):
    rows = rows_for(people["city_supervisor"], first=date(2026, 11, 1), last=date(2026, 11, 1))
    assert [(r.orders_in, r.missed) for r in rows] == [(2, 1)]


def test_a_deadline_not_yet_reached_is_not_missed(early_november, people):
    rows = rows_for(people["dongcheng_supervisor"], first=date(2026, 11, 3), last=date(2026, 11, 3), now=bj(11, 3, 8))
    assert rows[0].missed == 0


def test_weeks_are_iso_weeks_starting_monday(early_november, people):
    rows = rows_for(people["dongcheng_supervisor"], first=date(2026, 10, 26), last=date(2026, 11, 8), by="week")
    assert [(r.label, r.start, r.orders_in, r.closed, r.missed) for r in rows] == [
        ("2026-W44", date(2026, 10, 26), 2, 0, 1),  # Mon 26 Oct – Sun 1 Nov
        ("2026-W45", date(2026, 11, 2), 0, 1, 2),
    ]


def _chart(response) -> dict:
    found = re.search(
        r'<script id="trends-chart-data" type="application/json">(.*?)</script>', response.content.decode()
    )
    return json.loads(found[1])


def test_the_page_has_the_table_and_the_same_numbers_for_the_chart(client, early_november, people):
    client.force_login(people["dongcheng_supervisor"])
    with time_machine.travel(NOW, tick=False):
        response = client.get(TRENDS, {"from": "2026-10-31", "to": "2026-11-03", "by": "day"})
    assert response.status_code == 200
    chart = _chart(response)
    assert chart["type"] == "line"
    assert chart["labels"] == ["2026-10-31", "2026-11-01", "2026-11-02", "2026-11-03"]
    assert [d["label"] for d in chart["datasets"]] == ["Orders in", "Resolved by the unit", "Deadlines missed"]
    assert [d["data"] for d in chart["datasets"]] == [[1, 1, 0, 0], [0, 0, 1, 0], [0, 1, 1, 1]]
    html = response.content.decode()
    assert "<td>2026-11-02</td>" in html and "vendor/chartjs/chart.umd" in html and "js/reports.js" in html
    # Residents read "closed" as the order's end: the unit's resolutions are named apart.
    assert '<th class="num">Resolved by the unit</th>' in html and ">Closed<" not in html


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2025-01-01", "to": "2026-11-05"},  # 674 days
        {"from": "2026-11-05", "to": "2026-11-01"},  # reversed
        {"from": "yesterday", "to": "2026-11-01"},
        {"by": "month"},
    ],
)
def test_a_bad_range_or_grouping_shows_the_error_and_uses_the_default(client, early_november, people, query):
    client.force_login(people["dongcheng_supervisor"])
    with time_machine.travel(NOW, tick=False):
        response = client.get(TRENDS, query)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    params = response.context["params"]
    if "by" in query:
        assert params["by"] == "day"
    else:
        assert (params["from"], params["to"]) == (date(2026, 10, 7), date(2026, 11, 5))  # the last 30 days
    assert len(response.context["rows"]) == 30
    assert 'role="alert"' in response.content.decode()


def test_a_year_long_range_is_allowed(client, people):
    client.force_login(people["city_supervisor"])
    with time_machine.travel(NOW, tick=False):
        response = client.get(TRENDS, {"from": "2025-11-06", "to": "2026-11-05"})
    assert not response.context["form"].errors
    assert len(response.context["rows"]) == 365


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(TRENDS, {"from": "2026-10-01", "to": "2026-11-30", "by": "day"})
    assert response.status_code == 200
    return len(captured)


def test_the_page_query_count_does_not_grow_with_orders(client, units, make, people):
    client.force_login(people["city_supervisor"])

    def add(n):
        for i in range(n):
            make(
                units["jianwai" if i % 2 else "donghuamen"],
                assigned=bj(11, 1 + i % 20),
                contact_due=bj(11, 2 + i % 20),
                contacted=bj(11, 3 + i % 20) if i % 3 else None,
                resolved=bj(11, 4 + i % 20) if i % 3 == 1 else None,
            )

    with time_machine.travel(NOW, tick=False):
        add(5)
        with_five = _page_queries(client)
        add(35)
        with_forty = _page_queries(client)
    assert with_five == with_forty
    assert with_forty <= 11  # two of them the breakdown by demand type and by channel

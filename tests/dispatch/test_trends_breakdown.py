"""The trends report's breakdown: orders received in the range by demand type and
by channel, counts and shares, each demand once, city-wide for the 12345 centre
(direct answers and triage included) and by lead unit for a part of the city; the
page that costs a fixed number of queries. (The API: tests/dispatch/api/test_trends_breakdown_api.py.)"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from complaints.models import Channel, Complaint, ComplaintStatus, DemandType
from dispatch.models import Assignment, AssignmentReason, AssignmentRole, AssignmentStatus
from dispatch.reports.breakdown import received_breakdown
from dispatch.reports.scope import report_scope_for
from tests.factories import ComplaintFactory

BJ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 5, 12, tzinfo=BJ)
TRENDS = reverse("dispatch:report_trends")
RANGE = {"from": "2026-11-01", "to": "2026-11-03"}


def bj(day, hour=9, minute=0, month=11):
    return datetime(2026, month, day, hour, minute, tzinfo=BJ)


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def received(categories, beijing, units):
    """Filed 1–3 Nov (Beijing days): three led by 东华门 (one of them dispatched twice),
    one by 建外 (朝阳区), a consultation answered on the call and one still in triage;
    and one on each side of the range, which do not count."""

    def filed(at, *, kind=DemandType.COMPLAINT, channel=Channel.WEB, leads=(), status=ComplaintStatus.ASSIGNED):
        complaint = ComplaintFactory(
            category=categories["noise_construction"],
            region=beijing["duofuxiang"],
            demand_type=kind,
            channel=channel,
            status=status,
        )
        Complaint.objects.filter(pk=complaint.pk).update(submitted_at=at)  # auto_now_add ignores a given time
        for number, unit in enumerate(leads):
            superseded = number < len(leads) - 1
            Assignment.objects.create(
                complaint=complaint,
                unit=unit,
                holder=unit,
                role=AssignmentRole.LEAD,
                status=AssignmentStatus.SUPERSEDED if superseded else AssignmentStatus.ASSIGNED,
                reason=AssignmentReason.ROUTED,
                assigned_at=at,
                contact_due=at + timedelta(days=1),
                resolve_due=at + timedelta(days=7),
                next_due=None if superseded else at + timedelta(days=1),
            )
        return complaint

    dhm, jianwai = units["donghuamen"], units["jianwai"]
    return {
        "plain": filed(bj(1, 0, 30), leads=[dhm]),  # 16:30 UTC on 31 Oct: still 1 Nov in Beijing
        "praise": filed(bj(2), kind=DemandType.PRAISE, channel=Channel.HOTLINE, leads=[dhm]),
        "twice": filed(bj(1), kind=DemandType.REPORT, leads=[units["jingshan"], dhm]),
        "chaoyang": filed(bj(2), kind=DemandType.HELP, channel=Channel.WECHAT, leads=[jianwai]),
        "answered": filed(bj(3), kind=DemandType.CONSULTATION, channel=Channel.HOTLINE, status=ComplaintStatus.CLOSED),
        "triage": filed(bj(3, 23, 59), channel=Channel.APP, status=ComplaintStatus.SUBMITTED),
        "before": filed(bj(31, 23, 59, month=10), leads=[dhm]),
        "after": filed(bj(4, 0, 0), leads=[dhm]),
    }


def _counts(shares) -> dict[str, int]:
    return {share.code: share.count for share in shares if share.count}


def _breakdown(user, **params):
    scope = report_scope_for(user=user, unit_id=params.get("unit"))
    return received_breakdown(scope=scope, first=datetime(2026, 11, 1).date(), last=datetime(2026, 11, 3).date())


def test_the_centre_counts_every_demand_received_once(people, received):
    breakdown = _breakdown(people["dispatcher"])

    assert breakdown.total == 6
    assert _counts(breakdown.demand_types) == {"complaint": 2, "report": 1, "praise": 1, "help": 1, "consultation": 1}
    assert _counts(breakdown.channels) == {"web": 2, "hotline": 2, "wechat": 1, "app": 1}
    complaint = next(share for share in breakdown.demand_types if share.code == "complaint")
    assert complaint.share == 33.3


def test_every_type_and_channel_has_a_row_in_the_choices_order(people, received):
    breakdown = _breakdown(people["dispatcher"])

    assert [share.code for share in breakdown.demand_types] == DemandType.values
    assert [share.code for share in breakdown.channels] == Channel.values
    suggestion = next(share for share in breakdown.demand_types if share.code == "suggestion")
    assert (suggestion.count, suggestion.share) == (0, 0.0)


def test_a_supervisor_counts_the_demands_led_in_their_district(people, received):
    breakdown = _breakdown(people["dongcheng_supervisor"])

    # The re-dispatched one once; 建外's, the direct answer and the triage one are not 东城区's.
    assert breakdown.total == 3
    assert _counts(breakdown.demand_types) == {"complaint": 1, "praise": 1, "report": 1}
    assert _counts(breakdown.channels) == {"web": 2, "hotline": 1}


def test_narrowed_to_a_unit_the_centre_counts_only_its_subtree(people, units, received):
    breakdown = _breakdown(people["dispatcher"], unit=units["jianwai"].pk)

    assert breakdown.total == 1
    assert _counts(breakdown.demand_types) == {"help": 1}


def test_nothing_received_gives_zeros_and_no_shares(people, db, units):
    breakdown = _breakdown(people["dispatcher"])

    assert breakdown.total == 0
    assert all(share.count == 0 and share.share is None for share in breakdown.demand_types + breakdown.channels)


def _page(client, **params):
    with time_machine.travel(NOW, tick=False):
        return client.get(TRENDS, {**RANGE, **params})


def test_the_page_shows_both_tables(client, people, received):
    client.force_login(people["dispatcher"])
    response = _page(client)

    html = response.content.decode()
    assert "Orders received by demand type and by channel" in html
    assert "Orders received in the period: 6" in html
    html = re.sub(r"\s+<", "<", html)  # the cells' includes end in a line break
    types = html[html.index('id="breakdown-demand-types"') : html.index('id="breakdown-channels"')]
    assert (
        '<tr data-code="complaint"><th scope="row">Complaint</th><td class="num">2</td><td class="num">33.3%</td>'
        in (types)
    )
    channels = html[html.index('id="breakdown-channels"') :]
    assert '<tr data-code="hotline"><th scope="row">Hotline</th><td class="num">2</td>' in channels
    assert "answered directly on the call included" in html


def test_a_supervisor_page_explains_what_is_counted(client, people, received):
    client.force_login(people["dongcheng_supervisor"])
    response = _page(client)

    assert response.context["breakdown"].total == 3
    assert "a unit in this part of the city has been made the lead of" in response.content.decode()


def test_the_page_costs_a_fixed_number_of_queries(client, people, received, django_assert_num_queries):
    client.force_login(people["dispatcher"])
    _page(client)  # warm the session and the caches
    # session, user, memberships (the scope), unread notifications; the days the rollup holds
    # (none summed here), read once for the trends and the breakdown; four trend series over the
    # live days, one breakdown pass
    with django_assert_num_queries(10):
        assert _page(client).status_code == 200

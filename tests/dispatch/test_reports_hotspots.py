"""Hot spots: top-level categories and streets whose new orders rose most against
the previous month, in the user's part of the city."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dispatch.models import Assignment, AssignmentReason, AssignmentStatus
from dispatch.reports.hotspots import category_rises, street_rises
from dispatch.reports.periods import Month
from dispatch.reports.scope import report_scope_for
from tests.factories import ComplaintFactory

BJ = ZoneInfo("Asia/Shanghai")
HOTSPOTS = reverse("dispatch:report_hotspots")
NOVEMBER = Month(2026, 11)


def bj(month, day, hour=9, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=BJ)


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def order(categories, beijing, units):
    """A complaint with one resolved assignment to a unit of its place, made on `at`."""
    unit_of = {"duofuxiang": "donghuamen", "yinzha": "donghuamen", "longfusi": "jingshan", "jianwai": "jianwai"}

    def _order(category, region, *, at, complaint=None, unit=None):
        complaint = complaint or ComplaintFactory(category=categories[category], region=beijing[region])
        unit = unit or units[unit_of.get(region, "dc_market")]
        return Assignment.objects.create(
            complaint=complaint,
            unit=unit,
            holder=unit,
            status=AssignmentStatus.SUPERSEDED,
            reason=AssignmentReason.ROUTED,
            assigned_at=at,
            contact_due=at + timedelta(days=1),
            resolve_due=at + timedelta(days=7),
        )

    return _order


@pytest.fixture
def two_months(order, units):
    """October → November, new complaints:
    噪声扰民 1 → 4 (+3, +300%), 市场监管 0 → 2 (+2, new), 水电气热 3 → 1 (fell: not listed).
    东华门街道 2 → 4, 景山街道 0 → 1, 建外街道 (朝阳区) 2 → 3; the district-level order is in no street.
    One November noise order was re-dispatched within the month: it counts once.
    The order at 23:30 on 31 October Beijing time (15:30 UTC) is October's."""
    order("noise_construction", "duofuxiang", at=bj(10, 31, 23, 30))
    for day in (2, 5, 9):
        order("noise_neighbour", "yinzha", at=bj(11, day))
    moved = order("noise_construction", "longfusi", at=bj(11, 1, 0, 30))
    order("noise_construction", "longfusi", at=bj(11, 3), complaint=moved.complaint, unit=units["dc_market"])
    order("market_food", "duofuxiang", at=bj(11, 12))
    order("market_food", "dongcheng", at=bj(11, 13))
    for day in (3, 4):
        order("water_outage", "jianwai", at=bj(10, day))
    order("water_outage", "duofuxiang", at=bj(10, 5))
    order("water_outage", "jianwai", at=bj(11, 20))
    for day in (21, 22):
        order("other_misc", "jianwai", at=bj(11, day))
    order("other_misc", "jianwai", at=bj(12, 1))  # December: in neither month


def rises(user, fn, month=NOVEMBER):
    return [
        (r.name, r.previous, r.current, r.change, r.percent) for r in fn(scope=report_scope_for(user=user), month=month)
    ]


def test_categories_that_rose_most_come_first_and_falls_are_left_out(two_months, people):
    assert rises(people["city_supervisor"], category_rises) == [
        ("噪声扰民", 1, 4, 3, 300.0),
        ("其他", 0, 2, 2, None),
        ("市场监管", 0, 2, 2, None),
    ]


def test_streets_that_rose_most_come_first(two_months, people):
    # Equal rises: the busier street first.
    assert rises(people["city_supervisor"], street_rises) == [
        ("东华门街道", 2, 4, 2, 100.0),
        ("建外街道", 2, 3, 1, 50.0),
        ("景山街道", 0, 1, 1, None),
    ]
    # 建外街道: 2 (water, October) → 3 (water and two "other", November).
    assert rises(people["chaoyang_supervisor"], street_rises) == [("建外街道", 2, 3, 1, 50.0)]


def test_a_district_supervisor_sees_only_their_district(two_months, people):
    assert rises(people["dongcheng_supervisor"], category_rises) == [
        ("噪声扰民", 1, 4, 3, 300.0),
        ("市场监管", 0, 2, 2, None),
    ]


def test_at_most_ten_are_listed(order, categories, beijing, people):
    for i in range(12):
        code = f"topic{i:02d}"
        categories[code] = type(categories["noise"]).objects.create(code=code, name=f"专题{i:02d}")
        for _ in range(i + 1):
            order(code, "duofuxiang", at=bj(11, 10))
    listed = rises(people["city_supervisor"], category_rises)
    assert len(listed) == 10
    assert listed[0][0] == "专题11" and listed[0][3] == 12


def test_the_page_lists_both_tables_and_a_bad_month_uses_the_current_one(client, two_months, people):
    client.force_login(people["dongcheng_supervisor"])
    with time_machine.travel(bj(11, 25), tick=False):
        response = client.get(HOTSPOTS, {"month": "2026-11"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "噪声扰民" in html and "东华门街道" in html and "+300%" in html and "new" in html
        assert "建外街道" not in html

        response = client.get(HOTSPOTS, {"month": "2026-1"})
    assert "month" in response.context["form"].errors
    assert response.context["month"] == NOVEMBER


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(HOTSPOTS, {"month": "2026-11"})
    assert response.status_code == 200
    return len(captured)


def test_the_page_query_count_does_not_grow_with_orders(client, order, people):
    client.force_login(people["city_supervisor"])
    regions = ["duofuxiang", "longfusi", "jianwai", "yinzha"]

    def add(n):
        for i in range(n):
            order("noise_construction" if i % 2 else "market_food", regions[i % 4], at=bj(10 + i % 2, 1 + i % 20))

    add(5)
    with_five = _page_queries(client)
    add(35)
    assert _page_queries(client) == with_five
    assert with_five <= 7

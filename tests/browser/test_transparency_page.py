"""The public transparency page on a phone, with every request that leaves this
machine refused: the charts draw from the page's own data and the map shades our
own district outlines, with no tiles."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.utils import timezone

from complaints.models import Rating, Satisfaction
from dispatch.models import Assignment, AssignmentReason, AssignmentStatus
from tests import geo_places
from tests.factories import ComplaintFactory

beijing_outlines = geo_places.beijing_outlines

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _order(unit, *, category, region, rated=None):
    """An order received, contacted in time and resolved a few minutes ago."""
    now = timezone.now()
    complaint = ComplaintFactory(category=category, region=region)
    assignment = Assignment.objects.create(
        complaint=complaint,
        unit=unit,
        holder=unit,
        status=AssignmentStatus.RESOLVED,
        reason=AssignmentReason.ROUTED,
        assigned_at=now - timedelta(minutes=4),
        contact_due=now - timedelta(minutes=1),
        resolve_due=now + timedelta(days=7),
        contacted_at=now - timedelta(minutes=3),
        resolved_at=now - timedelta(minutes=2),
    )
    if rated:
        Rating.objects.create(complaint=complaint, solved=True, satisfaction=rated)
    return assignment


def test_the_transparency_page_draws_its_charts_and_map_on_a_phone(
    live_server, page_factory, screenshot, beijing_outlines, beijing, units, categories
):
    cache.clear()
    for _ in range(3):
        _order(
            units["donghuamen"],
            category=categories["noise_construction"],
            region=beijing["duofuxiang"],
            rated=Satisfaction.SATISFIED,
        )
    _order(
        units["jianwai"], category=categories["market_food"], region=beijing["jianwai"], rated=Satisfaction.BASICALLY
    )

    page = page_factory(viewport=PHONE)
    left = []

    def only_local(route):
        if urlsplit(route.request.url).hostname in {"127.0.0.1", "localhost"}:
            route.continue_()
        else:
            left.append(route.request.url)
            route.abort("internetdisconnected")

    page.route("**/*", only_local)
    page.goto(f"{live_server.url}/open/")

    page.wait_for_selector("#open-map[data-districts='2']")
    assert page.locator("#open-map path.leaflet-interactive").count() == 2
    assert page.locator("#open-map-legend li").count() >= 2
    fills = page.eval_on_selector_all("#open-map path.leaflet-interactive", "ps => ps.map(p => p.getAttribute('fill'))")
    assert len(set(fills)) == 2  # 东城区 (3 orders) and 朝阳区 (1) in different shades

    page.wait_for_function("window.Chart && Chart.getChart(document.getElementById('rates-chart'))")
    rates = page.evaluate("Chart.getChart(document.getElementById('rates-chart')).data")
    assert rates["labels"] == ["东城区", "朝阳区"]
    assert rates["datasets"][0]["data"] == [100, 100]  # response rates, both in time
    categories_chart = page.evaluate("Chart.getChart(document.getElementById('categories-chart')).data")
    assert categories_chart["labels"] == ["噪声扰民", "市场监管"]
    assert categories_chart["datasets"][0]["data"] == [3, 1]
    assert page.locator("#rates-chart").bounding_box()["width"] <= 390

    assert "东华门街道" in page.inner_text("#open-streets")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # wide tables scroll inside
    screenshot(page, "city")

    # Choosing a district narrows the page to its streets, the map still shading the city.
    page.select_option("#open-district", "110101")
    page.click(".open-picker button[type=submit]")
    page.wait_for_url("**/open/?month=*&district=110101")
    page.wait_for_selector("#open-map[data-districts='2']")
    page.wait_for_function("window.Chart && Chart.getChart(document.getElementById('rates-chart'))")
    streets = page.evaluate("Chart.getChart(document.getElementById('rates-chart')).data.labels")
    assert streets == ["东华门街道", "景山街道"]
    assert "建外街道" not in page.inner_text("#open-streets")
    screenshot(page, "district")

"""The supervisor's reports in a real browser, with data: 东城区's supervisor on a
desktop window sees the map of open orders (clustered, each order a dot coloured by
urgency) with the month's heat map, and the trends chart drawn by Chart.js from the
page's numbers; the rankings list the street offices with their rates. No tiles: every
request off this machine is refused.

The data is a dozen complaints filed and worked through the services over November
2026 (time-machine), in every state: closed after a rating, reopened after "not
satisfied", resolved and waiting for the rating, in progress, overdue, new."""

import re
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import time_machine

from complaints.models import ComplaintStatus, Satisfaction
from complaints.services.rating import complaint_rate_by_resident
from dispatch.models import ACTIVE_STATUSES
from dispatch.services.assignments import assignment_accept, assignment_record_contact, assignment_resolve
from tests import geo_places

beijing_outlines = geo_places.beijing_outlines

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "pass-word-123"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
BJ = "Asia/Shanghai"
# A Tuesday morning late in November, Beijing time: the month's reports have a history.
NOW = datetime.fromisoformat("2026-11-24T10:00:00+08:00")
OVERDUE_RED = "rgb(179, 38, 30)"
ON_TIME_GREEN = "rgb(46, 125, 50)"


def nov(day, hour=9, minute=0):
    return datetime.fromisoformat(f"2026-11-{day:02d}T{hour:02d}:{minute:02d}:00+08:00")


@pytest.fixture
def now():
    """The whole test, the live server's thread included, runs at NOW, with the clock ticking."""
    with time_machine.travel(NOW, tick=True):
        yield NOW


@pytest.fixture
def november(now, submit, people, beijing_outlines):
    """Twelve complaints in 东城区 on a grid 0.02° apart (the map separates them once
    zoomed in), filed and worked at the times given. Returns them by label."""
    handlers = {"duofuxiang": people["donghuamen_handler"], "yinzha": people["donghuamen_handler"]}
    handlers["longfusi"] = people["jingshan_handler"]
    made = {}

    def at(moment, action, *args, **kwargs):
        with time_machine.travel(moment, tick=False):
            return action(*args, **kwargs)

    def file(label, day, hour, *, region="duofuxiang", category="noise_construction", spot):
        row, column = divmod(spot, 3)
        complaint = at(
            nov(day, hour),
            submit,
            category=category,
            region=region,
            latitude=Decimal("39.890000") + Decimal("0.02") * row,
            longitude=Decimal("116.390000") + Decimal("0.02") * column,
            description=f"{label}：夜间施工噪声",
        )
        made[label] = complaint
        return complaint

    def active(complaint):
        complaint.refresh_from_db()
        return complaint.assignments.get(status__in=ACTIVE_STATUSES)

    def work(complaint, user, *, day, contact=True, resolve=False):
        assignment = active(complaint)
        at(nov(day, 10), assignment_accept, user=user, assignment_id=assignment.pk)
        if contact:
            at(nov(day, 11), assignment_record_contact, user=user, assignment_id=assignment.pk, note="Called back.")
        if resolve:
            at(nov(day + 1, 15), assignment_resolve, user=user, assignment_id=assignment.pk, reply="Fixed.")
        complaint.refresh_from_db()

    def rate(complaint, *, day, satisfaction, solved=True):
        complaint.refresh_from_db()
        at(nov(day, 12), complaint_rate_by_resident, complaint=complaint, solved=solved, satisfaction=satisfaction)
        complaint.refresh_from_db()

    dhm, js = people["donghuamen_handler"], people["jingshan_handler"]
    work(file("closed-satisfied", 3, 9, spot=0), dhm, day=3, resolve=True)
    rate(made["closed-satisfied"], day=5, satisfaction=Satisfaction.SATISFIED)
    work(file("closed-basically", 5, 9, spot=1), dhm, day=5, resolve=True)
    rate(made["closed-basically"], day=7, satisfaction=Satisfaction.BASICALLY)
    work(file("reopened", 6, 9, region="longfusi", spot=2), js, day=6, resolve=True)
    rate(made["reopened"], day=8, satisfaction=Satisfaction.UNSATISFIED, solved=False)
    file("never-contacted", 10, 9, spot=3)
    work(file("signed-not-called", 12, 9, region="longfusi", spot=4), js, day=12, contact=False)
    work(file("in-progress-late", 15, 9, spot=5), dhm, day=15)
    work(file("resolved-unrated", 18, 9, region="yinzha", spot=6), dhm, day=18, resolve=True)
    work(file("in-progress", 20, 9, spot=7), dhm, day=20)
    file("market", 22, 9, category="market_food", spot=8)
    file("yesterday", 23, 16, spot=9)
    file("this-morning-1", 24, 8, region="longfusi", spot=10)
    file("this-morning-2", 24, 9, spot=11)

    assert made["closed-satisfied"].status == made["closed-basically"].status == ComplaintStatus.CLOSED
    assert made["reopened"].status == ComplaintStatus.ASSIGNED
    assert made["resolved-unrated"].status == ComplaintStatus.RESOLVED
    return made


@pytest.fixture
def supervisor(live_server, page_factory):
    page = page_factory(viewport=DESKTOP)

    def only_local(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            route.abort("internetdisconnected")

    page.route("**/*", only_local)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("[name=username]", "dongcheng_supervisor")
    page.fill("[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/desk/"))
    return page


def chart_data(page, canvas_selector):
    """The labels and datasets of the Chart.js chart drawn on the canvas (None if none)."""
    return page.evaluate(
        """(selector) => {
            const canvas = document.querySelector(selector);
            const chart = canvas && window.Chart && window.Chart.getChart(canvas);
            if (!chart) return null;
            const datasets = chart.data.datasets.map(d => ({label: d.label, data: d.data}));
            return {labels: chart.data.labels, datasets: datasets};
        }""",
        canvas_selector,
    )


PAINTED = """(selector) => {
    const canvas = document.querySelector(selector);
    if (!canvas || !canvas.width || !canvas.height) return 0;
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted++; }
    return painted;
}"""


def painted_pixels(page, canvas_selector) -> int:
    """How many pixels of the canvas are not transparent, once any are (a layer may
    draw on the next animation frame); fails after the page's timeout if none."""
    page.wait_for_function(f"(selector) => ({PAINTED})(selector) > 0", arg=canvas_selector)
    return page.evaluate(PAINTED, canvas_selector)


def test_the_supervisor_s_map_clusters_colours_the_open_orders_and_draws_the_heat(
    live_server, november, supervisor, screenshot
):
    page = supervisor
    page.goto(f"{live_server.url}/desk/reports/map/")
    # Open: everything but the two closed and the one waiting for its rating.
    page.wait_for_selector("#desk-map[data-markers='9']")
    page.wait_for_selector("#desk-map[data-heat-cells]")
    assert int(page.get_attribute("#desk-map", "data-heat-cells")) >= 1
    assert painted_pixels(page, "#desk-map canvas.leaflet-heatmap-layer") > 0
    # At the city's zoom the dozen orders, 2 km apart at most, are one cluster or a few.
    page.wait_for_selector("#desk-map .marker-cluster")
    assert page.locator("#desk-map .marker-cluster").count() >= 1
    screenshot(page, "1-map-clustered-with-heat")

    page.locator("#desk-map .marker-cluster").first.click()
    page.wait_for_selector("#desk-map .map-dot.urgency-overdue")
    page.wait_for_selector("#desk-map .map-dot.urgency-on_time")
    colour = "(e) => getComputedStyle(e).backgroundColor"
    assert page.locator("#desk-map .map-dot.urgency-overdue").first.evaluate(colour) == OVERDUE_RED
    assert page.locator("#desk-map .map-dot.urgency-on_time").first.evaluate(colour) == ON_TIME_GREEN
    streets = page.inner_text("#open-by-street")
    assert "东华门街道" in streets and "景山街道" in streets
    screenshot(page, "2-map-zoomed-coloured-dots")

    # A dot opens its order.
    page.locator("#desk-map .map-dot.urgency-overdue").first.click()
    page.wait_for_selector("#desk-map .leaflet-popup a")
    number = page.inner_text("#desk-map .leaflet-popup a").strip()
    assert number in {c.tracking_number for c in november.values()}


def test_the_trends_chart_draws_the_month_s_numbers(live_server, november, supervisor, screenshot):
    page = supervisor
    page.goto(f"{live_server.url}/desk/reports/trends/?from=2026-11-01&to=2026-11-24&by=day")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('trends-chart'))")
    data = chart_data(page, "#trends-chart")
    assert len(data["labels"]) == 24
    assert [len(d["data"]) for d in data["datasets"]] == [24] * len(data["datasets"])
    orders_in, resolved = data["datasets"][0]["data"], data["datasets"][1]["data"]
    # 12 filed, one of them in again after "not satisfied"; the market order is the district regulator's.
    assert sum(orders_in) >= 12
    assert sum(resolved) >= 4
    assert painted_pixels(page, "#trends-chart") > 0
    # The chart is drawn from the table under it.
    rows = page.locator(".desk-table:not(.breakdown) tbody tr").all_inner_texts()
    assert len(rows) == 24
    assert sum(int(re.split(r"\s+", row.strip())[1]) for row in rows) == sum(orders_in)
    screenshot(page, "trends")


def test_the_rankings_rank_the_street_offices_by_the_month_s_rates(live_server, november, supervisor, screenshot):
    page = supervisor
    page.goto(f"{live_server.url}/desk/reports/rankings/?month=2026-11")
    rows = {
        cells[1]: cells
        for cells in (
            [cell.strip() for cell in row.split("\t")]
            for row in page.locator("table.rankings tbody tr").all_inner_texts()
        )
    }
    assert set(rows) == {"东华门街道办事处", "景山街道办事处"}
    donghuamen, jingshan = rows["东华门街道办事处"], rows["景山街道办事处"]
    assert donghuamen[0] == "1" and jingshan[0] == "2"  # two satisfied ratings beat one not satisfied
    assert re.match(r"\d+(\.\d)?%", donghuamen[2]) and re.match(r"\d+(\.\d)?%", jingshan[2])
    # Satisfaction: one satisfied and one basically satisfied of two ratings; none satisfied of one.
    assert donghuamen[5].endswith("1+1/2") and jingshan[5] == "0.0% 0+0/1"
    assert donghuamen[4] == "100.0% 2/2" and jingshan[4] == "0.0% 0/1"  # resolution: "solved" ratings
    screenshot(page, "rankings")


def test_the_rankings_page_draws_the_rates_as_a_chart(live_server, november, supervisor):
    page = supervisor
    page.goto(f"{live_server.url}/desk/reports/rankings/?month=2026-11")
    page.wait_for_selector("canvas", timeout=5_000)
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas'))", timeout=5_000)
    data = chart_data(page, "canvas")
    assert data["datasets"] and len(data["datasets"][0]["data"]) > 0

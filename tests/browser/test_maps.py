"""The maps in a real browser with no tiles: every request that leaves this machine
is refused, so the tile server is unreachable and the maps must still draw our own
district outlines and pins."""

import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from tests import geo_places

beijing_outlines = geo_places.beijing_outlines

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture
def offline(page_factory):
    """A new page that reaches only this machine, and the URLs that tried to leave."""
    left = []

    def _page():
        page = page_factory()

        def only_local(route):
            if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
                route.continue_()
            else:
                left.append(route.request.url)
                route.abort("internetdisconnected")

        page.route("**/*", only_local)
        return page

    return _page, left


def test_the_intake_map_draws_outlines_without_tiles_and_a_tap_fills_the_district(
    live_server,
    offline,
    beijing_outlines,
    screenshot,
):
    new_page, left = offline
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/file/")
    page.wait_for_selector("#intake-map[data-outlines='2']")
    assert page.locator("#intake-map path.leaflet-interactive, #intake-map svg path").count() >= 2
    assert any("tile.openstreetmap.org" in url for url in left)  # tiles were tried, and failed quietly

    # The map opens centred on Tian'anmen, in 东城区.
    page.locator("#intake-map").scroll_into_view_if_needed()
    box = page.locator("#intake-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    # Predicates are functions: the page's Content-Security-Policy forbids evaluating strings.
    page.wait_for_function("() => document.querySelector('select[name=district]').value === '110101'")
    page.wait_for_selector("select[name=street] option[value='110101001']", state="attached")
    assert re.fullmatch(r"39\.9\d{5}", page.input_value("#id_latitude"))
    assert re.fullmatch(r"116\.\d{6}", page.input_value("#id_longitude"))
    assert "东城区" in page.inner_text("#intake-map-status")
    assert page.locator(".map-pin").count() == 1
    screenshot(page, "intake-map")


def test_a_tap_outside_beijing_says_so_and_fills_nothing(live_server, offline, beijing_outlines):
    new_page, _left = offline
    page = new_page()
    page.goto(f"{live_server.url}/file/")
    page.wait_for_selector("#intake-map[data-outlines='2']")
    page.locator("#intake-map").scroll_into_view_if_needed()
    box = page.locator("#intake-map").bounding_box()
    # The bottom-left corner is south-west of 东城区 and 朝阳区, the only outlines loaded.
    page.mouse.click(box["x"] + 20, box["y"] + box["height"] - 20)
    page.wait_for_function(
        "() => (s => s.textContent && s.textContent !== s.dataset.busy)(document.getElementById('intake-map-status'))"
    )
    assert "Beijing" in page.inner_text("#intake-map-status") or "北京" in page.inner_text("#intake-map-status")
    assert page.input_value("select[name=district]") == ""
    assert page.input_value("#id_latitude") == ""
    assert page.locator(".map-pin").count() == 0


def test_the_supervisor_map_draws_the_open_orders(
    live_server,
    offline,
    beijing_outlines,
    people,
    submit,
    screenshot,
):
    for offset in ("0", "0.0005", "0.02"):
        submit(latitude=Decimal("39.916300") + Decimal(offset), longitude=Decimal("116.397200"))
    new_page, _left = offline
    page = new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("[name=username]", "dongcheng_supervisor")
    page.fill("[name=password]", "pass-word-123")
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/desk/reports/map/")
    page.wait_for_selector("#desk-map[data-markers='3']")
    page.wait_for_selector("#desk-map[data-heat-cells]")
    # Clustered or single, something is on the map for the three orders.
    assert page.locator("#desk-map .marker-cluster, #desk-map .map-dot").count() >= 1
    assert "东华门街道" in page.inner_text("#open-by-street")
    screenshot(page, "supervisor-map")

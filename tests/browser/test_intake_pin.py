"""The intake form's location controls: "Remove my location" only while there is a
pin, and with no script no map and no location buttons at all."""

from urllib.parse import urlsplit

import pytest

from tests import geo_places

beijing_outlines = geo_places.beijing_outlines

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIANANMEN = {"latitude": 39.9087, "longitude": 116.3975}


@pytest.fixture
def new_page(browser):
    """A page in its own context (options as for browser.new_context) that reaches only this machine."""
    contexts = []

    def _page(**options):
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if urlsplit(route.request.url).hostname in {"127.0.0.1", "localhost"}
                else route.abort("internetdisconnected")
            ),
        )
        return page

    yield _page
    for context in contexts:
        context.close()


def test_remove_my_location_shows_only_while_the_browser_location_is_set(live_server, new_page, beijing):
    page = new_page(geolocation=TIANANMEN, permissions=["geolocation"])
    page.goto(f"{live_server.url}/file/")

    assert page.locator("#pin-use").is_visible()
    assert page.locator("#pin-clear").is_hidden()

    page.click("#pin-use")
    page.wait_for_function("() => document.getElementById('id_latitude').value !== ''")
    assert page.locator("#pin-clear").is_visible()
    assert page.input_value("#id_latitude") == "39.908700"

    page.click("#pin-clear")
    assert page.locator("#pin-clear").is_hidden()
    assert page.input_value("#id_latitude") == page.input_value("#id_longitude") == ""
    assert page.locator("#intake-map .map-pin").count() == 0


def test_remove_my_location_follows_a_pin_set_on_the_map(live_server, new_page, beijing_outlines):
    page = new_page()
    page.goto(f"{live_server.url}/file/")
    page.wait_for_selector("#intake-map[data-outlines='2']")
    assert page.locator("#pin-clear").is_hidden()

    page.locator("#intake-map").scroll_into_view_if_needed()
    box = page.locator("#intake-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => document.getElementById('id_latitude').value !== ''")
    assert page.locator("#pin-clear").is_visible()
    assert page.locator("#intake-map .map-pin").count() == 1

    page.click("#pin-clear")
    assert page.locator("#pin-clear").is_hidden()
    assert page.locator("#intake-map .map-pin").count() == 0
    assert page.input_value("#id_latitude") == ""


def test_without_script_there_is_no_map_and_no_location_buttons(live_server, new_page, beijing):
    page = new_page(java_script_enabled=False)
    page.goto(f"{live_server.url}/file/")

    assert page.locator("#intake-map-box").count() == 0
    assert page.locator("#intake-map").count() == 0
    for button in ("#pin-use", "#pin-clear"):
        assert page.locator(button).is_hidden()
    # Not in the accessibility tree either: no one is offered a button that does nothing.
    assert page.get_by_role("button", name="删除我的位置").count() == 0
    assert page.get_by_role("button", name="使用我的位置").count() == 0
    # The form itself is all there.
    assert page.locator("select[name=district]").is_visible()

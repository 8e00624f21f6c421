"""The queue in a real browser: new orders announced and shown without a reload,
polling paused while the tab is hidden and slower after failures, the keyboard
shortcuts, and the page unchanged without JavaScript. The page's clock is
Playwright's, so 20 s of polling pass at once. The pages run under the portal's own
CSP, so the waits are selectors (a string predicate would need 'unsafe-eval')."""

import re

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pass-word-123"
POLL = 20_000


@pytest.fixture
def handler_page(browser, live_server, people):
    contexts = []

    def _page(*, javascript=True):
        context = browser.new_context(locale="en", timezone_id="Asia/Shanghai", java_script_enabled=javascript)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        if javascript:
            page.clock.install()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("[name=username]", "donghuamen_handler")
        page.fill("[name=password]", PASSWORD)
        page.click("#main form button[type=submit]")
        page.wait_for_url(re.compile(r"/desk/"))
        return page

    yield _page
    for context in contexts:
        context.close()


def queue_url(live_server, units, query=""):
    return live_server.url + reverse("dispatch:queue", args=[units["donghuamen"].pk]) + query


def polls(page) -> int:
    return int(page.get_attribute("#queue-live", "data-polls") or 0)


def test_a_new_order_is_announced_and_shown_at_the_top_without_a_reload(handler_page, live_server, units, submit):
    first = submit()
    page = handler_page()
    page.goto(queue_url(live_server, units))
    assert page.inner_text("[data-count=new]") == "1"
    assert page.locator("#queue-live-show").is_hidden()

    arrived = submit(region="yinzha")
    page.clock.fast_forward(POLL + 1000)
    page.wait_for_selector("#queue-live-show", state="visible")
    assert page.inner_text("#queue-live-message").strip() == "1 new order."
    assert page.get_attribute("#queue-live-message", "role") == "status"
    assert page.inner_text("[data-count=new]") == "2"
    assert page.inner_text("#queue-summary") == "2 open orders"
    assert page.locator("#queue-table tbody tr").count() == 1  # not inserted until asked

    page.click("#queue-live-show")
    rows = page.locator("#queue-table tbody tr")
    assert rows.count() == 2
    assert arrived.tracking_number in rows.nth(0).inner_text()
    assert first.tracking_number in rows.nth(1).inner_text()
    assert page.evaluate("document.activeElement.textContent") == arrived.tracking_number
    assert page.locator("#queue-live-show").is_hidden()
    assert "top of the list" in page.inner_text("#queue-live-message")

    # The cursor moved on: the next poll brings nothing twice.
    page.clock.fast_forward(POLL + 1000)
    page.wait_for_selector("#queue-live[data-polls='2']", state="attached")
    assert page.locator("#queue-table tbody tr").count() == 2
    assert page.locator("#queue-live-show").is_hidden()


def test_the_first_order_replaces_the_empty_state(handler_page, live_server, units, submit):
    page = handler_page()
    page.goto(queue_url(live_server, units))
    assert "nothing waits for this unit" in page.inner_text("#queue-table")
    complaint = submit()
    page.clock.fast_forward(POLL + 1000)
    page.click("#queue-live-show")
    assert page.locator("#queue-table tbody tr").count() == 1
    assert complaint.tracking_number in page.inner_text("#queue-table tbody")
    assert "nothing waits" not in page.inner_text("#queue-table")


def test_polling_pauses_while_the_tab_is_hidden(handler_page, live_server, units, submit):
    submit()
    page = handler_page()
    page.goto(queue_url(live_server, units))
    page.clock.fast_forward(POLL + 1000)
    page.wait_for_selector("#queue-live[data-polls='1']", state="attached")

    page.evaluate(
        "() => { Object.defineProperty(document, 'hidden', {value: true, configurable: true});"
        " document.dispatchEvent(new Event('visibilitychange')); }"
    )
    page.clock.fast_forward(5 * POLL)
    page.wait_for_timeout(300)
    assert polls(page) == 1

    # Back in view: it asks at once, then every 20 s again.
    page.evaluate(
        "() => { Object.defineProperty(document, 'hidden', {value: false, configurable: true});"
        " document.dispatchEvent(new Event('visibilitychange')); }"
    )
    page.wait_for_selector("#queue-live[data-polls='2']", state="attached")


def test_failures_slow_the_polling_and_a_success_restores_it(handler_page, live_server, units, submit):
    submit()
    page = handler_page()
    failing = {"on": True}

    def maybe_fail(route):
        if failing["on"]:
            route.fulfill(status=503, body="down")
        else:
            route.continue_()

    page.route("**/queue/live.json*", maybe_fail)
    page.goto(queue_url(live_server, units))
    page.clock.fast_forward(POLL + 1000)
    page.wait_for_selector("#queue-live[data-delay='40000']", state="attached")
    page.clock.fast_forward(2 * POLL + 1000)
    page.wait_for_selector("#queue-live[data-delay='80000']", state="attached")

    failing["on"] = False
    page.clock.fast_forward(4 * POLL + 1000)
    page.wait_for_selector("#queue-live[data-delay='20000']", state="attached")
    assert polls(page) == 1


def test_a_refused_filter_stops_the_polling(handler_page, live_server, units, submit):
    submit()
    page = handler_page()
    page.goto(queue_url(live_server, units, "?status=bogus"))
    assert page.locator(".field-error").count() == 1
    page.clock.fast_forward(POLL + 1000)
    page.wait_for_selector("#queue-live[data-delay='0']", state="attached")
    page.clock.fast_forward(10 * POLL)
    assert polls(page) == 0


def test_j_and_k_move_the_selection_and_enter_opens_the_order(handler_page, live_server, units, submit):
    orders = [submit(), submit(), submit()]
    page = handler_page()
    page.goto(queue_url(live_server, units))
    rows = page.locator("#queue-table tbody tr")
    numbers = [rows.nth(i).locator("a").first.inner_text() for i in range(3)]
    assert sorted(numbers) == sorted(o.tracking_number for o in orders)

    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.dataset.rowId") == rows.nth(0).get_attribute("data-row-id")
    assert rows.nth(0).get_attribute("aria-current") == "true"
    page.keyboard.press("j")
    page.keyboard.press("ArrowDown")  # the list has the focus now
    page.keyboard.press("ArrowDown")  # stays on the last row
    assert "is-selected" in rows.nth(2).get_attribute("class")
    page.keyboard.press("k")
    assert "is-selected" in rows.nth(1).get_attribute("class")
    assert page.locator("#queue-table tr.is-selected").count() == 1
    assert rows.nth(2).get_attribute("aria-current") is None
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # the selection is visible

    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/desk/orders/{numbers[1]}/$"))


def test_o_opens_slash_goes_to_the_filters_and_question_mark_shows_the_help(handler_page, live_server, units, submit):
    complaint = submit()
    page = handler_page()
    page.goto(queue_url(live_server, units))
    assert page.locator("#queue-keys").is_visible()
    assert not page.eval_on_selector("#queue-keys", "(d) => d.open")
    page.keyboard.press("?")
    assert page.eval_on_selector("#queue-keys", "(d) => d.open")
    assert "next order" in page.inner_text("#queue-keys")
    page.keyboard.press("Escape")
    assert not page.eval_on_selector("#queue-keys", "(d) => d.open")

    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "status"
    page.keyboard.press("j")  # typing in a field: no shortcut
    assert page.locator("#queue-table tr.is-selected").count() == 0
    assert page.evaluate("document.activeElement.name") == "status"

    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("j")
    page.keyboard.press("Control+o")  # a modifier: the browser's, not ours
    assert page.url.endswith("/queue/")
    page.keyboard.press("o")
    page.wait_for_url(re.compile(rf"/desk/orders/{complaint.tracking_number}/$"))


def test_without_javascript_the_queue_is_a_plain_list(handler_page, live_server, units, submit):
    complaint = submit()
    page = handler_page(javascript=False)
    page.goto(queue_url(live_server, units))
    assert complaint.tracking_number in page.inner_text("#queue-table")
    assert page.inner_text("[data-count=new]") == "1"
    assert page.locator("#queue-keys").is_hidden()  # the keys do nothing without the script
    assert page.locator("#queue-live-show").is_hidden()
    assert page.inner_text("#queue-live-message") == ""

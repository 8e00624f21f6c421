"""Swagger UI and ReDoc work with the network cut: their scripts, styles and fonts
come from drf-spectacular-sidecar through our own static files, and the schema
from /api/schema/. Every request for another host is aborted and recorded."""

import re
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture
def offline_page(page_factory):
    """A page that can reach only this machine. Yields (page, requests that tried to
    leave, local responses that failed)."""
    page = page_factory()
    left, failed = [], []

    def only_local(route):
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            left.append(url)
            route.abort("internetdisconnected")

    page.route("**/*", only_local)
    page.on(
        "response",
        lambda response: failed.append(f"{response.status} {response.url}") if response.status >= 400 else None,
    )
    return page, left, failed


def test_swagger_ui_renders_the_operations_offline(live_server, offline_page):
    page, left, failed = offline_page
    page.goto(f"{live_server.url}/api/docs/")
    operation = page.locator(".opblock .opblock-summary-path").filter(has_text=re.compile(r"^/api/v1/")).first
    operation.wait_for(state="visible")
    # The styles came from our static files: Swagger UI's stylesheet colours the blocks.
    assert page.locator("link[rel=stylesheet]").first.get_attribute("href").startswith("/static/")
    assert page.eval_on_selector(".opblock", "e => getComputedStyle(e).borderRadius") != "0px"
    assert not left, f"requests left the machine: {left}"
    assert not failed, f"local requests failed: {failed}"


def test_redoc_renders_the_operations_offline(live_server, offline_page):
    page, left, failed = offline_page
    page.goto(f"{live_server.url}/api/redoc/")
    page.locator("[data-section-id^='operation/'], [data-section-id^='tag/']").first.wait_for(state="visible")
    page.get_by_text(re.compile(r"^/api/v1/")).first.wait_for(state="attached")
    assert page.locator("script[src]").first.get_attribute("src").startswith("/static/")
    assert not left, f"requests left the machine: {left}"
    assert not failed, f"local requests failed: {failed}"

"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live
server. Without Chromium they skip, unless WHISTLE_REQUIRE_SERVICES=1 (CI), where a
missing browser is a failure."""

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("WHISTLE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make between page steps are ordinary blocking calls, which Django would refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _unavailable(reason):
    if os.environ.get("WHISTLE_REQUIRE_SERVICES") == "1":
        pytest.fail(f"WHISTLE_REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page_factory(browser):
    """New isolated browser contexts (one per person), closed after the test: Chinese
    by default, or `locale="en-US"`; `viewport={"width": 390, "height": 844}` for a phone."""
    contexts = []

    def _new_page(*, locale="zh-CN", viewport=None):
        options = {"locale": locale, "timezone_id": "Asia/Shanghai"}
        if viewport is not None:
            options["viewport"] = viewport
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


def screenshot_folder() -> Path:
    """This run's folder: WHISTLE_SCREENSHOTS, which tests/conftest.py sets once per run
    (default var/screenshots/<UTC timestamp>/) and reports at the end."""
    return Path(os.environ.get("WHISTLE_SCREENSHOTS") or Path(__file__).resolve().parents[2] / "var" / "screenshots")


@pytest.fixture
def screenshot(request):
    """`screenshot(page, name)` saves the whole page as <folder>/<test>--<name>.png and
    returns the path; the run's summary prints the folder."""
    test = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")[:150]

    def _save(page, name: str) -> Path:
        folder = screenshot_folder()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{test}--{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _save

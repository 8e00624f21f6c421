"""WCAG 2.1 AA on the main pages, checked by axe-core in a real browser.

axe-core is vendored for the tests only (tests/browser/vendor/axe-core, never served)
and injected into each page; the page's own CSP is bypassed for that one script.
A page passes when axe finds no violation of impact "serious" or "critical" among the
WCAG 2.0/2.1 A and AA rules. Every page is checked in Chinese, the main ones also in
English, and the forms both fresh and after a rejected submission.
"""

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from dispatch.services.alerts import alerts_sweep

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PASSWORD = "pass-word-123"
BLOCKING = {"serious", "critical"}
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """The blocking violations axe finds on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_AA,
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"      {' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
            lines.append(f"        {node['html'][:200]}")
    return "\n".join(lines)


class Audit:
    """Collects each page's blocking violations, so one run reports every page."""

    def __init__(self, language: str):
        self.language = language
        self.failures: dict[str, list[dict]] = {}
        self.checked: list[str] = []

    def check(self, name: str, page) -> None:
        page.wait_for_load_state("load")
        found = axe_violations(page)
        self.checked.append(name)
        if found:
            self.failures[name] = found

    def assert_clean(self) -> None:
        report = "\n".join(f"[{self.language}] {name} {'-' * 20}\n{describe(v)}" for name, v in self.failures.items())
        if report:
            print(report)
        assert not self.failures, f"axe found serious/critical violations:\n{report}"


@pytest.fixture
def new_page(browser):
    contexts = []

    def _new_page(locale: str, viewport=None):
        context = browser.new_context(
            locale=locale,
            timezone_id="Asia/Shanghai",
            bypass_csp=True,
            viewport=viewport or {"width": 1280, "height": 900},
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("[name=username]", username)
    page.fill("[name=password]", PASSWORD)
    page.click("#main form button[type=submit]")
    page.wait_for_url(re.compile(r"/desk/"))


def file_a_complaint(page, live_server, beijing, categories) -> str:
    page.goto(f"{live_server.url}/file/")
    page.select_option("select[name=category]", str(categories["noise_construction"].pk))
    page.select_option("select[name=district]", beijing["dongcheng"].code)
    page.wait_for_selector(f"select[name=street] option[value='{beijing['donghuamen'].code}']", state="attached")
    page.select_option("select[name=street]", beijing["donghuamen"].code)
    page.wait_for_selector(f"select[name=community] option[value='{beijing['duofuxiang'].code}']", state="attached")
    page.select_option("select[name=community]", beijing["duofuxiang"].code)
    page.fill("[name=address]", "东华门大街 1 号")
    page.fill("[name=description]", "工地每晚施工到凌晨两点，影响休息")
    page.fill("[name=resident_name]", "王芳")
    page.fill("[name=resident_phone]", "13912345678")
    page.click("#intake-form button[type=submit]:not([name=refresh_places])")
    return page.inner_text("#tracking-number").strip()


@pytest.fixture
def desk_data(submit, people):
    """Orders filed two days ago (so some are overdue), one in triage, and the alerts
    the sweep raised for them."""
    past = timezone.now() - timedelta(days=2)
    with time_machine.travel(past, tick=False):
        orders = [submit(), submit(region="yinzha"), submit(category="other_misc")]
        # An emergency (it waits in triage, its words marked there and on its order page).
        orders.append(submit(description="三楼着火了，有人被困", resident_phone="13700137000"))
    alerts_sweep(now=timezone.now())
    return orders


def public_pages(audit: Audit, page, live_server, beijing, categories, *, with_errors: bool) -> None:
    page.goto(f"{live_server.url}/")
    audit.check("home", page)
    page.goto(f"{live_server.url}/file/")
    audit.check("file", page)
    if with_errors:
        page.click("#intake-form button[type=submit]:not([name=refresh_places])")
        page.wait_for_selector("#error-summary")
        assert page.get_attribute("#error-summary", "role") == "alert"  # errors are announced
        audit.check("file_with_errors", page)
    tracking_number = file_a_complaint(page, live_server, beijing, categories)
    audit.check("filed", page)
    page.goto(f"{live_server.url}/track/")
    audit.check("track", page)
    if with_errors:
        page.fill("[name=tracking_number]", "123")
        page.click(".track-form button[type=submit]")
        page.wait_for_selector(".has-error, #error-summary")
        audit.check("track_with_errors", page)
    page.goto(f"{live_server.url}/track/{tracking_number}/")
    audit.check("track_detail", page)
    try:
        transparency = reverse("public:transparency")
    except NoReverseMatch:
        transparency = None  # not built yet in this tree
    if transparency:
        page.goto(live_server.url + transparency)
        audit.check("transparency", page)
    page.goto(f"{live_server.url}/accounts/login/")
    audit.check("login", page)
    if with_errors:
        page.fill("[name=username]", "nobody")
        page.fill("[name=password]", "wrong")
        page.click("#main form button[type=submit]")
        page.wait_for_selector("#error-summary")
        assert page.get_attribute("#error-summary", "role") == "alert"
        assert page.locator(".errorlist").count() == 0  # said once, in the summary
        audit.check("login_with_errors", page)


def desk_pages(audit: Audit, new_page, locale: str, live_server, units, desk_data) -> None:
    handler = new_page(locale)
    sign_in(handler, live_server, "donghuamen_handler")
    handler.goto(live_server.url + reverse("dispatch:home"))
    audit.check("desk_home", handler)
    handler.goto(live_server.url + reverse("dispatch:queue", args=[units["donghuamen"].pk]))
    audit.check("queue", handler)
    handler.goto(live_server.url + reverse("dispatch:queue", args=[units["donghuamen"].pk]) + "?status=bogus")
    audit.check("queue_with_errors", handler)
    handler.goto(live_server.url + reverse("dispatch:order", args=[desk_data[0].tracking_number]))
    audit.check("order", handler)
    handler.goto(live_server.url + reverse("dispatch:notifications"))
    audit.check("notifications", handler)

    dispatcher = new_page(locale)
    sign_in(dispatcher, live_server, "dispatcher")
    dispatcher.goto(live_server.url + reverse("dispatch:triage"))
    audit.check("triage", dispatcher)
    dispatcher.goto(live_server.url + reverse("dispatch:order", args=[desk_data[3].tracking_number]))
    audit.check("order_emergency", dispatcher)

    supervisor = new_page(locale)
    sign_in(supervisor, live_server, "dongcheng_supervisor")
    for name in ("overdue", "report_index", "report_rankings", "report_trends", "report_hotspots", "report_map"):
        supervisor.goto(live_server.url + reverse(f"dispatch:{name}"))
        audit.check(name, supervisor)
    supervisor.goto(live_server.url + reverse("dispatch:report_trends") + "?from=nope&month=13")
    supervisor.wait_for_selector(".field-error[role=alert]")
    audit.check("report_trends_with_errors", supervisor)


def test_public_pages_in_chinese_have_no_serious_violations(live_server, new_page, beijing, categories, rules):
    audit = Audit("zh-hans")
    public_pages(audit, new_page("zh-CN"), live_server, beijing, categories, with_errors=True)
    assert {"home", "file_with_errors", "filed", "track_detail", "login_with_errors"} <= set(audit.checked)
    audit.assert_clean()


def test_public_pages_in_english_have_no_serious_violations(live_server, new_page, beijing, categories, rules):
    audit = Audit("en")
    public_pages(audit, new_page("en"), live_server, beijing, categories, with_errors=False)
    audit.assert_clean()


def test_desk_pages_in_chinese_have_no_serious_violations(live_server, new_page, units, desk_data):
    audit = Audit("zh-hans")
    desk_pages(audit, new_page, "zh-CN", live_server, units, desk_data)
    assert len(audit.checked) == 14, audit.checked
    audit.assert_clean()


def test_desk_pages_in_english_have_no_serious_violations(live_server, new_page, units, desk_data):
    audit = Audit("en")
    desk_pages(audit, new_page, "en", live_server, units, desk_data)
    audit.assert_clean()


def test_the_queue_on_a_phone_has_no_serious_violations(live_server, new_page, units, desk_data):
    audit = Audit("zh-hans, 390 px")
    page = new_page("zh-CN", viewport={"width": 390, "height": 844})
    sign_in(page, live_server, "donghuamen_handler")
    page.goto(live_server.url + reverse("dispatch:queue", args=[units["donghuamen"].pk]))
    audit.check("queue_phone", page)
    audit.assert_clean()


def test_axe_itself_finds_a_planted_fault(live_server, new_page, people):
    """A guard against a silently broken check: axe must see a field with no label."""
    page = new_page("en")
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("document.querySelector('label[for=id_username]').remove()")
    assert "label" in json.dumps([v["id"] for v in axe_violations(page)])


def test_the_queue_s_live_news_help_and_selection_have_no_serious_violations(
    live_server, new_page, units, submit, people
):
    submit()
    page = new_page("zh-CN")
    page.clock.install()
    sign_in(page, live_server, "donghuamen_handler")
    page.goto(live_server.url + reverse("dispatch:queue", args=[units["donghuamen"].pk]))
    submit(region="yinzha")
    page.clock.fast_forward(21_000)
    page.wait_for_selector("#queue-live-show", state="visible")
    page.keyboard.press("j")
    page.keyboard.press("?")
    audit = Audit("zh-hans")
    audit.check("queue_live_news", page)
    page.click("#queue-live-show")
    audit.check("queue_rows_shown", page)
    page.goto(live_server.url + reverse("dispatch:queue", args=[units["donghuamen"].pk]) + "?status=in_progress")
    audit.check("queue_no_match", page)
    audit.assert_clean()

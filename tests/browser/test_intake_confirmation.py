"""The confirmation page on a phone: the tracking number on one line, a copy
button where the browser can copy, and none where it cannot."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEND = "#intake-form button[type=submit]:not([name=refresh_places])"
PHONE = {"width": 390, "height": 844}


def _file(page, live_server, beijing, categories):
    page.goto(f"{live_server.url}/file/")
    page.select_option("select[name=category]", str(categories["noise_construction"].pk))
    page.select_option("select[name=district]", beijing["dongcheng"].code)
    page.wait_for_selector(f"select[name=street] option[value='{beijing['donghuamen'].code}']", state="attached")
    page.select_option("select[name=street]", beijing["donghuamen"].code)
    page.fill("[name=address]", "东华门大街 1 号")
    page.fill("[name=description]", "凌晨两点还在施工")
    page.fill("[name=resident_name]", "王芳")
    page.fill("[name=resident_phone]", "13912345678")
    page.click(SEND)
    page.wait_for_selector("#tracking-number")


def _context(browser, **options):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE, **options)
    context.set_default_timeout(15_000)
    return context


def test_the_tracking_number_fits_one_line_on_a_390px_phone(live_server, browser, beijing, categories, rules):
    context = _context(browser)
    try:
        page = context.new_page()
        _file(page, live_server, beijing, categories)
        box = page.eval_on_selector(
            "#tracking-number",
            """e => {
                const r = document.createRange(); r.selectNodeContents(e);
                const lines = new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top)));
                const s = getComputedStyle(e);
                const padding = parseFloat(s.paddingTop) + parseFloat(s.paddingBottom);
                return {lines: lines.size, height: e.clientHeight - padding,
                        lineHeight: parseFloat(s.lineHeight) || parseFloat(s.fontSize) * 1.5,
                        scroll: e.scrollWidth, client: e.clientWidth, right: e.getBoundingClientRect().right,
                        text: e.textContent.trim()};
            }""",
        )
        assert len(box["text"]) == 16
        assert box["lines"] == 1
        assert box["height"] < 1.5 * box["lineHeight"]
        assert box["scroll"] <= box["client"]  # it fits: not cut off, not scrolled
        assert box["right"] <= PHONE["width"]
    finally:
        context.close()


def test_the_copy_button_copies_the_number(live_server, browser, beijing, categories, rules):
    context = _context(browser, permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        _file(page, live_server, beijing, categories)
        number = page.inner_text("#tracking-number").strip()

        page.click("#copy-tracking-number")
        page.wait_for_function("() => document.getElementById('copy-status').textContent !== ''")

        assert page.evaluate("navigator.clipboard.readText()") == number
        assert page.inner_text("#copy-status") == page.get_attribute("#copy-tracking-number", "data-copied")
        assert page.locator("text=已提交").count() == 1
    finally:
        context.close()


def test_without_a_clipboard_there_is_no_copy_button(live_server, browser, beijing, categories, rules):
    context = _context(browser)
    try:
        page = context.new_page()
        # A browser without the clipboard API (an old one, or a page not served securely).
        page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined});")
        _file(page, live_server, beijing, categories)

        assert page.locator("#copy-tracking-number").is_hidden()
        assert page.locator(".track-link a").is_visible()
    finally:
        context.close()


def test_without_script_there_is_no_copy_button(live_server, browser, beijing, categories, rules):
    context = _context(browser, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/file/")
        # No script: the lists are filled by "Update places".
        page.select_option("select[name=category]", str(categories["noise_construction"].pk))
        page.select_option("select[name=district]", beijing["dongcheng"].code)
        page.click("button[name=refresh_places] >> nth=-1")
        page.select_option("select[name=street]", beijing["donghuamen"].code)
        page.fill("[name=address]", "东华门大街 1 号")
        page.fill("[name=description]", "凌晨两点还在施工")
        page.fill("[name=resident_name]", "王芳")
        page.fill("[name=resident_phone]", "13912345678")
        page.click(SEND)
        page.wait_for_selector("#tracking-number")

        assert page.locator("#copy-tracking-number").is_hidden()
        box = page.locator("#tracking-number").bounding_box()
        assert box["x"] + box["width"] <= PHONE["width"]
    finally:
        context.close()

"""The issue's "done when" on a phone: a newcomer on a 390×844 window, in Chinese,
files a complaint with a pin tapped on the map and a photo from the phone (GPS tags
and all), follows it with the tracking number and the last four digits of the phone,
and rates it; the street office's handler works it in English and sees the photo.
Screenshots of every step go to the run's folder (tests/browser/conftest.py).

The map has no tiles here (every request off this machine is refused): it draws our
own outlines, the shipped 东城区 and 朝阳区 and a test outline of 东华门街道 around
the map's centre, so a tap there fills the district and the street."""

import io
import re
from urllib.parse import urlsplit

import pytest
from PIL import Image

from complaints.models import Category, Complaint, ComplaintStatus, Photo, PhotoKind, Region, Satisfaction
from complaints.services.boundaries import boundaries_import
from complaints.services.rating import complaint_rate_by_resident
from dispatch.models import RoutingRule, Unit
from dispatch.services.assignments import assignment_accept, assignment_record_contact, assignment_resolve
from tests import geo_places

beijing_outlines = geo_places.beijing_outlines

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PASSWORD = "pass-word-123"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Where intake-map.js centres the map (Tian'anmen, in 东华门街道).
MAP_CENTRE = (39.9042, 116.4074)
GPS_IFD = 0x8825
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def donghuamen_outline(beijing_outlines, beijing):
    """A square of about 2 km around the map's centre as 东华门街道's outline, so that a
    tap at the centre names the street as well as the district."""
    lat, lng = MAP_CENTRE
    ring = [[lng - 0.01, lat - 0.01], [lng + 0.01, lat - 0.01], [lng + 0.01, lat + 0.01], [lng - 0.01, lat + 0.01]]
    ring.append(ring[0])
    feature = {
        "type": "Feature",
        "properties": {"code": beijing["donghuamen"].code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    boundaries_import(collection={"type": "FeatureCollection", "features": [feature]}, level="street")


@pytest.fixture
def phone_photo(tmp_path):
    """A JPEG as a phone takes it: camera make, orientation and the GPS position."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0112] = 1
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2], gps[3], gps[4] = "N", (39.0, 54.0, 15.0), "E", (116.0, 24.0, 27.0)
    image = Image.new("RGB", (640, 480), (180, 120, 60))
    for x in range(0, 640, 40):  # something to see in the thumbnail
        image.paste((40, 40, 160), (x, 0, x + 20, 480))
    path = tmp_path / "IMG_2031.jpg"
    image.save(path, format="JPEG", exif=exif)
    assert Image.open(path).getexif().get_ifd(GPS_IFD)  # the position really is in the upload
    return path


def only_local(page):
    """Refuse every request that would leave this machine (tile servers among them)."""

    def route(request_route):
        if urlsplit(request_route.request.url).hostname in LOCAL_HOSTS:
            request_route.continue_()
        else:
            request_route.abort("internetdisconnected")

    page.route("**/*", route)
    return page


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("[name=username]", username)
    page.fill("[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/desk/"))


def wait_for_image(page, selector):
    """The first image matching `selector` scrolled into view (they load lazily) and
    decoded; its natural width."""
    image = page.locator(selector).first
    image.scroll_into_view_if_needed()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=15_000)
    return image.evaluate("(img) => img.naturalWidth")


def handler_works_it(page, live_server, *, tracking_number, username="donghuamen_handler", on_order=None):
    """The handler signs in (English context), opens the order from the queue, signs
    for it, records the call and resolves it with a reply. `on_order(page)` runs on
    the order page before the first action."""
    sign_in(page, live_server, username)
    page.wait_for_url(re.compile(r"/desk/units/\d+/queue/"))
    page.click(f"a:has-text('{tracking_number}')")
    page.wait_for_url(re.compile(rf"/desk/orders/{tracking_number}/$"))
    if on_order is not None:
        on_order(page)
    page.click("form[action$='/accept/'] button[type=submit]")
    page.wait_for_selector("form[action$='/contact/']")
    page.fill("form[action$='/contact/'] [name=note]", "Called Ms Wang; she confirmed the site works past midnight.")
    page.click("form[action$='/contact/'] button[type=submit]")
    page.wait_for_selector("form[action$='/resolve/']")
    page.fill(
        "form[action$='/resolve/'] [name=reply]",
        "We met the builder: no work after 22:00 from tonight, checked by our night patrol.",
    )
    page.click("form[action$='/resolve/'] button[type=submit]")
    page.wait_for_selector("form[action$='/resolve/']", state="detached")


def timeline_lines(page) -> list[str]:
    return [line.strip() for line in page.locator("table.timeline tbody tr").all_inner_texts()]


def without_names(text: str) -> str:
    """The text with the names of places, units, categories and routing rules taken
    out: they are data, written in their own language, not words of the page."""
    names = [*Unit.objects.values_list("name", flat=True), *Region.objects.values_list("name", flat=True)]
    names += [*Category.objects.values_list("name", flat=True), *RoutingRule.objects.values_list("name", flat=True)]
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "")
    return text


def test_a_newcomer_on_a_phone_files_with_a_pin_and_a_photo_in_chinese_follows_and_rates_it(
    live_server,
    page_factory,
    screenshot,
    media,
    beijing,
    categories,
    rules,
    units,
    people,
    donghuamen_outline,
    phone_photo,
):
    resident = only_local(page_factory(viewport=PHONE))
    resident.goto(f"{live_server.url}/")
    assert resident.evaluate("document.documentElement.lang").lower().startswith("zh")
    resident.click("section.hero a.button[href$='/file/']")
    resident.wait_for_url(re.compile(r"/file/$"))

    resident.select_option("select[name=category]", str(categories["noise_construction"].pk))
    resident.fill("[name=description]", "工地每晚施工到凌晨两点，电锯声很大，影响休息")

    # A tap on the map at its centre: the pin fills the district and the street.
    resident.wait_for_selector("#intake-map[data-outlines]")
    resident.locator("#intake-map").scroll_into_view_if_needed()
    box = resident.locator("#intake-map").bounding_box()
    resident.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    resident.wait_for_function(
        "(code) => document.querySelector('select[name=street]').value === code", arg=beijing["donghuamen"].code
    )
    assert resident.input_value("select[name=district]") == beijing["dongcheng"].code
    assert "东城区" in resident.inner_text("#intake-map-status")
    assert resident.locator("#intake-map .map-pin").count() == 1
    latitude, longitude = float(resident.input_value("#id_latitude")), float(resident.input_value("#id_longitude"))
    assert abs(latitude - MAP_CENTRE[0]) < 0.005 and abs(longitude - MAP_CENTRE[1]) < 0.005
    # Communities have no outlines: the resident chooses hers in the list the street filled.
    resident.wait_for_selector(f"select[name=community] option[value='{beijing['duofuxiang'].code}']", state="attached")
    resident.select_option("select[name=community]", beijing["duofuxiang"].code)

    resident.set_input_files("input[name=photos]", str(phone_photo))
    resident.fill("[name=address]", "东华门大街 1 号旁工地")
    resident.fill("[name=resident_name]", "王芳")
    resident.fill("[name=resident_phone]", "13912345678")
    assert resident.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(resident, "1-form-filled")
    resident.click("#intake-form button[type=submit]:not([name=refresh_places])")

    resident.wait_for_selector("#tracking-number")
    tracking_number = resident.inner_text("#tracking-number").strip()
    assert re.fullmatch(r"\d{16}", tracking_number)
    assert "工单编号" in resident.content()
    screenshot(resident, "2-filed-tracking-number")

    complaint = Complaint.objects.get(tracking_number=tracking_number)
    assert complaint.status == ComplaintStatus.ASSIGNED
    assert complaint.region == beijing["duofuxiang"]
    assert (round(float(complaint.latitude), 3), round(float(complaint.longitude), 3)) == (
        round(latitude, 3),
        round(longitude, 3),
    )
    assert complaint.assignments.get().unit == units["donghuamen"]
    photo = Photo.objects.get(complaint=complaint)
    assert photo.kind == PhotoKind.RESIDENT and not photo.public
    stored = photo.file.open("rb").read()
    assert (Image.open(io.BytesIO(stored)).size, len(Image.open(io.BytesIO(stored)).getexif())) == ((640, 480), 0)
    assert b"Exif" not in stored and b"PhoneMaker" not in stored

    # Later, from the home page, as anyone can: the tracking number and the phone's last four.
    resident.context.clear_cookies()
    resident.goto(f"{live_server.url}/")
    resident.fill("[name=tracking_number]", tracking_number)
    resident.fill("[name=phone_last4]", "5678")
    resident.click("form.track-form button[type=submit]")
    resident.wait_for_url(re.compile(rf"/track/{tracking_number}/$"))
    assert resident.inner_text("h1.tracking-number").strip() == tracking_number
    assert "东城区" in resident.content() and "多福巷社区" in resident.content()
    assert wait_for_image(resident, ".photo-list img") > 0
    assert "5678" in resident.content() and "13912345678" not in resident.content()
    screenshot(resident, "3-tracking-page")

    def sees_the_order(page):
        assert page.evaluate("document.documentElement.lang") == "en"
        assert "Sign for" in page.inner_text("form[action$='/accept/']")
        # The resident's photo, as the thumbnail the task made after the complaint was filed.
        assert page.get_attribute(".photos .photo-list img", "src").endswith("/thumb/")
        assert wait_for_image(page, ".photos .photo-list img") > 0
        screenshot(page, "4-handler-order-new-en")

    handler = only_local(page_factory(locale="en-US"))
    handler_works_it(handler, live_server, tracking_number=tracking_number, on_order=sees_the_order)
    assert handler.evaluate("document.documentElement.lang") == "en"
    assert handler.locator("h1").first.inner_text().startswith("Order")
    assert "13912345678" in handler.content()  # the handling unit sees how to call her
    assert wait_for_image(handler, ".photos .photo-list img") > 0
    assert "Timeline" in handler.inner_text("#timeline-h")
    screenshot(handler, "5-handler-order-resolved-en")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESOLVED

    resident.reload()
    assert "We met the builder" in resident.content()
    assert "Called Ms Wang" not in resident.content()  # the contact note stays with the unit
    screenshot(resident, "6-resolved-rate-form")
    resident.check("[name=solved][value=yes]")
    resident.check(f"[name=satisfaction][value={Satisfaction.SATISFIED}]")
    resident.click(f"form[action$='/track/{tracking_number}/rate/'] button[type=submit]")
    resident.wait_for_selector(".status-closed")
    assert "已结案" in resident.inner_text(".status-closed")
    assert resident.locator("form[action$='/rate/']").count() == 0
    assert resident.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(resident, "7-rated-closed")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED
    rating = complaint.ratings.get()
    assert (rating.solved, rating.satisfaction) == (True, Satisfaction.SATISFIED)


def test_every_line_of_the_handler_s_timeline_reads_in_english(
    live_server, page_factory, screenshot, submit, units, people
):
    complaint = submit()
    handler = only_local(page_factory(locale="en-US"))
    handler_works_it(handler, live_server, tracking_number=complaint.tracking_number)
    complaint.refresh_from_db()
    complaint_rate_by_resident(complaint=complaint, solved=True, satisfaction=Satisfaction.SATISFIED)
    handler.reload()
    screenshot(handler, "handler-timeline-en")
    lines = timeline_lines(handler)
    assert len(lines) >= 5  # filed, assigned, signed for, contacted, resolved, rated, closed
    chinese = [line for line in lines if CJK.search(without_names(line))]
    assert chinese == [], "timeline lines with Chinese words in an English page:\n" + "\n".join(chinese)


def test_every_line_of_the_resident_s_timeline_reads_in_chinese(
    live_server, page_factory, screenshot, submit, units, people
):
    complaint = submit()
    handler = people["donghuamen_handler"]
    assignment = complaint.assignments.get()
    assignment_accept(user=handler, assignment_id=assignment.pk)
    assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系张先生")
    assignment_resolve(user=handler, assignment_id=assignment.pk, reply="已约谈施工单位，夜间停止施工")
    complaint.refresh_from_db()
    complaint_rate_by_resident(complaint=complaint, solved=True, satisfaction=Satisfaction.SATISFIED)

    resident = only_local(page_factory(viewport=PHONE))
    resident.goto(f"{live_server.url}/track/?tracking_number={complaint.tracking_number}")
    resident.fill("[name=phone_last4]", "8000")
    resident.click("form.track-form button[type=submit]")
    resident.wait_for_selector(".status-closed")
    screenshot(resident, "resident-timeline-zh")
    lines = [line.strip() for line in resident.locator("ol.timeline li").all_inner_texts()]
    assert len(lines) >= 5
    english = [line for line in lines if re.search(r"[A-Za-z]{2,}", line)]
    assert english == [], "timeline lines with English words in a Chinese page:\n" + "\n".join(english)

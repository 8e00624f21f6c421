"""An order's photos over the staff API: listed with URLs and fetched by those who
may read the order, 404 for everyone else; resolving with "after" photos is one
transaction, so a refused photo resolves nothing."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from complaints.models import ComplaintStatus, Photo, PhotoKind
from complaints.services.photos import photos_attach
from dispatch.models import AssignmentStatus
from dispatch.services.assignments import assignment_accept, assignment_record_contact
from tests.complaints.test_photos import bomb, jpeg_with_gps, png, stored_files

STREET = "donghuamen_handler"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def order(submit, django_capture_on_commit_callbacks):
    complaint = submit()
    with django_capture_on_commit_callbacks(execute=True):
        (shown,) = photos_attach(complaint=complaint, files=[png()], kind=PhotoKind.RESIDENT, public=True)
    return complaint, shown


def _list_url(complaint):
    return reverse("dispatch_api:order_photos", args=[complaint.tracking_number])


def _file_url(complaint, photo, thumb=False):
    name = "dispatch_api:order_photo_thumbnail" if thumb else "dispatch_api:order_photo_file"
    return reverse(name, args=[complaint.tracking_number, photo.key])


def test_the_handling_unit_lists_photos_with_urls_it_can_fetch(api_as, order):
    complaint, photo = order
    api = api_as(STREET)

    response = api.get(_list_url(complaint))

    assert response.status_code == 200, response.content
    (row,) = response.json()
    assert (row["key"], row["kind"], row["slot"], row["public"]) == (str(photo.key), "resident", 1, True)
    assert row["url"] == "http://testserver" + _file_url(complaint, photo)
    assert row["public_url"] == "http://testserver" + reverse("complaints:public_photo", args=[photo.key])
    image = api.get(row["url"], HTTP_ACCEPT="image/*")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(b"".join(image.streaming_content))).size == (20, 10)
    thumb = api.get(row["thumbnail_url"], HTTP_ACCEPT="image/webp,image/*")
    assert thumb.status_code == 200 and thumb["Cache-Control"].startswith("private")


def test_a_private_photo_has_no_public_url_and_its_public_address_is_a_404(api_as, order, client):
    complaint, _shown = order
    (private,) = photos_attach(complaint=complaint, files=[png()], kind=PhotoKind.RESIDENT, public=False)

    rows = {row["key"]: row for row in api_as(STREET).get(_list_url(complaint)).json()}

    assert rows[str(private.key)]["public_url"] is None
    assert client.get(reverse("complaints:public_photo", args=[private.key])).status_code == 404
    assert client.get(reverse("complaints:public_photo_thumb", args=[private.key])).status_code == 404


@pytest.mark.parametrize("who", ["jingshan_handler", "market_handler", "chaoyang_supervisor", "nobody"])
def test_a_unit_not_handling_the_order_can_neither_list_nor_fetch_its_photos(api_as, order, who):
    complaint, photo = order
    api = api_as(who)

    assert api.get(_list_url(complaint)).status_code == 404
    for url in (_file_url(complaint, photo), _file_url(complaint, photo, thumb=True)):
        response = api.get(url, HTTP_ACCEPT="image/*")
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"  # a refusal is JSON whatever was accepted


def test_readers_of_the_order_see_its_photos(api_as, order):
    complaint, photo = order
    for who in ("dongcheng_supervisor", "dispatcher"):
        assert api_as(who).get(_file_url(complaint, photo)).status_code == 200, who


def test_without_a_token_the_photos_are_a_401(api_as, order):
    complaint, photo = order
    assert api_as().get(_list_url(complaint)).status_code == 401
    assert api_as().get(_file_url(complaint, photo)).status_code == 401


def test_another_orders_photo_is_not_reached_through_this_order(api_as, order, submit):
    complaint, _photo = order
    other = submit(region="yinzha")
    (theirs,) = photos_attach(complaint=other, files=[png()], kind=PhotoKind.RESIDENT, public=False)

    assert api_as(STREET).get(_file_url(complaint, theirs)).status_code == 404


# --- resolving with photos ----------------------------------------------------------


@pytest.fixture
def contacted(order, people):
    complaint, _photo = order
    lead = complaint.assignments.get()
    handler = people[STREET]
    assignment_accept(user=handler, assignment_id=lead.pk)
    assignment_record_contact(user=handler, assignment_id=lead.pk, note="已电话联系")
    lead.refresh_from_db()
    return complaint, lead


def _resolve(api, complaint, lead, **extra):
    url = reverse("dispatch_api:order_resolve", args=[complaint.tracking_number])
    return api.post(url, {"reply": "已责令停工", "version": lead.version, **extra}, format="multipart")


def test_resolving_with_photos_stores_them_as_private_reply_photos(api_as, contacted):
    complaint, lead = contacted

    response = _resolve(api_as(STREET), complaint, lead, photos=[jpeg_with_gps(), png()])

    assert response.status_code == 200, response.content
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.RESOLVED
    replies = list(complaint.photos.filter(kind=PhotoKind.REPLY).order_by("slot"))
    assert [(p.slot, p.public, p.uploaded_by.username) for p in replies] == [(1, False, STREET), (2, False, STREET)]
    assert b"PhoneMaker" not in replies[0].file.open("rb").read()


def test_resolving_by_json_still_works(api_as, contacted):
    complaint, lead = contacted
    url = reverse("dispatch_api:order_resolve", args=[complaint.tracking_number])

    response = api_as(STREET).post(url, {"reply": "已处理", "version": lead.version}, format="json")

    assert response.status_code == 200, response.content
    assert complaint.photos.filter(kind=PhotoKind.REPLY).count() == 0


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (lambda: [SimpleUploadedFile("after.jpg", b"GIF89a but not really")], "“after.jpg” is not a photo"),
        (lambda: [bomb()], "has too many pixels"),
        (lambda: [png() for _ in range(5)], "At most 4 photos"),
    ],
)
def test_a_refused_reply_photo_resolves_nothing(api_as, contacted, media, files, message):
    complaint, lead = contacted
    before = stored_files(media)

    response = _resolve(api_as(STREET), complaint, lead, photos=files())

    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()["fields"]["photos"])
    lead.refresh_from_db()
    complaint.refresh_from_db()
    assert lead.status == AssignmentStatus.IN_PROGRESS and complaint.status != ComplaintStatus.RESOLVED
    assert not Photo.objects.filter(kind=PhotoKind.REPLY).exists()
    assert stored_files(media) == before


def test_a_reply_photo_over_the_size_limit_is_a_413(api_as, contacted, settings):
    complaint, lead = contacted
    settings.WHISTLE_PHOTO_MAX_BYTES = 1024
    out = io.BytesIO()
    Image.frombytes("RGB", (64, 64), os.urandom(64 * 64 * 3)).save(out, format="PNG")

    response = _resolve(api_as(STREET), complaint, lead, photos=[SimpleUploadedFile("site.png", out.getvalue())])

    assert response.status_code == 413
    assert response.json()["code"] == "too_large" and "“site.png”" in response.json()["detail"]
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.IN_PROGRESS


@pytest.mark.parametrize(("who", "status"), [("dongcheng_supervisor", 403), ("jingshan_handler", 404)])
def test_those_who_may_not_resolve_cannot_attach_reply_photos(api_as, contacted, who, status):
    complaint, lead = contacted

    response = _resolve(api_as(who), complaint, lead, photos=[png()])

    assert response.status_code == status
    assert not Photo.objects.filter(kind=PhotoKind.REPLY).exists()

"""Photos over Open311: `media` parts on a POST (the GeoReport v2 extension
FixMyStreet and SeeClickFix use) are checked like every upload and filed with the
request in one transaction; `media_url` in an answer is the public copy, and only
when the resident allowed it. A client's own `media_url` is kept and never fetched."""

import io
import os
import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from complaints.models import Complaint, Photo, PhotoKind
from complaints.services.photos import photos_attach
from tests.complaints.open311.conftest import BASE
from tests.complaints.test_photos import GPS_IFD, bomb, jpeg_with_gps, png, stored_files


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.WHISTLE_SITE_URL = "https://12345.example.cn"
    return tmp_path


def _post(open311, fmt: str, fields: dict):
    return open311._answer(open311.http.post(f"{BASE}requests.{fmt}", fields))


def _media_url(open311, complaint, fmt="json"):
    answer = open311.get(f"requests/{complaint.tracking_number}.{fmt}")
    assert answer.status == 200, answer.body
    if fmt == "xml":
        return answer.xml().find("request").findtext("media_url")
    return answer.json()[0]["media_url"]


# --- media_url in answers -------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_media_url_is_the_public_copy_when_the_resident_allowed_it(open311, submit, client, fmt):
    complaint = submit()
    photos_attach(complaint=complaint, files=[png(), png()], kind=PhotoKind.RESIDENT, public=True)
    first = complaint.photos.get(slot=1)

    url = _media_url(open311, complaint, fmt)

    assert url == "https://12345.example.cn" + reverse("complaints:public_photo", args=[first.key])
    assert client.get(url.removeprefix("https://12345.example.cn"))["Content-Type"] == "image/png"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_private_photo_is_never_a_media_url(open311, submit, fmt):
    complaint = submit()
    photos_attach(complaint=complaint, files=[png()], kind=PhotoKind.RESIDENT, public=False)
    photos_attach(complaint=complaint, files=[png()], kind=PhotoKind.REPLY, public=True)

    assert _media_url(open311, complaint, fmt) in (None, "")


def test_the_request_list_reads_media_urls_in_one_query(open311, submit, django_assert_max_num_queries):
    for _ in range(3):
        photos_attach(complaint=submit(), files=[png()], kind=PhotoKind.RESIDENT, public=True)
    open311.get("requests.json")  # warm the caches a first answer fills

    with django_assert_max_num_queries(6):
        answer = open311.get("requests.json")

    assert answer.status == 200
    assert all(row["media_url"].startswith("https://12345.example.cn/") for row in answer.json())


# --- media on a POST --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_post_with_media_files_the_photo_without_its_gps(open311, client_key, filing, fmt):
    answer = _post(open311, fmt, {"api_key": client_key[1], **filing, "media": jpeg_with_gps()})

    assert answer.status == 200, answer.body
    complaint = Complaint.objects.get()
    photo = complaint.photos.get()
    assert (photo.kind, photo.slot, photo.public) == (PhotoKind.RESIDENT, 1, False)
    data = photo.file.open("rb").read()
    assert b"PhoneMaker" not in data and not Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)
    # Not public unless the resident says so: no media_url.
    assert _media_url(open311, complaint) is None


def test_media_public_lets_the_photo_be_the_media_url(open311, client_key, filing):
    answer = _post(open311, "json", {"api_key": client_key[1], **filing, "media": png(), "media_public": "true"})

    assert answer.status == 200, answer.body
    complaint = Complaint.objects.get()
    assert complaint.photos.get().public is True
    assert _media_url(open311, complaint).startswith("https://12345.example.cn/photos/")


def test_a_multipart_post_without_media_files_like_a_form_post(open311, client_key, filing):
    answer = _post(open311, "json", {"api_key": client_key[1], **filing})

    assert answer.status == 200, answer.body
    assert Complaint.objects.count() == 1 and not Photo.objects.exists()


BAD_MEDIA = [
    (lambda: SimpleUploadedFile("pothole.jpg", b"%PDF-1.4 not a photo"), "media: “pothole.jpg” is not a photo"),
    (lambda: bomb(), "has too many pixels"),
    (lambda: [png(name=f"{n}.png") for n in range(5)], "media: at most 4 photos"),
]


@pytest.mark.parametrize(("upload", "fragment"), BAD_MEDIA)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_media_is_a_400_that_files_nothing(open311, client_key, filing, media, upload, fragment, fmt):
    answer = _post(open311, fmt, {"api_key": client_key[1], **filing, "media": upload()})

    assert answer.status == 400, answer.body
    assert any(code == 400 and fragment in text for code, text in answer.errors(fmt)), answer.errors(fmt)
    assert not Complaint.objects.exists() and not Photo.objects.exists()
    assert stored_files(media) == []


def test_media_over_the_size_limit_is_a_413(open311, client_key, filing, settings):
    settings.WHISTLE_PHOTO_MAX_BYTES = 1024
    out = io.BytesIO()
    Image.frombytes("RGB", (64, 64), os.urandom(64 * 64 * 3)).save(out, format="PNG")

    answer = _post(
        open311, "json", {"api_key": client_key[1], **filing, "media": SimpleUploadedFile("big.png", out.getvalue())}
    )

    assert answer.status == 413
    assert "“big.png” is too large" in answer.errors("json")[0][1]
    assert not Complaint.objects.exists()


def test_a_bad_media_public_flag_is_named(open311, client_key, filing):
    answer = _post(open311, "json", {"api_key": client_key[1], **filing, "media_public": "perhaps"})

    assert answer.status == 400
    assert any("media_public" in text for _code, text in answer.errors("json"))
    assert not Complaint.objects.exists()


def test_without_an_api_key_media_is_refused_with_the_request(open311, filing):
    answer = _post(open311, "json", {**filing, "media": png()})

    assert answer.status == 403
    assert not Photo.objects.exists()


def test_a_media_url_is_kept_and_never_fetched(open311, client_key, filing, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the server must never fetch a client's media_url")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)

    answer = open311.post(
        "requests.json", {"api_key": client_key[1], **filing, "media_url": "http://169.254.169.254/latest/x.jpg"}
    )

    assert answer.status == 200, answer.body
    complaint = Complaint.objects.get()
    assert complaint.open311.media_url == "http://169.254.169.254/latest/x.jpg"
    assert not Photo.objects.exists()
    # What the client named is not echoed as ours: media_url shows only our public copy.
    assert _media_url(open311, complaint) is None

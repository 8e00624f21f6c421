"""Photos: checked by content, re-encoded without EXIF, limited in size, pixels and
number, all or nothing; thumbnails made after commit."""

import io
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from complaints.models import Complaint, Photo, PhotoKind
from complaints.services.photos import photos_attach

GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()]


def jpeg_with_gps(name="street.jpg", size=(64, 48)) -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0112] = 6  # rotated: the stored copy must come out upright
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2], gps[3], gps[4] = "N", (39.0, 54.0, 27.0), "E", (116.0, 23.0, 50.0)
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png(name="a.png", size=(20, 10), mode="RGBA") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new(mode, size, (0, 0, 255, 128) if mode == "RGBA" else (0, 0, 255)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def attach(complaint, *files, kind=PhotoKind.RESIDENT, public=False):
    return photos_attach(complaint=complaint, files=list(files), kind=kind, public=public)


def test_a_jpeg_with_gps_tags_is_stored_upright_with_no_exif_at_all(submit, django_capture_on_commit_callbacks):
    complaint = submit()
    upload = jpeg_with_gps()
    assert Image.open(io.BytesIO(upload.read())).getexif().get_ifd(GPS_IFD)  # the tags really are there
    upload.seek(0)
    with django_capture_on_commit_callbacks(execute=True):
        (photo,) = attach(complaint, upload)
    photo.refresh_from_db()
    data = photo.file.open("rb").read()
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "JPEG" and photo.content_type == "image/jpeg"
    assert len(stored.getexif()) == 0
    assert b"Exif" not in data and b"PhoneMaker" not in data
    # Orientation 6 applied: 64×48 became 48×64.
    assert (stored.size, photo.width, photo.height) == ((48, 64), 48, 64)
    assert photo.thumbnail and Image.open(photo.thumbnail.open("rb")).getexif() == {}


def test_a_png_with_transparency_stays_png(submit):
    (photo,) = attach(submit(), png())
    assert photo.content_type == "image/png"
    assert Image.open(photo.file.open("rb")).mode == "RGBA"


def test_thumbnails_are_made_by_the_task_after_commit_and_only_once(submit, django_capture_on_commit_callbacks):
    from complaints.tasks import make_photo_thumbnails

    complaint = submit()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (photo,) = attach(complaint, png(size=(1000, 500), mode="RGB"))
    photo.refresh_from_db()
    assert not photo.thumbnail and len(callbacks) == 1
    callbacks[0]()
    photo.refresh_from_db()
    assert max(Image.open(photo.thumbnail.open("rb")).size) == 320
    assert make_photo_thumbnails(photo_ids=[photo.pk]) == 0


def test_too_large_images_are_shrunk_to_the_stored_side(submit, settings):
    settings.WHISTLE_PHOTO_MAX_SIDE = 100
    (photo,) = attach(submit(), png(size=(400, 200), mode="RGB"))
    assert (photo.width, photo.height) == (100, 50)


def bomb() -> SimpleUploadedFile:
    # A real PNG, 1 bit per pixel, 20000×20000 = 400 Mpx, compressing to a few KB.
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, format="PNG", optimize=True)
    return SimpleUploadedFile("bomb.png", out.getvalue(), content_type="image/png")


REFUSALS = [
    (
        lambda: [SimpleUploadedFile("photo.jpg", b"just some text, not an image", content_type="image/jpeg")],
        "is not a photo we can read",
    ),
    (lambda: [SimpleUploadedFile("empty.jpg", b"", content_type="image/jpeg")], "is not a photo we can read"),
    (
        lambda: [SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (8 * 1024 * 1024), content_type="image/jpeg")],
        "is too large",
    ),
    (lambda: [bomb()], "has too many pixels"),
    (lambda: [png(name=f"{n}.png") for n in range(5)], "At most 4 photos"),
    (
        lambda: [png(), SimpleUploadedFile("notes.png", b"<svg/>", content_type="image/png")],
        "“notes.png” is not a photo",
    ),
]


@pytest.mark.parametrize(("files", "message"), REFUSALS)
def test_each_refusal_says_why_and_stores_nothing(submit, media, files, message):
    complaint = submit()
    with pytest.raises(ValidationError) as error:
        attach(complaint, *files())
    assert message in " ".join(error.value.message_dict["photos"])
    assert not Photo.objects.exists()
    assert stored_files(media) == []


def test_a_fifth_photo_is_refused_and_the_first_four_stay(submit, media):
    complaint = submit()
    attach(complaint, png(), png(), png())
    attach(complaint, png())
    with pytest.raises(ValidationError, match="already has 4 photos"):
        attach(complaint, png())
    assert complaint.photos.count() == 4 and len(stored_files(media)) >= 4
    # Reply photos have their own four.
    assert len(attach(complaint, png(), kind=PhotoKind.REPLY)) == 1


def test_reply_photos_are_never_public(submit):
    (photo,) = attach(submit(), png(), kind=PhotoKind.REPLY, public=True)
    assert photo.public is False


@pytest.fixture
def form_data(beijing, categories, rules):
    return {
        "category": str(categories["noise_construction"].pk),
        "district": "110101",
        "street": "110101001",
        "community": "110101001001",
        "address": "东华门大街 1 号",
        "description": "凌晨两点还在施工，噪声很大",
        "resident_name": "张三",
        "resident_phone": "13800138000",
        "submission_token": str(uuid.uuid4()),
    }


def test_the_web_form_files_the_complaint_with_its_photos(client, form_data, units, django_capture_on_commit_callbacks):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert 'enctype="multipart/form-data"' in client.get(reverse("complaints:file")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("complaints:file"), {**form_data, "photos": [jpeg_with_gps(), png()], "photos_public": "on"}
        )
    assert response.status_code == 303
    complaint = Complaint.objects.get()
    assert list(complaint.photos.values_list("kind", "slot", "public")) == [
        ("resident", 1, True),
        ("resident", 2, True),
    ]
    # The tracking page shows the thumbnails and serves them to this browser.
    html = client.get(complaint.get_absolute_url()).content.decode()
    photo = complaint.photos.first()
    thumb = reverse("complaints:photo_thumb", args=[complaint.tracking_number, photo.key])
    assert thumb in html
    assert client.get(thumb)["Content-Type"] == "image/jpeg"


def test_a_bad_photo_on_the_web_form_files_nothing(client, form_data, media, django_capture_on_commit_callbacks):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    fake = SimpleUploadedFile("cat.jpg", b"MZ not an image", content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("complaints:file"), {**form_data, "photos": [png(), fake]})
    assert response.status_code == 200
    assert "“cat.jpg” is not a photo we can read" in response.content.decode()
    assert not Complaint.objects.exists() and not Photo.objects.exists()
    assert stored_files(media) == []


def test_resident_and_public_photo_access(client, submit):
    complaint = submit()
    (private,) = attach(complaint, png())
    other = submit()
    (shown,) = attach(other, png(), public=True)
    photo_url = reverse("complaints:photo", args=[complaint.tracking_number, private.key])
    assert client.get(photo_url).status_code == 404  # no grant
    client.post(reverse("complaints:track"), {"tracking_number": complaint.tracking_number, "phone_last4": "8000"})
    assert client.get(photo_url).status_code == 200
    # A grant for one complaint does not reach another's photo by its key.
    assert client.get(reverse("complaints:photo", args=[complaint.tracking_number, shown.key])).status_code == 404
    assert client.get(reverse("complaints:public_photo", args=[private.key])).status_code == 404
    assert client.get(reverse("complaints:public_photo", args=[shown.key])).status_code == 200

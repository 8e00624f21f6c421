"""Filing over the API with photos (multipart): stored re-encoded without EXIF, in
one transaction with the complaint, so every refusal files nothing at all."""

import io
import json
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from complaints.models import Complaint, Photo
from tests.complaints.test_photos import GPS_IFD, bomb, jpeg_with_gps, png, stored_files

URL = reverse("complaints_api:file")


def noisy_png(name: str, side: int = 64) -> SimpleUploadedFile:
    """Random pixels: a PNG that does not compress, so its size is real."""
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def form(beijing, categories, rules, questions):
    def _form(**overrides):
        data = {
            "category": str(categories["noise_construction"].pk),
            "region": "110101001001",
            "address": "东华门大街 1 号",
            "description": "凌晨两点还在施工，噪声很大",
            "resident_name": "张三",
            "resident_phone": "13800138000",
            "answers": json.dumps({"noise_time": "night"}),
        }
        data.update(overrides)
        return data

    return _form


def _post(api, data, **headers):
    return api.post(URL, data, format="multipart", **headers)


def test_a_complaint_is_filed_with_its_photos_stripped_of_gps(api, form, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(api, form(photos=[jpeg_with_gps(), png()], photos_public="true"))

    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get(tracking_number=response.json()["tracking_number"])
    assert complaint.answers == {"noise_time": "night"}
    photos = list(complaint.photos.order_by("slot"))
    assert [(p.kind, p.slot, p.public, p.uploaded_by) for p in photos] == [
        ("resident", 1, True, None),
        ("resident", 2, True, None),
    ]
    data = photos[0].file.open("rb").read()
    assert b"PhoneMaker" not in data and not Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)
    assert all(p.thumbnail for p in Photo.objects.all())  # made by the task after commit


def test_photos_are_private_unless_the_resident_allows_it(api, form):
    response = _post(api, form(photos=[png()]))

    assert response.status_code == 201, response.content
    assert list(Photo.objects.values_list("public", flat=True)) == [False]


def test_a_multipart_filing_without_photos_works_like_json(api, form):
    response = _post(api, form())

    assert response.status_code == 201, response.content
    assert Complaint.objects.count() == 1 and not Photo.objects.exists()


BAD_PHOTOS = [
    (lambda: [SimpleUploadedFile("street.jpg", b"#!/bin/sh\nrm -rf /", content_type="image/jpeg")], "is not a photo"),
    (lambda: [bomb()], "has too many pixels"),
    (lambda: [png(name=f"{n}.png") for n in range(5)], "At most 4 photos"),
    (lambda: [png(), SimpleUploadedFile("drawing.png", b"<svg onload=alert(1)/>")], "“drawing.png” is not a photo"),
]


@pytest.mark.parametrize(("files", "message"), BAD_PHOTOS)
def test_a_refused_photo_files_nothing_and_says_why(api, form, media, files, message):
    response = _post(api, form(photos=files()))

    assert response.status_code == 400, response.content
    payload = response.json()
    assert payload["code"] == "invalid"
    assert message in " ".join(payload["fields"]["photos"])
    assert not Complaint.objects.exists() and not Photo.objects.exists()
    assert stored_files(media) == []


def test_a_photo_over_the_size_limit_is_a_413_and_files_nothing(api, form, media, settings):
    settings.WHISTLE_PHOTO_MAX_BYTES = 1024
    big = noisy_png("huge.png")
    assert big.size > 1024

    response = _post(api, form(photos=[big]))

    assert response.status_code == 413, response.content
    assert response.json()["code"] == "too_large"
    assert "“huge.png” is too large" in response.json()["detail"]
    assert not Complaint.objects.exists() and stored_files(media) == []


def test_a_body_larger_than_four_photos_is_refused_before_it_is_read(api, form, settings):
    settings.WHISTLE_PHOTO_MAX_BYTES = 100
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = _post(api, form(description="噪" * 2000))

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not Complaint.objects.exists()


def test_form_mistakes_and_photo_refusals_are_reported_together(api, form):
    fake = SimpleUploadedFile("cat.jpg", b"MZ not an image")

    response = _post(api, form(resident_phone="12", photos=[fake]))

    assert response.status_code == 400
    assert {"resident_phone", "photos"} <= set(response.json()["fields"])
    assert not Complaint.objects.exists()


def test_a_file_under_another_name_is_refused_not_dropped(api, form):
    response = _post(api, form(photo=png()))

    assert response.status_code == 400
    assert "photo" in response.json()["fields"]
    assert not Complaint.objects.exists()


def test_answers_that_are_not_json_are_a_field_error(api, form):
    response = _post(api, form(answers="{noise_time: night"))

    assert response.status_code == 400
    assert "answers" in response.json()["fields"]


def test_an_idempotent_retry_attaches_no_second_set_of_photos(api, form):
    first = _post(api, form(photos=[png(), png()]), HTTP_IDEMPOTENCY_KEY="app-1")
    again = _post(api, form(photos=[png(), png(), png()]), HTTP_IDEMPOTENCY_KEY="app-1")

    assert (first.status_code, again.status_code) == (201, 200)
    assert Complaint.objects.count() == 1 and Photo.objects.count() == 2


def test_a_nul_character_in_a_multipart_field_is_refused(api, form):
    response = _post(api, form(address="东华门\x00大街"))

    assert response.status_code == 400
    assert "address" in response.json()["fields"]
    assert not Complaint.objects.exists()

"""An order's photos on the desk: seen by whoever reaches the order, 404 for anyone else;
the reply's photos come in with the resolve action, all or nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from complaints.models import PhotoKind
from complaints.services.photos import photos_attach
from dispatch.services.assignments import assignment_accept, assignment_record_contact


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png(name="a.png"):
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def photo(submit):
    complaint = submit()
    (photo,) = photos_attach(complaint=complaint, files=[png()], kind=PhotoKind.RESIDENT, public=False)
    return complaint, photo


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("donghuamen_handler", 200),
        ("dispatcher", 200),
        ("dongcheng_supervisor", 200),
        ("jingshan_handler", 404),
        ("chaoyang_supervisor", 404),
        ("nobody", 404),
    ],
)
def test_who_sees_an_orders_photo(client, people, photo, who, status):
    complaint, p = photo
    client.force_login(people[who])
    assert client.get(reverse("dispatch:order_photo", args=[complaint.tracking_number, p.key])).status_code == status


def test_anonymous_is_sent_to_log_in(client, photo):
    complaint, p = photo
    response = client.get(reverse("dispatch:order_photo_thumb", args=[complaint.tracking_number, p.key]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_order_page_shows_the_thumbnails(client, people, photo):
    complaint, p = photo
    client.force_login(people["donghuamen_handler"])
    html = client.get(reverse("dispatch:order", args=[complaint.tracking_number])).content.decode()
    assert reverse("dispatch:order_photo_thumb", args=[complaint.tracking_number, p.key]) in html


def _ready_to_resolve(complaint, user):
    assignment = complaint.assignments.get()
    assignment_accept(user=user, assignment_id=assignment.pk)
    assignment_record_contact(user=user, assignment_id=assignment.pk, note="打过电话")
    assignment.refresh_from_db()
    return assignment


def test_resolve_with_after_photos(client, people, submit, django_capture_on_commit_callbacks):
    complaint = submit()
    assignment = _ready_to_resolve(complaint, people["donghuamen_handler"])
    client.force_login(people["donghuamen_handler"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("dispatch:resolve", args=[complaint.tracking_number]),
            {"reply": "已处理", "version": assignment.version, "photos": [png()]},
        )
    complaint.refresh_from_db()
    assert complaint.status == "resolved"
    photo = complaint.photos.get()
    assert (photo.kind, photo.uploaded_by, photo.public) == ("reply", people["donghuamen_handler"], False)
    assert photo.thumbnail


def test_a_bad_after_photo_resolves_nothing(client, people, submit, tmp_path):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    complaint = submit()
    assignment = _ready_to_resolve(complaint, people["donghuamen_handler"])
    client.force_login(people["donghuamen_handler"])
    fake = SimpleUploadedFile("after.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(
        reverse("dispatch:resolve", args=[complaint.tracking_number]),
        {"reply": "已处理", "version": assignment.version, "photos": [fake]},
        follow=True,
    )
    assert "“after.jpg” is not a photo we can read" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == "in_progress" and not complaint.photos.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []

"""Photos in the admin: read-only thumbnails on the complaint and a filtered list,
served by the admin itself to those who may view photos, and one change allowed:
taking a photo off public pages."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from complaints.models import PhotoKind
from complaints.services.photos import photos_attach
from tests.complaints.test_photos import jpeg_with_gps, png
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def admin_client(client, db):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def photos(submit):
    complaint = submit()
    (resident,) = photos_attach(complaint=complaint, files=[jpeg_with_gps()], kind=PhotoKind.RESIDENT, public=True)
    (reply,) = photos_attach(complaint=complaint, files=[png()], kind=PhotoKind.REPLY, public=False)
    return complaint, resident, reply


def test_the_complaint_page_shows_its_photos_as_thumbnails_without_exif(admin_client, photos):
    complaint, resident, reply = photos

    html = admin_client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk])).content.decode()

    for photo in (resident, reply):
        assert reverse("admin:complaints_photo_thumb", args=[photo.key]) in html
    assert "PhoneMaker" not in html and "GPS" not in html
    assert resident.file.name not in html  # the stored path is never shown
    assert admin_client.get(reverse("admin:complaints_photo_thumb", args=[resident.key]))["Content-Type"] == (
        "image/jpeg"
    )


def test_the_photo_list_filters_by_kind_and_consent(admin_client, photos):
    complaint, resident, reply = photos
    url = reverse("admin:complaints_photo_changelist")

    replies = admin_client.get(url, {"kind__exact": "reply"}).content.decode()
    shown = admin_client.get(url, {"public__exact": "1"}).content.decode()

    assert reverse("admin:complaints_photo_thumb", args=[reply.key]) in replies
    assert reverse("admin:complaints_photo_thumb", args=[resident.key]) not in replies
    assert reverse("admin:complaints_photo_thumb", args=[resident.key]) in shown
    assert admin_client.get(url, {"q": complaint.tracking_number}).status_code == 200


def test_an_administrator_takes_a_photo_off_public_pages(admin_client, photos, client):
    _complaint, resident, _reply = photos

    response = admin_client.post(
        reverse("admin:complaints_photo_changelist"),
        {"action": "hide_from_public", "_selected_action": [resident.pk]},
        follow=True,
    )

    assert "1 photo taken off public pages." in response.content.decode()
    resident.refresh_from_db()
    assert resident.public is False
    assert client.get(reverse("complaints:public_photo", args=[resident.key])).status_code == 404


def test_staff_without_the_photo_permission_cannot_fetch_photos(client, photos):
    _complaint, resident, _reply = photos
    clerk = UserFactory(username="clerk", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_complaint"))
    client.force_login(clerk)

    assert client.get(reverse("admin:complaints_photo_image", args=[resident.key])).status_code == 404
    assert client.get(reverse("admin:complaints_photo_changelist")).status_code == 403


def test_photos_cannot_be_added_or_edited_in_the_admin(admin_client, photos):
    _complaint, resident, _reply = photos

    assert admin_client.get(reverse("admin:complaints_photo_add")).status_code == 403
    admin_client.post(reverse("admin:complaints_photo_change", args=[resident.pk]), {"public": ""})
    resident.refresh_from_db()
    assert resident.public is True

"""The resident's photos over the API: proven like tracking (a wrong last four is
the same 404 as an unknown number), listed with signed links that expire and
cannot be made up or altered."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from complaints.api.photo_links import LINK_SECONDS
from complaints.models import PhotoKind
from complaints.services.photos import photos_attach
from tests.complaints.test_photos import png

URL = reverse("complaints_api:photos")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def filed(submit):
    complaint = submit()
    (mine,) = photos_attach(complaint=complaint, files=[png(size=(30, 20))], kind=PhotoKind.RESIDENT, public=False)
    (reply,) = photos_attach(complaint=complaint, files=[png()], kind=PhotoKind.REPLY, public=False)
    return complaint, mine, reply


def _proof(complaint, last4="8000"):
    return {"tracking_number": complaint.tracking_number, "phone_last4": last4}


def _image(response):
    assert response.status_code == 200, getattr(response, "content", b"")
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


def test_the_resident_lists_their_photos_and_the_replys_and_fetches_them(api, filed):
    complaint, mine, reply = filed

    response = api.post(URL, _proof(complaint), format="json")

    assert response.status_code == 200, response.content
    rows = response.json()
    assert [(row["key"], row["kind"]) for row in rows] == [(str(mine.key), "resident"), (str(reply.key), "reply")]
    assert rows[0]["public_url"] is None  # private: no public copy to name
    assert "8000" not in rows[0]["url"] and complaint.tracking_number not in rows[0]["url"]
    assert _image(api.get(rows[0]["url"], HTTP_ACCEPT="image/*")).size == (30, 20)
    assert _image(api.get(rows[0]["thumbnail_url"])).size == (30, 20)


@pytest.mark.parametrize("last4", ["0000", "8001"])
def test_a_wrong_last_four_is_a_404_like_an_unknown_number(api, filed, last4):
    complaint, _mine, _reply = filed

    wrong = api.post(URL, _proof(complaint, last4), format="json")
    unknown = api.post(URL, {"tracking_number": "2099010100000000", "phone_last4": "8000"}, format="json")

    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json() == {"code": "not_found", "detail": "Not found."}


def test_a_malformed_proof_is_a_400(api, filed):
    response = api.post(URL, {"tracking_number": filed[0].tracking_number, "phone_last4": "80"}, format="json")

    assert response.status_code == 400 and "phone_last4" in response.json()["fields"]


def test_an_altered_or_made_up_link_is_a_404(api, filed):
    complaint, mine, _reply = filed
    url = api.post(URL, _proof(complaint), format="json").json()[0]["url"]
    link = url.rstrip("/").rsplit("/", 1)[1]
    forged = reverse("complaints_api:photo_file", args=[link[:-2] + ("AA" if link[-2:] != "AA" else "BB")])

    for path in (forged, reverse("complaints_api:photo_file", args=[str(mine.key)])):
        response = api.get(path, HTTP_ACCEPT="image/*")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_a_link_goes_stale_after_its_time(api, filed):
    complaint, _mine, _reply = filed
    url = api.post(URL, _proof(complaint), format="json").json()[0]["url"]

    with time_machine.travel(timezone.now() + timedelta(seconds=LINK_SECONDS + 5)):
        assert api.get(url).status_code == 404


def test_the_tracking_views_photos_field_lists_them_in_order_with_site_links(filed, settings):
    from rest_framework import serializers

    from complaints.api.photo_links import ComplaintPhotosField

    class Tracked(serializers.Serializer):
        photos = ComplaintPhotosField(source="complaint")

    complaint, mine, reply = filed
    settings.WHISTLE_SITE_URL = "https://12345.example.cn"

    rows = Tracked({"complaint": complaint}).data["photos"]

    assert [row["key"] for row in rows] == [str(mine.key), str(reply.key)]
    assert rows[0]["url"].startswith("https://12345.example.cn/api/v1/complaints/photos/")

"""A NUL character never reaches a query: every door answers 400 in its own shape."""

import pytest
from django.test import Client

from complaints.models import Complaint


@pytest.mark.parametrize(
    "url",
    [
        "/places/%00/children.json",
        "/desk/orders/%00/",
        "/desk/units/search.json?q=%00",
        "/track/?tracking_number=%00",
    ],
)
def test_a_nul_in_a_page_url_is_a_400_page(db, url):
    response = Client().get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_in_a_form_body_is_refused_and_files_nothing(db, beijing, categories):
    response = Client().post("/file/", {"district": "\x00", "refresh_places": "1"})
    assert response.status_code == 400
    assert Complaint.objects.count() == 0


def test_a_nul_in_an_api_path_or_json_body_answers_the_api_error_shape(db):
    response = Client().get("/api/v1/orders/%00/")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    response = Client().post("/api/v1/complaints/", '{"description": "a\\u0000b"}', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_nul_in_open311_answers_its_error_list_in_the_format_asked_for(db):
    xml = Client().get("/open311/v2/requests/%00.xml")
    assert xml.status_code == 400
    assert xml.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>400</code>')
    listing = Client().get("/open311/v2/requests.json?service_code=%00")
    assert listing.status_code == 400
    assert listing.json()[0]["code"] == 400

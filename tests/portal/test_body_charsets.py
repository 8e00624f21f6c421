"""A body declared in anything but UTF-8 is refused with a 400 in the caller's shape,
before any view or error handler tries to decode it."""

import pytest

from complaints.models import Complaint

FOREIGN = [
    "application/x-www-form-urlencoded; charset=gbk",
    "application/x-www-form-urlencoded; charset=x-no-such-codec",
    'multipart/form-data; charset="GB18030"; boundary=xx',
    "application/json; charset=latin-1",
]


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", FOREIGN)
def test_a_form_body_in_a_foreign_charset_gets_the_portal_s_400_page_and_files_nothing(client, content_type):
    response = client.generic("POST", "/file/", "description=噪音".encode("gbk"), content_type=content_type)
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    assert Complaint.objects.count() == 0


@pytest.mark.django_db
def test_the_api_refuses_a_foreign_charset_in_its_error_shape(client):
    response = client.generic("POST", "/api/v1/complaints/", b"{}", content_type="application/json; charset=gbk")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_charset"


@pytest.mark.django_db
def test_open311_refuses_a_foreign_charset_as_an_open311_error_list(client):
    response = client.generic(
        "POST",
        "/open311/v2/requests.json",
        b"service_code=x",
        content_type="application/x-www-form-urlencoded; charset=big5",
    )
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


@pytest.mark.django_db
@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", '"utf-8"'])
def test_utf8_bodies_pass_through(client, charset):
    response = client.generic(
        "POST", "/file/", b"description=x", content_type=f"application/x-www-form-urlencoded; charset={charset}"
    )
    assert response.status_code == 200  # the form, redrawn with its errors


def test_a_get_is_never_refused_for_its_content_type(client):
    response = client.generic("GET", "/", content_type="text/plain; charset=gbk")
    assert response.status_code == 200

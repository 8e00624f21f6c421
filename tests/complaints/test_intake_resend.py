"""A filled-in form sent again (Back, then Send; a double click; a reload) is
answered with the complaint it filed, never a second one; a redrawn form keeps
its token so that this holds after every redraw."""

import re
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint, ComplaintEvent

FILE_URL = reverse("complaints:file")
ALREADY = "You had sent this form already. Nothing new was filed: this is your complaint."


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _token_in(html: str) -> str:
    return re.search(r'name="submission_token" value="([^"]+)"', html).group(1)


def _file(client, data, capture):
    with capture(execute=True):
        return client.post(FILE_URL, data)


def test_sending_the_same_form_twice_files_one_complaint_and_answers_with_the_first(
    client, form_data, django_capture_on_commit_callbacks
):
    data = form_data()
    first = _file(client, data, django_capture_on_commit_callbacks)
    second = _file(client, data, django_capture_on_commit_callbacks)

    complaint = Complaint.objects.get()
    filed_url = reverse("complaints:filed", args=[complaint.tracking_number])
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"] == filed_url
    assert ComplaintEvent.objects.filter(complaint=complaint, kind="submitted").count() == 1
    page = client.get(second["Location"]).content.decode()
    assert ALREADY in page
    assert complaint.tracking_number in page


def test_a_resend_after_back_is_the_first_complaint_even_when_the_restored_form_no_longer_validates(
    client, form_data, django_capture_on_commit_callbacks
):
    # After Back the browser restores what it can: not the photos, not the drawn
    # questions, sometimes not the lists. The form has done its job; no error page.
    data = form_data()
    _file(client, data, django_capture_on_commit_callbacks)
    restored = {**data, "street": "", "community": "", "description": ""}

    response = _file(client, restored, django_capture_on_commit_callbacks)

    complaint = Complaint.objects.get()
    assert response.status_code == 303
    assert response["Location"] == reverse("complaints:filed", args=[complaint.tracking_number])
    assert complaint.description == "凌晨两点还在施工，噪声很大"


def test_a_resend_with_other_words_changes_nothing_in_the_first_complaint(
    client, form_data, django_capture_on_commit_callbacks
):
    data = form_data()
    _file(client, data, django_capture_on_commit_callbacks)

    _file(
        client, {**data, "description": "别的事", "resident_phone": "13912345678"}, django_capture_on_commit_callbacks
    )

    complaint = Complaint.objects.get()
    assert complaint.description == "凌晨两点还在施工，噪声很大"
    assert complaint.resident_phone == "13800138000"


def test_a_resend_from_another_browser_with_the_token_shows_that_browser_its_complaint(
    client, form_data, django_capture_on_commit_callbacks
):
    # The token is a random UUID only the browser that drew the form has seen;
    # whoever holds it sent that form (a browser that lost its session cookie).
    data = form_data()
    _file(client, data, django_capture_on_commit_callbacks)
    other = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = _file(other, data, django_capture_on_commit_callbacks)

    assert Complaint.objects.count() == 1
    assert other.get(response["Location"]).status_code == 200


def test_a_new_complaint_from_the_same_browser_is_filed(client, form_data, django_capture_on_commit_callbacks):
    _file(client, form_data(), django_capture_on_commit_callbacks)
    _file(client, form_data(description="小区门口垃圾三天没人清运"), django_capture_on_commit_callbacks)

    assert Complaint.objects.count() == 2


def test_without_javascript_back_then_send_files_nothing_new(client, form_data, django_capture_on_commit_callbacks):
    """Without JavaScript, Back fetches a fresh form with a fresh token; the same
    content sent again from this browser within minutes is the same complaint."""
    first = _file(client, form_data(), django_capture_on_commit_callbacks)
    again = _file(client, form_data(), django_capture_on_commit_callbacks)

    assert Complaint.objects.count() == 1
    assert again["Location"] == first["Location"]
    assert "You had sent this form already" in client.get(again["Location"]).content.decode()


def test_the_same_content_from_another_browser_or_later_is_a_new_complaint(
    client, form_data, django_capture_on_commit_callbacks
):
    import time_machine
    from django.utils import timezone

    _file(client, form_data(), django_capture_on_commit_callbacks)
    _file(Client(HTTP_ACCEPT_LANGUAGE="en"), form_data(), django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        _file(client, form_data(), django_capture_on_commit_callbacks)

    assert Complaint.objects.count() == 3


@pytest.mark.parametrize(
    "token",
    ["", "not-a-uuid", "0" * 5000, "5D285DD3-44DE-47FD-B540-D16BEA4A30C0"],
    ids=["empty", "text", "long", "upper"],
)
def test_an_unknown_or_broken_token_is_never_taken_for_a_resend(
    client, form_data, token, django_capture_on_commit_callbacks
):
    response = _file(client, form_data(submission_token=token, description=""), django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert Complaint.objects.count() == 0
    assert "Describe the problem." in response.content.decode()


def test_a_redraw_with_errors_keeps_the_token_and_the_corrected_form_files_once(
    client, form_data, django_capture_on_commit_callbacks
):
    data = form_data(description="")
    redrawn = client.post(FILE_URL, data).content.decode()
    assert _token_in(redrawn) == data["submission_token"]

    fixed = {**data, "description": "凌晨两点还在施工"}
    _file(client, fixed, django_capture_on_commit_callbacks)
    _file(client, fixed, django_capture_on_commit_callbacks)

    assert Complaint.objects.get().submission_token == uuid.UUID(data["submission_token"])


def test_updating_the_places_keeps_the_token(client, form_data):
    data = form_data(street="", community="", refresh_places="1")

    html = client.post(FILE_URL, data).content.decode()

    assert _token_in(html) == data["submission_token"]
    assert Complaint.objects.count() == 0


def test_a_fresh_visit_gets_a_fresh_token(client, beijing, categories):
    first = _token_in(client.get(FILE_URL).content.decode())
    second = _token_in(client.get(FILE_URL).content.decode())

    assert uuid.UUID(first) and uuid.UUID(second)
    assert first != second

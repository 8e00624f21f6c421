"""The tracking grant is a signed cookie: filing or proving a complaint writes no
session row, and only a cookie this portal signed for this purpose opens a page."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import signing
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from complaints.views.grants import (
    COOKIE_NAME,
    MAX_GRANTS,
    SESSION_KEY,
    grant,
    granted_numbers,
    signed_grants,
)


@pytest.fixture
def client():
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def complaint(submit):
    return submit(description="凌晨两点还在施工，噪声很大")


def _detail(client, complaint):
    return client.get(reverse("complaints:track_detail", args=[complaint.tracking_number]))


def _cookie_request(value: str):
    request = RequestFactory().get("/")
    request.COOKIES[COOKIE_NAME] = value
    return request


def test_filing_grants_by_a_signed_cookie_and_writes_no_session(client, form_data):
    response = client.post(reverse("complaints:file"), form_data())

    assert response.status_code == 303
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert not cookie["secure"]
    assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0
    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200


def test_the_cookie_is_secure_when_the_session_cookie_is(client, form_data, settings):
    settings.SESSION_COOKIE_SECURE = True

    response = client.post(reverse("complaints:file"), form_data())

    assert response.cookies[COOKIE_NAME]["secure"] is True


def test_proving_the_number_grants_it_too(client, complaint):
    response = client.post(
        reverse("complaints:track"), {"tracking_number": complaint.tracking_number, "phone_last4": "8000"}
    )

    assert response.status_code == 303
    assert COOKIE_NAME in response.cookies
    assert Session.objects.count() == 0
    assert _detail(client, complaint).status_code == 200


def test_grants_are_newest_first_and_at_most_max_grants():
    numbers = [f"2026120100{n:06d}" for n in range(MAX_GRANTS + 3)]
    request = RequestFactory().get("/")
    for number in numbers:
        response = HttpResponse()
        grant(request=request, response=response, tracking_number=number)
        request = _cookie_request(response.cookies[COOKIE_NAME].value)
    # Granting one already held moves it to the front, not in twice.
    response = HttpResponse()
    grant(request=request, response=response, tracking_number=numbers[-5])

    held = granted_numbers(request=_cookie_request(response.cookies[COOKIE_NAME].value))

    assert held[0] == numbers[-5]
    assert len(held) == MAX_GRANTS
    assert held[1:5] == numbers[-1:-5:-1]
    assert numbers[0] not in held


def test_a_tampered_cookie_grants_nothing(client, complaint):
    value = signed_grants(numbers=[complaint.tracking_number])
    payload, signature = value.rsplit(":", 1)
    # The same numbers with the signature altered, then a payload altered under the old signature.
    for tampered in (f"{payload}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}", f"x{value}"):
        client.cookies[COOKIE_NAME] = tampered
        response = _detail(client, complaint)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("complaints:track"))


@pytest.mark.parametrize(
    "forge",
    [
        # Signed by the portal, but for another purpose (another salt).
        lambda numbers: signing.dumps(numbers, salt="complaints.notices.links"),
        lambda numbers: signing.dumps(numbers),
        # Signed for grants, with another key.
        lambda numbers: signing.dumps(numbers, key="not the portal's key", salt="complaints.views.grants"),
        # Plain text.
        lambda numbers: ",".join(numbers),
    ],
)
def test_a_forged_or_foreign_cookie_grants_nothing(client, complaint, forge):
    client.cookies[COOKIE_NAME] = forge([complaint.tracking_number])

    assert _detail(client, complaint).status_code == 302
    assert client.get(reverse("complaints:filed", args=[complaint.tracking_number])).status_code == 404


def test_a_cookie_older_than_a_session_grants_nothing(client, complaint, settings):
    client.cookies[COOKIE_NAME] = signed_grants(numbers=[complaint.tracking_number])
    assert _detail(client, complaint).status_code == 200

    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)):
        assert _detail(client, complaint).status_code == 302


def test_a_signed_cookie_holding_something_else_than_numbers_grants_only_the_numbers(complaint):
    value = signing.dumps([complaint.tracking_number, 7, None, ["x"], "x" * 41], salt="complaints.views.grants")
    assert granted_numbers(request=_cookie_request(value)) == [complaint.tracking_number]

    value = signing.dumps({"numbers": [complaint.tracking_number]}, salt="complaints.views.grants")
    assert granted_numbers(request=_cookie_request(value)) == []


def test_grants_held_in_the_session_before_the_cookie_still_open_the_page(client, complaint, form_data):
    session = client.session
    session[SESSION_KEY] = [complaint.tracking_number]
    session.save()

    assert _detail(client, complaint).status_code == 200
    # The next grant carries it into the cookie.
    response = client.post(reverse("complaints:file"), form_data(description="楼道里的灯坏了"))
    held = granted_numbers(request=_cookie_request(response.cookies[COOKIE_NAME].value))
    assert held[1:] == [complaint.tracking_number]

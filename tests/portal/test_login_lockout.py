"""Sign-in lockout (django-axes): five wrong passwords for one username from one
address lock that pair for the cool-off, with a 429 page in the reader's language;
the right password does not get through meanwhile; an administrator lifts it."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
RIGHT = "pass-word-123"


def sign_in(client, username, password, *, ip="198.51.100.20", language="en"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE=language
    )


def test_five_wrong_passwords_lock_the_username_from_that_address(client, people):
    for _ in range(4):
        assert sign_in(client, "donghuamen_handler", "wrong").status_code == 200
    locked = sign_in(client, "donghuamen_handler", "wrong")
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == 15 * 60
    assert "15 minutes" in locked.content.decode()
    # Now even the right password is refused, and nobody is signed in.
    again = sign_in(client, "donghuamen_handler", RIGHT)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_in_the_reader_s_language(client, people):
    for _ in range(5):
        sign_in(client, "donghuamen_handler", "wrong")
    page = sign_in(client, "donghuamen_handler", RIGHT, language="zh-hans").content.decode()
    assert "15" in page and "Too many wrong passwords" not in page


def test_another_address_or_another_username_is_not_locked(client, people):
    for _ in range(5):
        sign_in(client, "donghuamen_handler", "wrong")
    assert sign_in(client, "dispatcher", RIGHT).status_code == 302
    client.logout()
    assert sign_in(client, "donghuamen_handler", RIGHT, ip="198.51.100.21").status_code == 302


def test_after_the_cool_off_the_right_password_works(client, people):
    for _ in range(5):
        sign_in(client, "donghuamen_handler", "wrong")
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert sign_in(client, "donghuamen_handler", RIGHT).status_code == 302


def test_a_good_sign_in_clears_earlier_failures(client, people):
    for _ in range(4):
        sign_in(client, "donghuamen_handler", "wrong")
    assert sign_in(client, "donghuamen_handler", RIGHT).status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "donghuamen_handler", "wrong").status_code == 200


def test_an_administrator_sees_the_lock_and_lifts_it_in_the_admin(client, people):
    for _ in range(5):
        sign_in(client, "donghuamen_handler", "wrong")
    attempt = AccessAttempt.objects.get(username="donghuamen_handler")
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "admin-pass-123")
    admin_client = client.__class__()
    admin_client.force_login(admin)
    listing = admin_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "donghuamen_handler" in listing.content.decode()
    deleted = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert sign_in(client, "donghuamen_handler", RIGHT).status_code == 302

"""Personal API tokens: `manage.py api_token` prints a key once, the database keeps
only its hash, and a revoked token (by the command or in the admin) is a 401."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import UserFactory

MINE = "/api/v1/units/mine/"


def issue(username: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("api_token", username, stdout=out, stderr=err)
    assert "shown only now" in err.getvalue()
    return out.getvalue().strip()


def with_token(key: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_command_prints_a_key_that_works(people, units):
    key = issue("donghuamen_handler")

    response = with_token(key).get(MINE)

    assert response.status_code == 200
    assert [unit["code"] for unit in response.json()] == ["s-110101001"]


def test_only_a_hash_of_the_key_is_stored(people):
    key = issue("donghuamen_handler")

    (row,) = AuthToken.objects.filter(user=people["donghuamen_handler"]).values()
    assert key not in {str(value) for value in row.values()}
    assert row["digest"] != key and len(row["digest"]) == 128  # SHA-512, hex
    assert key.startswith(row["token_key"]) and len(row["token_key"]) < len(key) // 2  # a lookup prefix only


def test_each_call_issues_another_token_and_revoke_deletes_them_all(people):
    first, second = issue("donghuamen_handler"), issue("donghuamen_handler")
    other = issue("jingshan_handler")
    assert first != second
    assert with_token(first).get(MINE).status_code == with_token(second).get(MINE).status_code == 200

    out = StringIO()
    call_command("api_token", "donghuamen_handler", "--revoke", stdout=out)

    assert "Revoked 2 token(s) of donghuamen_handler." in out.getvalue()
    for key in (first, second):
        response = with_token(key).get(MINE)
        assert response.status_code == 401
        assert response.json() == {"code": "authentication_failed", "detail": "Invalid token."}
    assert with_token(other).get(MINE).status_code == 200  # someone else's token still works


def test_the_command_refuses_an_unknown_or_inactive_user(db):
    UserFactory(username="left", is_active=False)
    with pytest.raises(CommandError, match="No user is called 'ghost'"):
        call_command("api_token", "ghost", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="not an active user"):
        call_command("api_token", "left", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="No user is called 'ghost'"):
        call_command("api_token", "ghost", "--revoke", stdout=StringIO())
    assert not AuthToken.objects.exists()


def test_a_token_of_a_user_deactivated_since_is_refused(people):
    key = issue("donghuamen_handler")
    people["donghuamen_handler"].is_active = False
    people["donghuamen_handler"].save(update_fields=["is_active"])
    assert with_token(key).get(MINE).status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Token",
        "Token two words",
        "Token not-a-real-key",
        "Bearer abc",
        "Token \xff\xfe",
    ],
)
def test_no_or_a_bad_token_is_401_and_names_the_scheme(db, header):
    client = APIClient()
    if header is not None:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(MINE)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] in {"not_authenticated", "authentication_failed"}


def test_the_browser_session_works_too_but_its_posts_need_the_csrf_token(people, submit):
    complaint = submit()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(people["donghuamen_handler"])
    assert client.get(MINE).status_code == 200
    response = client.post(f"/api/v1/orders/{complaint.tracking_number}/accept/", {"version": 1}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


@pytest.fixture
def admin_client(client, db):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_tokens_are_listed_in_the_admin_and_deleting_one_revokes_it(admin_client, people):
    key = issue("donghuamen_handler")
    token = AuthToken.objects.get()
    changelist = reverse("admin:knox_authtoken_changelist")

    assert changelist in admin_client.get(reverse("admin:index")).content.decode()
    listing = admin_client.get(changelist)
    assert listing.status_code == 200
    assert "donghuamen_handler" in listing.content.decode()
    assert key not in listing.content.decode()

    delete = reverse("admin:knox_authtoken_delete", args=[token.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302

    assert not AuthToken.objects.exists()
    assert with_token(key).get(MINE).status_code == 401

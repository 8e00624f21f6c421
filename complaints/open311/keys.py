"""API keys for Open311 client systems (djangorestframework-api-key): one per
system, stored hashed, revocable in the admin or by `manage.py open311_key`.

A POST must carry a valid `api_key`, in the body or the query string; a GET
needs none, but one that carries a key is answered as that client (it sees the
requests it filed in full) and a bad key is refused there too.
"""

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework_api_key.crypto import concatenate
from rest_framework_api_key.models import APIKey

from complaints.open311.errors import Open311Error
from complaints.open311.parsing import field, form_of
from portal.errors import ActionRefused

# `make run`'s demo client. Like the demo password, it is public: seed_demo is for demos only.
DEMO_CLIENT_NAME = "Demo Open311 client"
DEMO_CLIENT_KEY = "demo0311.whistle-open311-demo-key-000000"
MAX_NAME = 50


class Open311KeyAuthentication(BaseAuthentication):
    """`request.auth` is the client's APIKey, or None when no key was sent."""

    def authenticate(self, request):
        key = field(request.query_params, "api_key", max_length=200)
        if not key and request.method == "POST":
            key = field(form_of(request), "api_key", max_length=200)
        if not key:
            return None
        return AnonymousUser(), client_for_key(key)


class HasOpen311Key(BasePermission):
    def has_permission(self, request, view):
        if request.auth is None:
            raise Open311Error(status.HTTP_403_FORBIDDEN, _("api_key was not provided; filing a request needs one."))
        return True


def client_for_key(key: str) -> APIKey:
    prefix, _dot, _secret = key.partition(".")
    client = APIKey.objects.filter(prefix=prefix[:8]).first() if prefix else None
    if client is None or not client.is_valid(key):
        raise Open311Error(status.HTTP_403_FORBIDDEN, _("Invalid api_key received; can't proceed."))
    if client.revoked:
        raise Open311Error(status.HTTP_403_FORBIDDEN, _("This api_key has been revoked."))
    if client.has_expired:
        raise Open311Error(status.HTTP_403_FORBIDDEN, _("This api_key has expired."))
    return client


def open311_client_create(*, name: str) -> tuple[APIKey, str]:
    """A key for a new client system; the key itself exists only in the return
    value (the database keeps its hash). One live key per name, so a name in the
    admin says which system a key belongs to."""
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise ActionRefused(_("Give the client system a name of 1 to %(n)d characters.") % {"n": MAX_NAME})
    with transaction.atomic():
        if APIKey.objects.select_for_update().filter(name=name, revoked=False).exists():
            raise ActionRefused(_("%(name)s already has a live key; revoke it first.") % {"name": name})
        return APIKey.objects.create_key(name=name)


def open311_client_revoke(*, name: str) -> int:
    """Revoke every live key of the named client system; how many there were."""
    return APIKey.objects.filter(name=name.strip(), revoked=False).update(revoked=True)


def open311_demo_client_seed() -> str:
    """The demo client with the fixed demo key, hashed like any other. Says what
    it did: created, updated (hash redone), unchanged, or revoked (an
    administrator revoked it, and a revocation is never undone)."""
    generator = APIKey.objects.key_generator
    prefix = DEMO_CLIENT_KEY.partition(".")[0]
    client = APIKey.objects.filter(prefix=prefix).first()
    if client is None:
        hashed = generator.hash(DEMO_CLIENT_KEY)
        APIKey.objects.create(id=concatenate(prefix, hashed), prefix=prefix, hashed_key=hashed, name=DEMO_CLIENT_NAME)
        return "created"
    if client.revoked:
        return "revoked"
    if not generator.verify(DEMO_CLIENT_KEY, client.hashed_key):
        client.hashed_key = generator.hash(DEMO_CLIENT_KEY)
        client.save(update_fields=["hashed_key"])
        return "updated"
    return "unchanged"

"""Personal API tokens for other systems (django-rest-knox): the key is shown once,
when it is issued; the database keeps only its hash, so a lost key is revoked and
replaced, never recovered. Revoking is deleting (here or in the admin)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from knox.models import AuthToken

from portal.errors import ActionRefused, NotFound


def _user(username: str):
    user = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).first()
    if user is None:
        raise NotFound
    return user


def token_issue(*, username: str) -> str:
    """A new token for an active user; the key to hand over, which nobody can read again."""
    user = _user(username)
    if not user.is_active:
        raise ActionRefused(_("%(user)s is not an active user; a token would not work.") % {"user": username})
    _token, key = AuthToken.objects.create(user=user)
    return key


def tokens_revoke(*, username: str) -> int:
    """Delete every token of the user; the number deleted."""
    user = _user(username)
    with transaction.atomic():
        deleted, _rows = AuthToken.objects.filter(user=user).delete()
    return deleted

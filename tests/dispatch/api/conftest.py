import pytest
from rest_framework.test import APIClient

from portal.api.tokens import token_issue


@pytest.fixture
def api_as(db, request):
    """An API client reading `language` (English by default), signed in with a real
    personal token as `who` (a user, or a key of the `people` fixture); no `who`:
    anonymous."""

    def _as(who=None, language: str = "en") -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        if who is not None:
            user = request.getfixturevalue("people")[who] if isinstance(who, str) else who
            client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(username=user.username)}")
        return client

    return _as

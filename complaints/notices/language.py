"""The language a resident is written to in: the one they filed in."""

from django.conf import settings
from django.utils import translation


def filing_language(requested: str | None = None) -> str:
    """`requested`, or else the active language (the page's, the API request's
    Accept-Language), as one of the portal's languages; the portal's own when it
    supports neither."""
    wanted = requested or translation.get_language() or settings.LANGUAGE_CODE
    try:
        return translation.get_supported_language_variant(wanted)
    except LookupError:
        return settings.LANGUAGE_CODE


def notice_language(complaint) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return complaint.language if complaint.language in codes else settings.LANGUAGE_CODE

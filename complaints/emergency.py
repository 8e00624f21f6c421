"""Emergency and sensitive words (火灾, 煤气泄漏, 自杀, …) in what a resident wrote.

A demand that mentions one is urgent on every intake and waits first in the
12345 centre's triage. The list is the setting WHISTLE_EMERGENCY_WORDS, read on
every call so an override (or a test's) takes effect without a restart.
"""

from django.conf import settings
from django.utils.translation import gettext as _


def emergency_words_in(text: str) -> list[str]:
    """The configured words found in `text` (case-insensitive, as substrings), in
    the list's order and each once. A plain substring test on purpose: Chinese has
    no spaces between words, and a missed fire costs more than a false alarm."""
    folded = (text or "").casefold()
    found: list[str] = []
    for word in settings.WHISTLE_EMERGENCY_WORDS:
        word = (word or "").strip()
        if word and word not in found and word.casefold() in folded:
            found.append(word)
    return found


def complaint_emergency_words(*, description: str, address: str) -> list[str]:
    """The words that make a demand an emergency, looked for in its description and address."""
    return emergency_words_in(f"{description}\n{address}")


def emergency_notice(*, words: list[str]) -> str | None:
    """What a door tells a resident whose demand mentioned an emergency word, in the
    active language; None when it mentioned none."""
    if not words:
        return None
    return _(
        "What you wrote sounds like an emergency. If anyone is in danger now, call 119 for a fire, "
        "110 for the police or 120 for an ambulance: the 12345 centre cannot send help at once."
    )

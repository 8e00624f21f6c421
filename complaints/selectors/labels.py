"""Data that carries its own English (category names, question prompts, choices)
shown in the reader's language."""

from django.utils.translation import get_language


def in_reader_language(chinese: str, english: str) -> str:
    """The English text on an English page when there is one, else the Chinese."""
    if (get_language() or "").startswith("en") and english:
        return english
    return chinese

"""Highlighting of emergency words on the centre's pages, escaped against markup."""

import re

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def mark_words(text: str, words: list[str]) -> SafeString:
    """`text` escaped, each of `words` (case-insensitive) wrapped in <mark>. The
    text is split on the words and every piece escaped by format_html, so neither
    the resident's text nor a configured word can inject markup."""
    text = str(text or "")
    words = sorted({w for w in (words or []) if w}, key=len, reverse=True)
    if not words:
        return format_html("{}", text)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append((text[last : match.start()], match.group(0)))
        last = match.end()
    return format_html_join("", "{}<mark>{}</mark>", pieces) + format_html("{}", text[last:])

"""Which side of our bilingual content (texts stored as {"en": …, "de": …}) to show."""

from __future__ import annotations

from django.utils.translation import get_language


def content_language() -> str:
    """'de' when the active language is German, else 'en' (the fallback every content text has)."""
    return "de" if (get_language() or "en").startswith("de") else "en"

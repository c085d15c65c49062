"""Filters of :mod:`vendorvet.web.core.texts`, available in every template (settings ``builtins``):
``{{ value|human }}``, ``{{ line|engine_text }}``, ``{{ text|pick }}``, ``{{ x|number }}`` / ``{{ x|number:2 }}``,
``{{ status|status_label }}`` and ``{{ deduction|deduction_text }}``."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from vendorvet.web.core import texts

register = template.Library()


@register.filter
def human(value, key=None) -> str:
    return texts.human(value, key)


@register.filter
def engine_text(value) -> str:
    return texts.engine_text(value)


@register.filter
def pick(value) -> str:
    return texts.pick(value)


@register.filter
def number(value, decimals=None) -> str:
    return texts.number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def status_label(status) -> str:
    return texts.status_label(status)


@register.filter
def deduction_text(line) -> str:
    """A stored grade line ({reason, reason_de, points, cap}) in the reader's language."""
    if not isinstance(line, dict):
        return texts.engine_text(line)
    if line.get("reason_de") and texts.content_language() == "de":
        return str(line["reason_de"])
    return texts.engine_text(line.get("reason", ""))


@register.filter
def country_in(code) -> str:
    return texts.country_in(code)


@register.simple_tag
def cite(article, paragraph=None, letter=None, sentence=None, law="GDPR") -> str:
    return texts.cite(article, paragraph or None, letter or None, sentence=sentence or None, law=law)


__all__ = ["register", "gettext"]


@register.filter
def minus(value) -> str:
    """Points lost as "−12,5" (de) / "−12.5" (en)."""
    shown = texts.number(value)
    return shown if shown.startswith(texts.MINUS) or shown == "—" else texts.MINUS + shown


@register.filter
def requirement_name(requirement_id) -> str:
    """A checklist requirement by its text in the reader's language, not its id."""
    from vendorvet.engine.scoring_review import requirement_name as name

    return name(str(requirement_id), texts.content_language())


@register.filter
def exact_time(value) -> str:
    """A time to the second in the reader's style: "02.12.2026 00:20:22" (de), "2026-12-02 00:20:22" (en)."""
    from django.utils import formats, timezone

    if not value:
        return "—"
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "d.m.Y H:i:s" if texts.content_language() == "de" else "Y-m-d H:i:s")

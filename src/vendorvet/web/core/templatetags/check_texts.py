"""``{{ finding|check_title }}``: a stored finding's (or audit finding's) title in the reader's language."""

from __future__ import annotations

from django import template

from vendorvet.web.core.checktexts import shown_title

register = template.Library()


@register.filter
def check_title(finding) -> str:
    return shown_title(finding)

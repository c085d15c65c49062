"""Small display helpers for templates: tier, actor and role labels, the active navigation entry.

Inventory value labels (data categories, countries, tier names) are in ``inventory_ui``.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from vendorvet.web.core.roles import Role

register = template.Library()

def actor_kind_labels() -> dict[str, str]:
    # Literal strings so makemessages finds them; translated at call time.
    return {
        "user": _("user"),
        "token": _("API token"),
        "cli": _("CLI"),
        "task": _("background task"),
        "system": _("system"),
    }


@register.filter
def tier_short(tier) -> str:
    try:
        number = int(tier)
    except (TypeError, ValueError):
        return ""
    return _("Tier %(number)s") % {"number": number}


@register.filter
def actor_kind_label(kind: str) -> str:
    return actor_kind_labels().get(kind, kind)


@register.filter
def role_label(role: str) -> str:
    return str(dict(Role.choices).get(role, role or ""))


@register.simple_tag(takes_context=True)
def nav_active(context, *prefixes: str) -> str:
    """'active' when the current path starts with one of the prefixes (for the main navigation)."""
    request = context.get("request")
    path = getattr(request, "path", "") or ""
    return "active" if any(path.startswith(p) for p in prefixes) else ""


SELECTED = mark_safe(" selected")  # a constant attribute, no data in it


@register.simple_tag
def select_options(choices, selected):
    """The ``<option>`` elements of ``choices`` — ``(value, label)`` pairs or plain strings (value = label) — with
    ``selected`` marked, every value and label escaped. For option lists that grow with the data (a tenant's
    vendors and departments): one pass here instead of three template nodes per option."""
    pairs = ((c, c) if isinstance(c, str) else c for c in choices)
    return format_html_join("", "<option value=\"{}\"{}>{}</option>",
                            ((value, SELECTED if value == selected else "", label) for value, label in pairs))


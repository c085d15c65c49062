"""Small display helpers for templates: choice labels, country names, tier and actor labels."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from vendorvet.web.accounts.roles import Role
from vendorvet.web.inventory.choices import DataCategory, DataSubject, Tier, country_name

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
def data_category_label(value: str) -> str:
    return str(dict(DataCategory.choices).get(value, value))


@register.filter
def data_subject_label(value: str) -> str:
    return str(dict(DataSubject.choices).get(value, value))


@register.filter
def country(code: str) -> str:
    return country_name(code) if code else ""


@register.filter
def tier_short(tier) -> str:
    try:
        number = int(tier)
    except (TypeError, ValueError):
        return ""
    return _("Tier %(number)s") % {"number": number}


@register.filter
def tier_full(tier) -> str:
    try:
        return str(Tier(int(tier)).label)
    except (TypeError, ValueError):
        return ""


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

"""Template filters for inventory values: data category and subject labels, country names, tier names.

``{% load inventory_ui %}``; the generic helpers (actor and role labels, navigation) are in ``vendorvet_ui``.
"""

from __future__ import annotations

from django import template

from vendorvet.web.inventory.choices import DataCategory, DataSubject, Tier, country_name

register = template.Library()


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
def tier_full(tier) -> str:
    try:
        return str(Tier(int(tier)).label)
    except (TypeError, ValueError):
        return ""

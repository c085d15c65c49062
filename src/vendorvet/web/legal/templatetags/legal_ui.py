"""Display helpers for the legal templates: transfer basis, DPA and reminder labels."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def basis_labels() -> dict[str, str]:
    return {
        "none_needed": _("No third-country transfer"),
        "adequacy": _("Adequacy decision"),
        "dpf": _("EU-US Data Privacy Framework"),
        "scc": _("SCCs + TIA required"),
    }


@register.filter
def basis_label(value: str) -> str:
    return basis_labels().get(value, value or "")


@register.filter
def dpa_label(state: str) -> str:
    return {"complete": _("AVV/DPA complete"), "gaps": _("AVV/DPA has gaps"),
            "open": _("AVV/DPA not reviewed")}.get(state, state)


@register.filter
def reminder_label(kind: str) -> str:
    return {"notice": _("Notice deadline"), "expiry": _("Expiry"), "renewal": _("Automatic renewal")}.get(kind, kind)


@register.filter
def source_label(source: str) -> str:
    if source.startswith("sub-processor:"):
        return _("sub-processor %(name)s") % {"name": source.split(":", 1)[1]}
    if source.startswith("scan:"):
        return _("%(host)s resolves there (scan)") % {"host": source.split(":", 1)[1]}
    return {"inventory": _("inventory"), "scan": _("scan")}.get(source, source)

"""``{{ finding|check_title }}``: a stored finding's (or audit finding's) title in the reader's language;
``{{ finding|check_risk }}`` and ``{{ finding|check_remediation }}``: its check's risk and remediation."""

from __future__ import annotations

from django import template

from vendorvet.web.core.checktexts import check_text, shown_title

register = template.Library()


@register.filter
def check_title(finding) -> str:
    return shown_title(finding)


def _check_id(finding) -> str:
    return str((finding.get("check_id") if isinstance(finding, dict) else getattr(finding, "check_id", "")) or "")


@register.filter
def check_risk(finding) -> str:
    return check_text(_check_id(finding), "risk")


@register.filter
def check_remediation(finding) -> str:
    return check_text(_check_id(finding), "remediation")

"""Value sets of the inventory. Stored values are stable English keys; labels are translated."""

from __future__ import annotations

from functools import lru_cache

from django.db import models
from django.utils.translation import get_language, gettext_lazy as _

from vendorvet import content


class Kind(models.TextChoices):
    SAAS = "saas", _("SaaS app")
    API = "api", _("API")
    PLUGIN = "plugin", _("Plugin")
    AGENT = "agent", _("On-prem agent")
    OAUTH_APP = "oauth_app", _("OAuth app")


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", _("Approved with conditions")
    REJECTED = "rejected", _("Rejected")
    RETIRED = "retired", _("Retired")


class DataCategory(models.TextChoices):
    NONE = "none", _("None")
    INTERNAL = "internal", _("Internal")
    PERSONAL = "personal", _("Personal data")
    SPECIAL_CATEGORY = "special_category", _("Special categories (GDPR Art. 9)")
    FINANCIAL = "financial", _("Financial")
    CREDENTIALS = "credentials", _("Credentials / secrets")
    HEALTH = "health", _("Health")


class DataSubject(models.TextChoices):
    EMPLOYEES = "employees", _("Employees")
    CUSTOMERS = "customers", _("Customers")
    PROSPECTS = "prospects", _("Prospects")
    SUPPLIERS = "suppliers", _("Suppliers")
    APPLICANTS = "applicants", _("Applicants")
    PATIENTS = "patients", _("Patients")
    CHILDREN = "children", _("Children")
    WEBSITE_VISITORS = "website_visitors", _("Website visitors")
    OTHER = "other", _("Other")


class DiscoverySource(models.TextChoices):
    MANUAL = "manual", _("Manual")
    IMPORT = "import", _("Import")
    OAUTH_GRANT = "oauth_grant", _("OAuth grant")
    PROXY_LOG = "proxy_log", _("Proxy log")


class AccessScope(models.TextChoices):
    NONE = "", _("Unknown")
    READ = "read", _("Read")
    WRITE = "write", _("Write")
    ADMIN = "admin", _("Admin")
    TENANT_WIDE = "tenant_wide", _("Tenant-wide")


class OutageImpact(models.TextChoices):
    NONE = "", _("Unknown")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Tier(models.IntegerChoices):
    CRITICAL = 1, _("Tier 1 – critical")
    HIGH = 2, _("Tier 2 – high")
    MEDIUM = 3, _("Tier 3 – medium")
    LOW = 4, _("Tier 4 – low")


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, str]]:
    return content.load("countries")["countries"]


def country_codes() -> list[str]:
    return list(_countries())


def country_name(code: str, language: str | None = None) -> str:
    entry = _countries().get((code or "").upper())
    if not entry:
        return code
    lang = (language or get_language() or "en")[:2]
    return entry.get(lang) or entry["en"]


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    items = [(code, country_name(code, language)) for code in _countries()]
    return sorted(items, key=lambda item: item[1])

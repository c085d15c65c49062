"""The documents, printed inside the active tenant with the export permission: audit pack (PDF or ZIP), management
report, record of processing (Art. 30) and TIA. Web, API, CLI and the scheduled e-mail all go through here."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django.utils.text import slugify

from vendorvet.web.accounts import roles
from vendorvet.web.core.context import require_tenant
from vendorvet.web.core.security import audit
from vendorvet.web.reports import audit_pack, legal_docs, logo, management, pdf
from vendorvet.web.reports.models import ReportSettings


def report_settings() -> ReportSettings:
    found = ReportSettings.objects.first()
    return found if found is not None else ReportSettings(tenant=require_tenant())


def branding() -> dict:
    tenant = require_tenant()
    current = ReportSettings.objects.only("logo").first()
    return {"tenant": tenant.name, "logo": logo.data_uri(current.logo) if current is not None else ""}


def language_or_default(language: str | None) -> str:
    if language in pdf.LANGUAGES:
        return language
    current = (translation.get_language() or "en")[:2]
    return current if current in pdf.LANGUAGES else "en"


def audit_pack_pdf(integration, language: str | None = None, *, check: bool = True):
    """(Printed, content data, evidence rows) of the integration's audit pack."""
    if check:
        roles.require(roles.EXPORT)
    language = language_or_default(language)
    data, evidence = audit_pack.build(integration, language, require_tenant().name)
    printed = pdf.render_pdf("reports/print/audit_pack.html", data, language, branding(),
                             audit_pack.filename(integration, language, "pdf"))
    audit("export.audit_pack", integration_id=integration.pk, format="pdf", content_sha256=printed.sha256)
    return printed, data, evidence


def audit_pack_zip(integration, language: str | None = None) -> tuple[bytes, str, pdf.Printed]:
    printed, data, evidence = audit_pack_pdf(integration, language)
    return (audit_pack.bundle(printed, data, evidence), audit_pack.filename(integration, printed.language, "zip"),
            printed)


def management_pdf(language: str | None = None, start: dt.date | None = None, end: dt.date | None = None,
                   *, check: bool = True) -> pdf.Printed:
    if check:
        roles.require(roles.EXPORT)
    language = language_or_default(language)
    end = end or timezone.localdate()
    start = start or management.month_before(end)
    data = management.build(language, require_tenant().name, start, end)
    name = f"management-report-{slugify(require_tenant().slug)}-{language}-{end.isoformat()}.pdf"
    printed = pdf.render_pdf("reports/print/management.html", data, language, branding(), name)
    audit("export.management_report", format="pdf", content_sha256=printed.sha256)
    return printed


def ropa_pdf(view: str = "controller", language: str | None = None, include: str = "current") -> pdf.Printed:
    roles.require(roles.EXPORT)
    language = language_or_default(language)
    data = legal_docs.ropa_data(view, language, include)
    name = f"ropa-{data['view']}-{language}-{timezone.localdate().isoformat()}.pdf"
    printed = pdf.render_pdf("reports/print/ropa.html", data, language, branding(), name)
    audit("export.ropa", format="pdf", view=data["view"], content_sha256=printed.sha256)
    return printed


def tia_pdf(tia, language: str | None = None) -> pdf.Printed:
    roles.require(roles.EXPORT)
    language = language_or_default(language)
    data = legal_docs.tia_data(tia, language)
    name = f"tia-{slugify(tia.integration.name) or tia.pk}-{language}.pdf"
    printed = pdf.render_pdf("reports/print/tia.html", data, language, branding(), name)
    audit("export.tia", tia_id=tia.pk, format="pdf", content_sha256=printed.sha256)
    return printed

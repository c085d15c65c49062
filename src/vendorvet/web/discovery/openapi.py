"""OpenAPI audits attached to an integration: run ``engine.openapi_audit`` on a file and keep the result.

Used by the web upload, the REST API and ``vendorvet openapi audit FILE --integration ID``. The review reads
the latest audit's findings (``latest_openapi_findings``) next to the latest scan's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from vendorvet.engine.openapi_audit import MAX_BYTES, audit_file
from vendorvet.web.accounts import roles
from vendorvet.web.core.context import require_tenant
from vendorvet.web.discovery.models import OpenApiAudit

PROBLEM_STATUSES = ("fail", "warn")


@transaction.atomic
def store_audit(integration, path: str | Path, file_name: str | None = None) -> OpenApiAudit:
    """Audit the document at ``path`` and store the result on ``integration``.

    Needs the ``change`` permission. A document that cannot be audited raises
    ``engine.openapi_audit.OpenAPIError`` (message names the file and the reason) and stores nothing.
    """
    roles.require(roles.CHANGE)
    name = (file_name or Path(path).name)[:255]
    result = audit_file(path, MAX_BYTES)
    findings = []
    for f in result.findings:
        row = f.as_dict()
        findings.append({k: row.get(k) for k in ("check_id", "status", "severity", "title", "detail", "evidence")})
    counts: dict[str, int] = {}
    for f in findings:
        counts[f["status"]] = counts.get(f["status"], 0) + 1
    audit = OpenApiAudit(integration=integration, tenant=require_tenant(), file_name=name,
                         openapi_version=result.openapi_version[:20], title=result.title[:300],
                         api_version=result.api_version[:100], operations=result.operations,
                         findings=findings, counts=dict(sorted(counts.items())))
    audit.full_clean()
    audit.save()
    return audit


def latest_audit(integration) -> OpenApiAudit | None:
    return OpenApiAudit.objects.filter(integration=integration).order_by("-created", "-pk").first()


@dataclass
class AuditFinding:
    """One finding of a stored OpenAPI audit, shaped for the review (like a scan finding)."""

    audit: OpenApiAudit
    check_id: str
    status: str
    severity: str
    title: str
    detail: str
    pointer: str

    @property
    def where(self) -> str:
        return f"{self.audit.file_name} {self.pointer}".strip()

    @property
    def key(self) -> str:
        return f"{self.check_id}@{self.pointer}"


def latest_openapi_findings(integration, check_ids=None) -> list[AuditFinding]:
    """Findings of the integration's latest OpenAPI audit, optionally only these check ids."""
    audit = latest_audit(integration)
    if audit is None:
        return []
    wanted = set(check_ids) if check_ids is not None else None
    rows = []
    for f in audit.findings:
        if wanted is not None and f.get("check_id") not in wanted:
            continue
        rows.append(AuditFinding(audit, str(f.get("check_id", "")), str(f.get("status", "")),
                                 str(f.get("severity", "info")), str(f.get("title", "")), str(f.get("detail", "")),
                                 str((f.get("evidence") or {}).get("pointer", ""))))
    return rows


def audit_label(audit: OpenApiAudit) -> str:
    """How the review names the audit its evidence comes from."""
    return _("API specification %(name)s, audited %(when)s") % {
        "name": audit.file_name, "when": audit.created.strftime("%Y-%m-%d %H:%M")}

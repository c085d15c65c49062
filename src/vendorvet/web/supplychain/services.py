"""Supply-chain services: import an SBOM for an integration, match it, diff two versions.

Role checks happen here (``import`` to store, ``view`` to read) so web, API and CLI share them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vendorvet.engine.supplychain import coverage as osv_coverage
from vendorvet.engine.supplychain import match as osv_match
from vendorvet.engine.supplychain.sbom import SbomError, parse
from vendorvet.engine.supplychain.store import STALE_AFTER_DAYS, OsvStore, database_status  # noqa: F401
from vendorvet.web.accounts import roles
from vendorvet.web.core.context import require_tenant
from vendorvet.web.supplychain.models import (
    SEVERITY_RANK,
    SbomComponent,
    SbomVersion,
    VulnerabilityFinding,
)


def osv_path() -> Path:
    return Path(getattr(settings, "SUPPLYCHAIN_OSV_DATABASE", None) or Path(settings.DATA_DIR) / "osv.sqlite3")


def open_store() -> OsvStore:
    return OsvStore(osv_path())


NOT_CHECKABLE_KEPT = 2000  # listed per SBOM; the count beyond is kept in without_purl


def osv_status(path: Path | None = None) -> dict:
    """The vulnerability database's state (records per ecosystem, imported_at, age_days, empty, stale) —
    the one source for the supply-chain pages, each SBOM, the API and review point 10."""
    return database_status(path or osv_path())


def coverage_for(sbom: "SbomVersion", status: dict | None = None) -> osv_coverage.Coverage:
    """What a stored SBOM's findings cover, against the database as it is now (re-matched after imports)."""
    status = status or osv_status()
    comps = sbom.components.values_list("purl", "name", "version")
    unusable = [(n.get("name", ""), n.get("version", ""), n.get("reason", "no_purl")) for n in sbom.not_checkable]
    return osv_coverage.assess(comps, unusable, status["ecosystems"])


def coverage_states(sboms, status: dict | None = None) -> dict[int, str]:
    """{sbom id: "checked" | "partial" | "not_checked"} for lists (two queries, not one per SBOM); the same
    classes as ``coverage_for``, counted per ecosystem instead of per component."""
    from vendorvet.engine.supplychain.match import PURL_ECOSYSTEMS

    sboms = list(sboms)
    if not sboms:
        return {}
    status = status or osv_status()
    with_data = {e.split(":", 1)[0] for e in status["ecosystems"]}
    known = set(PURL_ECOSYSTEMS.values())
    ids = [s.pk for s in sboms]
    good: dict[int, bool] = {}
    bad: dict[int, bool] = {}
    rows = SbomComponent.objects.filter(sbom_id__in=ids).values_list("sbom_id", "ecosystem").distinct()
    for sbom_id, eco in rows:
        if eco in with_data and eco in known:
            good[sbom_id] = True
        else:
            bad[sbom_id] = True
    for sbom_id in SbomComponent.objects.filter(sbom_id__in=ids, version="").values_list("sbom_id", flat=True):
        bad[sbom_id] = True
    out = {}
    for s in sboms:
        if s.not_checkable:
            bad[s.pk] = True
        out[s.pk] = ("partial" if bad.get(s.pk) else "checked") if good.get(s.pk) else "not_checked"
    return out


def package_key(purl: str) -> str:
    """The purl without version, qualifiers or subpath: identifies the package across versions."""
    base = purl.split("?", 1)[0].split("#", 1)[0]
    at = base.rfind("@")
    return base[:at] if at > base.find("/") else base


def _label_error(integration, label: str) -> None:
    if not label.strip():
        raise ValidationError({"label": _("Name the product version this SBOM describes.")})
    if SbomVersion.objects.filter(integration=integration, label=label.strip()).exists():
        raise ValidationError({"label": _("This integration already has an SBOM for version %(label)s.")
                               % {"label": label}})


def import_sbom(integration, data: bytes, *, label: str, filename: str = "") -> SbomVersion:
    """Parse, match and store an SBOM version; all or nothing. Raises ValidationError."""
    roles.require(roles.IMPORT)
    _label_error(integration, label)
    try:
        doc = parse(data, filename)
    except SbomError as exc:
        raise ValidationError({"file": str(exc)}) from None
    with open_store() as store:
        status = store.status()
        refs = {c.purl: osv_match.parse_purl(c.purl) for c in doc.components}
        findings = []
        for ref in refs.values():
            if ref is not None:
                findings.extend(osv_match.match_component(store, ref))
    tenant = require_tenant()
    with transaction.atomic():
        sbom = SbomVersion(integration=integration, label=label.strip(), format=doc.format,
                           spec_version=doc.spec_version, document_name=doc.name[:300], filename=filename[:255],
                           sha256=hashlib.sha256(data).hexdigest(), component_count=len(doc.components),
                           without_purl=doc.without_purl,
                           not_checkable=[{"name": n[:300], "version": v[:200], "reason": r}
                                          for n, v, r in doc.unusable[:NOT_CHECKABLE_KEPT]],
                           osv_snapshot=f"{status['records']} / {status['newest_modified'] or '-'}"[:40])
        sbom.full_clean()
        sbom.save()
        comps = SbomComponent.objects.bulk_create([
            SbomComponent(tenant=tenant, sbom=sbom, purl=c.purl[:1000], package=package_key(c.purl)[:1000],
                          name=c.name[:300], version=c.version[:200],
                          ecosystem=(refs[c.purl].ecosystem or "") if refs[c.purl] else "",
                          licenses=c.licenses[:20], path=c.path[:1000])
            for c in doc.components
        ], batch_size=1000)
        by_purl = {c.purl: c for c in comps}
        VulnerabilityFinding.objects.bulk_create([
            VulnerabilityFinding(tenant=tenant, sbom=sbom, component=by_purl[f.purl[:1000]], advisory_id=f.id[:100],
                                 aliases=f.aliases, summary=(f.summary or "")[:500], severity=f.severity,
                                 severity_rank=SEVERITY_RANK.get(f.severity, 0),
                                 cvss_score=f.cvss, cvss_vector=f.cvss_vector[:200],
                                 fixed_versions=f.fixed_versions, first_fixed=f.first_fixed[:200])
            for f in findings
        ], batch_size=1000)
    return sbom


def check_sbom(data: bytes, store: OsvStore) -> dict:
    """Stateless check: nothing is stored. The ``sbom check --format json`` contract (see check_document)."""
    return osv_coverage.check(parse(data), store)


def previous_version(sbom: SbomVersion) -> SbomVersion | None:
    return (SbomVersion.objects.filter(integration_id=sbom.integration_id, id__lt=sbom.pk)
            .order_by("-id").first())


def version_direction(ecosystem: str, old: list[str], new: list[str]) -> str:
    """"up", "down" or "" (unknown): the highest version before and after, in the ecosystem's own order."""
    from vendorvet.engine.supplychain import versions

    if not ecosystem:
        return ""
    try:
        before = max(versions.sort_key(ecosystem, v) for v in old if v)
        after = max(versions.sort_key(ecosystem, v) for v in new if v)
    except (versions.InvalidVersion, ValueError, TypeError):  # unparsable, no versions, or not comparable
        return ""
    return "up" if after > before else "down" if after < before else ""


def diff(old: SbomVersion | None, new: SbomVersion) -> dict:
    """Components added/removed/upgraded and vulnerabilities added/fixed between two versions."""
    roles.require(roles.VIEW)

    def components(sbom):
        out: dict[str, list[SbomComponent]] = {}
        for c in (sbom.components.all() if sbom else []):
            out.setdefault(c.package, []).append(c)
        return out

    def vulns(sbom):
        if sbom is None:
            return {}
        return {(f.component.package, f.advisory_id): f for f in sbom.findings.select_related("component")}

    a, b = components(old), components(new)
    added = [c for key in sorted(b.keys() - a.keys()) for c in b[key]]
    removed = [c for key in sorted(a.keys() - b.keys()) for c in a[key]]
    changed = []
    for key in sorted(a.keys() & b.keys()):
        old_versions = sorted(c.version for c in a[key])
        new_versions = sorted(c.version for c in b[key])
        if old_versions != new_versions:
            direction = version_direction(b[key][0].ecosystem, old_versions, new_versions)
            changed.append({"package": key, "old": ", ".join(old_versions), "new": ", ".join(new_versions),
                            "component": b[key][0], "direction": direction,
                            "downgraded": direction == "down"})
    va, vb = vulns(old), vulns(new)
    return {
        "old": old, "new": new, "added": added, "removed": removed, "upgraded": changed,
        "vulns_added": sorted((vb[k] for k in vb.keys() - va.keys()), key=lambda f: (-f.severity_rank, f.advisory_id)),
        "vulns_fixed": sorted((va[k] for k in va.keys() - vb.keys()), key=lambda f: (-f.severity_rank, f.advisory_id)),
    }


def severity_counts(sbom: SbomVersion) -> dict[str, int]:
    from django.db.models import Count

    rows = sbom.findings.values("severity").annotate(n=Count("id"))
    return {r["severity"]: r["n"] for r in rows}

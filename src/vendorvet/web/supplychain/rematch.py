"""Re-match advisories that an OSV import added, modified or withdrew against the stored SBOMs.

For every tenant (in a tenant session, as the monitoring task actor) the *latest* SBOM version of each
integration is checked: only components of the packages the changed advisories name, plus components
that already carry a finding for one of them, are matched again against the whole database. Then:

- a vulnerability that is new for the component is stored as a ``VulnerabilityFinding`` and recorded as
  a monitoring event ``vulnerability_new`` (dedup key per integration, package and advisory), which alerts
  through the tenant's rules — but when one import brings more than ``GROUP_ABOVE`` new hits to one
  integration (typically the first OSV import into an installation that already holds SBOMs), those
  events are recorded quietly and *one* grouped event per integration alerts instead;
- a stored finding that no longer matches (advisory withdrawn, or its ranges no longer cover the version)
  is removed and its event resolved;
- a finding that still matches is updated in place (severity, aliases, fixed versions), without an event.

Re-importing the same OSV data changes no record, so nothing is re-matched and nothing alerts twice.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging

from django.db import transaction
from django.db.models import Max

from vendorvet.engine.supplychain import match as osv_match
from vendorvet.engine.supplychain import osv
from django.utils.translation import gettext_lazy

from vendorvet.web.core import events
from vendorvet.web.core.context import tenant_session
from vendorvet.web.core.events import EventKind
from vendorvet.web.core.messages import T as _  # rendered in the reader's language when shown
from vendorvet.web.supplychain.models import SEVERITY_RANK, SbomComponent, SbomVersion, VulnerabilityFinding

log = logging.getLogger(__name__)

# supply-chain severity -> monitoring event severity (no CVSS and no label: treated as medium)
EVENT_SEVERITY = {"critical": "critical", "high": "high", "medium": "medium", "low": "low", "none": "info",
                  "unknown": "medium"}
EVENT_RANK = SEVERITY_RANK  # the one rank map (engine.severity)
GROUP_ABOVE = 3  # more new hits than this for one integration in one import: one grouped alert
LISTED_IN_GROUP = 10
VULNERABILITY_NEW = "vulnerability_new"


def register() -> None:
    """Called from ``SupplychainConfig.ready()``: the event kind this app raises."""
    from vendorvet.web.core.registry import registry

    registry.event_kinds.register(VULNERABILITY_NEW, EventKind(
        gettext_lazy("New known vulnerability in the SBOM"), "supply_chain", "high", 10))


@dataclasses.dataclass
class RematchReport:
    tenants: int = 0
    sboms: int = 0
    components: int = 0
    new_findings: int = 0
    removed_findings: int = 0
    alerts: int = 0
    errors: list[str] = dataclasses.field(default_factory=list)

    def summary(self) -> str:
        return (f"re-matched {self.components} components of {self.sboms} stored SBOMs in {self.tenants} tenants: "
                f"{self.new_findings} new findings, {self.removed_findings} removed, {self.alerts} events fired")


def event_key(integration_id: int, package: str, advisory_id: str) -> str:
    key = f"vulnerability:{integration_id}:{package}:{advisory_id}"
    if len(key) <= 300:
        return key
    return f"vulnerability:{integration_id}:{hashlib.sha256(key.encode()).hexdigest()}"


def _names(finding) -> set[str]:
    return {finding.advisory_id, *(finding.aliases or [])}


def rematch(store, changed_ids, tenants=None) -> RematchReport:
    """Re-match the records ``changed_ids`` (see the module docstring) in every or the given tenants."""
    from vendorvet.web.accounts.models import Tenant
    from vendorvet.web.core.events import installation_language
    from vendorvet.web.core.events import task_actor as monitor_actor

    report = RematchReport()
    changed = set(changed_ids)
    if not changed:
        return report
    keys = store.packages_of(changed)
    for tenant in (tenants if tenants is not None else Tenant.objects.all()):
        report.tenants += 1
        with tenant_session(tenant, monitor_actor()), installation_language():
            try:
                _rematch_tenant(store, keys, changed, report)
            except Exception as exc:  # one tenant's failure must not stop the others
                log.exception("re-matching advisories failed for tenant %s", tenant.slug)
                report.errors.append(f"{tenant.slug}: {type(exc).__name__}: {exc}")
    return report


def _rematch_tenant(store, keys: set[tuple[str, str]], changed: set[str], report: RematchReport) -> None:
    latest = [row["latest"] for row in
              SbomVersion.objects.order_by().values("integration_id").annotate(latest=Max("id"))]
    if not latest:
        return
    report.sboms += len(latest)
    ecosystems = {eco for eco, _name in keys}
    todo: dict[int, osv_match.PackageRef] = {}
    for cid, purl, eco in (SbomComponent.objects.filter(sbom_id__in=latest, ecosystem__in=ecosystems)
                           .values_list("id", "purl", "ecosystem").iterator()):
        ref = osv_match.parse_purl(purl)
        if ref is not None and ref.ecosystem and (ref.ecosystem, osv.normalize_name(ref.ecosystem, ref.name)) in keys:
            todo[cid] = ref
    # components whose stored findings name a changed record (its package list may have changed)
    for cid, advisory, aliases, purl in (VulnerabilityFinding.objects.filter(sbom_id__in=latest)
                                         .values_list("component_id", "advisory_id", "aliases", "component__purl")):
        if cid not in todo and ({advisory, *(aliases or [])} & changed):
            ref = osv_match.parse_purl(purl)
            if ref is not None:
                todo[cid] = ref
    if not todo:
        return
    components = SbomComponent.objects.select_related("sbom", "sbom__integration").in_bulk(list(todo))
    fresh_by_integration: dict[int, list] = {}
    for cid, ref in todo.items():
        report.components += 1
        component = components[cid]
        for row, f in _sync_component(store, component, ref, report):
            fresh_by_integration.setdefault(component.sbom.integration_id, []).append((component, row, f))
    for fresh in fresh_by_integration.values():
        grouped = len(fresh) > GROUP_ABOVE
        for component, row, f in fresh:
            _record_hit(component, row, f, report, alert=not grouped)
        if grouped:
            _record_group(fresh, report)


def _sync_component(store, component: SbomComponent, ref, report: RematchReport) -> list:
    """Store what ``component`` matches now; returns the new (finding row, match) pairs."""
    sbom, integration = component.sbom, component.sbom.integration
    now_matching = osv_match.match_component(store, ref)
    with transaction.atomic():
        stored = list(VulnerabilityFinding.objects.filter(component=component))
        fresh = []
        for f in now_matching:
            names = {f.id, *f.aliases}
            hit = next((s for s in stored if _names(s) & names), None)
            values = dict(advisory_id=f.id[:100], aliases=f.aliases, summary=(f.summary or "")[:500],
                          severity=f.severity, severity_rank=SEVERITY_RANK.get(f.severity, 0), cvss_score=f.cvss,
                          cvss_vector=f.cvss_vector[:200], fixed_versions=f.fixed_versions,
                          first_fixed=f.first_fixed[:200])
            if hit is not None:
                stored.remove(hit)
                for name, value in values.items():
                    setattr(hit, name, value)
                hit.save()
                continue
            row = VulnerabilityFinding(tenant=sbom.tenant, sbom=sbom, component=component, **values)
            row.save()
            fresh.append((row, f))
        for gone in stored:
            gone.delete()
            report.removed_findings += 1
            events.resolve_where(kind=VULNERABILITY_NEW,
                                 dedup_key__in=[event_key(integration.pk, component.package, n) for n in _names(gone)])
    return fresh


def _record_hit(component: SbomComponent, row: VulnerabilityFinding, f, report: RematchReport, alert: bool) -> None:
    sbom, integration = component.sbom, component.sbom.integration
    report.new_findings += 1
    fixed = ", ".join(f.fixed_versions)
    recorded = events.record(
        kind=VULNERABILITY_NEW, severity=EVENT_SEVERITY.get(f.severity, "medium"),
        key=event_key(integration.pk, component.package, f.id), occurrence=f"sbom:{sbom.pk}",
        title=_("%(integration)s: %(advisory)s in %(package)s %(version)s") % {
            "integration": integration.name, "advisory": f.id, "package": component.name or component.package,
            "version": component.version},
        detail=_("A newly imported advisory affects %(purl)s in the SBOM of version %(sbom)s: %(summary)s "
                 "Severity: %(severity)s, CVSS %(cvss)s; also known as %(aliases)s.") % {
            "purl": component.purl, "sbom": sbom.label, "summary": f.summary or "-", "severity": f.severity,
            "cvss": f"{f.cvss:.1f}" if f.cvss is not None else "-", "aliases": ", ".join(f.aliases) or "-"},
        action=(_("Ask the vendor for a release with %(package)s %(fixed)s or later, or for their assessment.")
                % {"package": component.name or component.package, "fixed": f.first_fixed}) if fixed else
        _("No fixed version is known yet: ask the vendor for their assessment and mitigation."),
        after={"advisory": f.id, "aliases": f.aliases, "purl": component.purl, "severity": f.severity,
               "cvss": f.cvss, "fixed_versions": f.fixed_versions, "sbom": sbom.pk, "finding": row.pk},
        integration=integration, alert=alert)
    report.alerts += int(recorded.fired and alert)


def _record_group(fresh: list, report: RematchReport) -> None:
    """One alerting event for many new hits in one integration (the single events stay, quietly)."""
    component = fresh[0][0]
    sbom, integration = component.sbom, component.sbom.integration
    severity = max((EVENT_SEVERITY.get(f.severity, "medium") for _c, _r, f in fresh), key=EVENT_RANK.__getitem__)
    ordered = sorted(fresh, key=lambda item: (-EVENT_RANK[EVENT_SEVERITY.get(item[2].severity, "medium")],
                                              item[2].id))
    ids = sorted({f.id for _c, _r, f in fresh})
    listed = "; ".join(f"{f.id} ({f.severity}) in {c.name or c.package} {c.version}"
                       for c, _r, f in ordered[:LISTED_IN_GROUP])
    digest = hashlib.sha256("\n".join(ids).encode()).hexdigest()[:16]
    recorded = events.record(
        kind=VULNERABILITY_NEW, severity=severity,
        key=f"vulnerabilities:{integration.pk}:{sbom.pk}:{digest}", occurrence=f"sbom:{sbom.pk}",
        title=_("%(integration)s: %(count)s newly known vulnerabilities in the SBOM") % {
            "integration": integration.name, "count": len(fresh)},
        detail=_("Newly imported advisories affect the SBOM of version %(sbom)s: %(listed)s%(more)s") % {
            "sbom": sbom.label, "listed": listed,
            "more": f" (+{len(fresh) - LISTED_IN_GROUP})" if len(fresh) > LISTED_IN_GROUP else ""},
        action=_("Open the SBOM and ask the vendor which of these they ship and when fixed releases follow."),
        after={"sbom": sbom.pk, "count": len(fresh), "advisories": ids[:200]},
        integration=integration)
    report.alerts += int(recorded.fired)

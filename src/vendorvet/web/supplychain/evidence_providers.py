"""Point 10 of the review: the latest SBOM and its known vulnerabilities, as review evidence.

``supply.sbom`` gets a suggested answer (critical/high known vulnerabilities → not met, medium or unrated →
partly met, none → met); ``supply.vuln_handling`` gets the facts only. No SBOM, or an SBOM matched against an
empty vulnerability database, is *could not check* — "0 known vulnerabilities" is only said when there was data.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy as _

from vendorvet.engine import scoring_review
from vendorvet.web.core.review import CHECKED, COULD_NOT_CHECK, Suggestion

SBOM_REQUIREMENTS = {"supply.sbom": True, "supply.vuln_handling": False}  # id -> suggests an answer
SEVERITY_STATUS = {"critical": "fail", "high": "fail", "medium": "warn", "unknown": "warn"}


def _matched_without_data(sbom) -> bool:
    """The SBOM was matched while the vulnerability database held no records."""
    records = (sbom.osv_snapshot or "").split("/", 1)[0].strip()
    return records == "0"


WORST_SHOWN = 3


class SupplyChainEvidence:
    key = "supplychain"
    label = _("Supply chain")
    order = 30

    def requirement_ids(self):
        return list(SBOM_REQUIREMENTS)

    def evidence(self, integration, requirement_ids) -> dict[str, Suggestion]:
        from vendorvet.web.supplychain.models import SbomVersion
        from vendorvet.engine.supplychain import coverage as osv_coverage
        from vendorvet.web.supplychain.services import SEVERITY_RANK, coverage_for, osv_status, severity_counts

        wanted = [r for r in requirement_ids if r in SBOM_REQUIREMENTS]
        if not wanted:
            return {}
        latest = SbomVersion.objects.filter(integration=integration).order_by("-id").first()
        if latest is None:
            return {r: Suggestion(self.key, COULD_NOT_CHECK, source=_("SBOM"), facts=("no-sbom",),
                                  reason=gettext("No SBOM imported for this integration yet."),
                                  link=reverse("supplychain:integration", args=[integration.pk]),
                                  link_label=gettext("Import an SBOM"))
                    for r in wanted}
        counts = severity_counts(latest)
        ordered = tuple(sorted(counts.items(), key=lambda kv: -SEVERITY_RANK.get(kv[0], 0)))
        total = sum(counts.values())
        osv = osv_status()
        cov = coverage_for(latest, osv)
        # the worst findings by name (e.g. Log4Shell), so the reviewer sees what the counts stand for
        worst = list(latest.findings.filter(severity__in=("critical", "high")).select_related("component")
                     .order_by("-severity_rank", "advisory_id", "id")[:WORST_SHOWN])
        common = dict(source=_("SBOM"), at=latest.created, link=reverse("supplychain:sbom", args=[latest.pk]),
                      link_label=gettext("SBOM for version %(label)s") % {"label": latest.label},
                      facts=(latest.pk, latest.sha256, ordered, cov.status, cov.checked),
                      template="supplychain/_answer_sbom.html",
                      extra={"sbom": latest, "sbom_counts": ordered, "sbom_total": total, "coverage": cov, "osv": osv,
                             "worst": worst})
        statuses = [SEVERITY_STATUS.get(s, "pass") for s in counts]
        found = any(st != "pass" for st in statuses)
        if cov.status == osv_coverage.NOT_CHECKED or (total == 0 and _matched_without_data(latest)):
            return {r: Suggestion(self.key, COULD_NOT_CHECK, **common, reason=gettext(
                "Not checked: no vulnerability data (OSV) for %(ecosystems)s.") % {
                    "ecosystems": ", ".join(cov.missing_ecosystems) or gettext("its components")}) for r in wanted}
        if cov.status == osv_coverage.PARTIAL and not found:  # absence of findings in part of it proves nothing
            return {r: Suggestion(self.key, COULD_NOT_CHECK, **common, reason=gettext(
                "Only %(checked)d of %(total)d components could be checked for known vulnerabilities.") % {
                    "checked": cov.checked, "total": cov.total or cov.components}) for r in wanted}
        if cov.status == osv_coverage.CHECKED:
            suggested = scoring_review.suggest_answer(["pass", *statuses])
            comment = (gettext("From SBOM %(label)s: %(components)d components, %(vulns)d known vulnerabilities.")
                       % {"label": latest.label, "components": latest.component_count, "vulns": total})
        else:  # partly checked, and what was found still counts
            suggested = scoring_review.suggest_answer(statuses)
            comment = (gettext("From SBOM %(label)s: %(checked)d of %(components)d components checked, %(vulns)d "
                               "known vulnerabilities.")
                       % {"label": latest.label, "checked": cov.checked, "components": cov.total or cov.components,
                          "vulns": total})
        return {r: Suggestion(self.key, CHECKED, suggested=suggested if SBOM_REQUIREMENTS[r] else None,
                              comment=comment, **common) for r in wanted}

    def score_inputs(self, integration) -> list:
        """Known vulnerabilities in the latest SBOM. An advisory without a severity counts as medium — an
        unknown never helps the vendor; 'none' is free."""
        from vendorvet.web.supplychain.models import SbomVersion, VulnerabilityFinding

        latest = SbomVersion.objects.filter(integration=integration).order_by("-created", "-pk").first()
        if latest is None:
            return []
        severity_of = {"unknown": "medium", "none": "info"}
        inputs = []
        for finding in VulnerabilityFinding.objects.filter(sbom=latest).select_related("component"):
            purl = finding.component.purl
            text = f"{finding.advisory_id} in {purl} ({latest.label})"
            inputs.append(scoring_review.FindingInput(
                f"{finding.advisory_id}@{purl}", {"en": text, "de": text},
                severity_of.get(finding.severity, finding.severity)))
        return inputs


def register() -> None:
    from vendorvet.web.core.registry import registry

    registry.evidence_providers.register(SupplyChainEvidence.key, SupplyChainEvidence())

"""SBOM versions per integration, their components and vulnerability findings (tenant-owned).

Only the SBOM version itself is written to the change history (one entry per import);
components and findings are bulk data derived from the uploaded document and the OSV
database, so they are not logged one by one.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vendorvet.web.core.models import TenantOwnedModel
from vendorvet.web.core.severity import SEVERITY_RANK, AdvisorySeverity  # noqa: F401 - SEVERITY_RANK re-exported


# The engine's one severity scale (engine.severity), advisory part; its rank map is what severity_rank stores.
Severity = AdvisorySeverity


class SbomVersion(TenantOwnedModel):
    integration = models.ForeignKey("inventory.Integration", on_delete=models.CASCADE, related_name="sboms",
                                    verbose_name=_("integration"))
    label = models.CharField(_("product version"), max_length=100)
    format = models.CharField(_("format"), max_length=20)
    spec_version = models.CharField(_("specification version"), max_length=20)
    document_name = models.CharField(_("document name"), max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    component_count = models.PositiveIntegerField(_("components"), default=0)
    without_purl = models.PositiveIntegerField(_("components without package URL"), default=0)
    osv_snapshot = models.CharField(_("OSV database state"), max_length=40, blank=True)
    # components without a usable package URL: [{"name", "version", "reason"}] (reason: a coverage code)
    not_checkable = models.JSONField(_("components that cannot be checked"), default=list, blank=True)

    change_log_parent = "integration"

    class Meta:
        ordering = ["-id"]  # newest first; ids are monotonic, clocks may not be
        verbose_name = _("SBOM version")
        verbose_name_plural = _("SBOM versions")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "integration", "label"], name="sbom_label_unique_per_integration"),
        ]

    def __str__(self) -> str:
        return f"SBOM {self.label}"


class SbomComponent(TenantOwnedModel):
    sbom = models.ForeignKey(SbomVersion, on_delete=models.CASCADE, related_name="components",
                             verbose_name=_("SBOM version"))
    purl = models.CharField(_("package URL"), max_length=1000)
    package = models.CharField(_("package"), max_length=1000, help_text=_("package URL without version"))
    name = models.CharField(_("name"), max_length=300, blank=True)
    version = models.CharField(_("version"), max_length=200, blank=True)
    ecosystem = models.CharField(_("ecosystem"), max_length=40, blank=True)
    licenses = models.JSONField(_("licences"), default=list, blank=True)
    path = models.CharField(_("component path"), max_length=1000, blank=True)

    change_logged = False
    change_log_parent = "sbom"

    class Meta:
        ordering = ["package", "id"]
        verbose_name = _("SBOM component")
        verbose_name_plural = _("SBOM components")
        indexes = [models.Index(fields=["sbom", "package"], name="sbom_component_package")]

    def __str__(self) -> str:
        return self.purl


class VulnerabilityFinding(TenantOwnedModel):
    sbom = models.ForeignKey(SbomVersion, on_delete=models.CASCADE, related_name="findings",
                             verbose_name=_("SBOM version"))
    component = models.ForeignKey(SbomComponent, on_delete=models.CASCADE, related_name="findings",
                                  verbose_name=_("component"))
    advisory_id = models.CharField(_("advisory"), max_length=100)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.UNKNOWN)
    severity_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    cvss_score = models.DecimalField(_("CVSS score"), max_digits=3, decimal_places=1, null=True, blank=True)
    cvss_vector = models.CharField(_("CVSS vector"), max_length=200, blank=True)
    fixed_versions = models.JSONField(_("fixed versions"), default=list, blank=True)
    first_fixed = models.CharField(_("first fixed version"), max_length=200, blank=True)

    change_logged = False
    change_log_parent = "sbom"

    class Meta:
        ordering = ["-severity_rank", "advisory_id", "id"]
        verbose_name = _("vulnerability finding")
        verbose_name_plural = _("vulnerability findings")

    def __str__(self) -> str:
        return f"{self.advisory_id} in {self.component_id}"

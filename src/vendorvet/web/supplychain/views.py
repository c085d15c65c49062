"""Supply-chain pages: overview, SBOM versions per integration, one version with its diff."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from vendorvet.web.accounts import roles
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.inventory.models import Integration
from vendorvet.web.inventory.views_common import apply_validation_error
from vendorvet.web.supplychain import services
from vendorvet.web.supplychain.forms import SbomUploadForm
from vendorvet.web.supplychain.models import SbomVersion

COMPONENTS_SHOWN = 500


def _with_counts(qs):
    # Meta.ordering is ignored in GROUP BY queries, so order explicitly (newest first).
    return qs.order_by("-id").annotate(
        n_findings=Count("findings", distinct=True),
        n_critical=Count("findings", filter=Q(findings__severity="critical"), distinct=True),
        n_high=Count("findings", filter=Q(findings__severity="high"), distinct=True),
    )


class OverviewView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request):
        latest = list(_with_counts(SbomVersion.objects.select_related("integration", "integration__vendor"))[:200])
        osv = services.osv_status()
        states = services.coverage_states(latest, osv)
        for s in latest:
            s.coverage_state = states.get(s.pk)
        return render(request, "supplychain/overview.html", {"sboms": latest, "osv": osv})


class IntegrationPanelView(PermissionRequiredMixin, View):
    """Fragment on the integration page: the latest SBOM and its vulnerabilities."""

    required_permission = roles.VIEW

    def get(self, request, pk: int):
        integration = get_object_or_404(Integration.objects, pk=pk)
        sboms = list(_with_counts(SbomVersion.objects.filter(integration=integration))[:5])
        states = services.coverage_states(sboms[:1])
        for s in sboms[:1]:
            s.coverage_state = states.get(s.pk)
        return render(request, "supplychain/_integration_panel.html", {"integration": integration, "sboms": sboms})


class IntegrationSbomsView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def context(self, integration, form=None):
        sboms = list(_with_counts(SbomVersion.objects.filter(integration=integration)))
        states = services.coverage_states(sboms)
        for s in sboms:
            s.coverage_state = states.get(s.pk)
        return {"integration": integration, "form": form or SbomUploadForm(), "sboms": sboms}

    def get(self, request, pk: int):
        integration = get_object_or_404(Integration.objects.select_related("vendor"), pk=pk)
        return render(request, "supplychain/integration.html", self.context(integration))


class SbomUploadView(PermissionRequiredMixin, View):
    required_permission = roles.IMPORT

    def post(self, request, pk: int):
        integration = get_object_or_404(Integration.objects.select_related("vendor"), pk=pk)
        form = SbomUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                sbom = services.import_sbom(integration, upload.read(), label=form.cleaned_data["label"],
                                            filename=upload.name)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("SBOM imported: %(components)d components, %(findings)d "
                                            "vulnerabilities.") % {"components": sbom.component_count,
                                                                   "findings": sbom.findings.count()})
                return redirect("supplychain:sbom", pk=sbom.pk)
        return render(request, "supplychain/integration.html",
                      IntegrationSbomsView().context(integration, form), status=400)


class SbomDetailView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request, pk: int):
        sbom = get_object_or_404(SbomVersion.objects.select_related("integration", "integration__vendor"), pk=pk)
        base = None
        if request.GET.get("against"):
            base = SbomVersion.objects.filter(integration_id=sbom.integration_id,
                                              pk=request.GET["against"]).exclude(pk=sbom.pk).first()
        base = base or services.previous_version(sbom)
        osv = services.osv_status()
        coverage = services.coverage_for(sbom, osv)
        return render(request, "supplychain/sbom.html", {
            "osv": osv,
            "coverage": coverage,
            "not_checked_shown": coverage.not_checked[:COMPONENTS_SHOWN],
            "not_checkable_shown": coverage.not_checkable[:COMPONENTS_SHOWN],
            "sbom": sbom,
            "integration": sbom.integration,
            "findings": sbom.findings.select_related("component"),
            "components": sbom.components.all()[:COMPONENTS_SHOWN],
            "components_shown": COMPONENTS_SHOWN,
            "diff": services.diff(base, sbom) if base else None,
            "others": SbomVersion.objects.filter(integration_id=sbom.integration_id).exclude(pk=sbom.pk),
        })

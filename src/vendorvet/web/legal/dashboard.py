"""Legal's figures on the dashboard and the integration-list facets behind them: AVV/DPA coverage of the
integrations that process personal data, and third-country transfers without a recorded basis.

Each figure is counted over the same annotated queryset its facet filters (``?facet=legal.…`` on the
integration list), so the number on the dashboard and the number on the list agree by construction.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy

from vendorvet.web.core.registry import DashboardFigure, DashboardSection, IntegrationFacet, registry
from vendorvet.web.inventory.choices import Status
from vendorvet.web.legal.calendar import PERSONAL_CATEGORIES
from vendorvet.web.legal.models import Contract, TransferAssessment

INACTIVE = (Status.REJECTED, Status.RETIRED)


def _personal(qs):
    """Integrations in use or under review that process personal data (the missing-AVV check's own rule)."""
    return qs.exclude(status__in=INACTIVE).filter(data_categories__has_any=sorted(PERSONAL_CATEGORIES))


# what the latest transfer assessment of an integration says, as one value (NULL: none assessed yet)
SCC_REQUIRED, OTHER = "scc_required", "other"


def _annotated(qs):
    latest = (TransferAssessment.objects.filter(integration=OuterRef("pk")).order_by("-created", "-pk")
              .annotate(legal_outcome=Case(When(basis="scc", third_country_transfer=True, then=Value(SCC_REQUIRED)),
                                           default=Value(OTHER), output_field=CharField()))
              .values("legal_outcome")[:1])
    return _personal(qs).annotate(
        legal_dpa=Exists(Contract.objects.filter(vendor=OuterRef("vendor_id"), type=Contract.Type.DPA)),
        legal_scc=Exists(Contract.objects.filter(vendor=OuterRef("vendor_id"), type=Contract.Type.SCC)),
        legal_transfer=Subquery(latest),  # one lookup of the latest assessment per integration, not one per column
    )


# facet key -> (label, filter on the annotated queryset)
FACETS = {
    "legal.personal": (gettext_lazy("Processes personal data"), Q()),
    "legal.personal_dpa": (gettext_lazy("Processes personal data, AVV/DPA recorded"), Q(legal_dpa=True)),
    "legal.personal_no_dpa": (gettext_lazy("Processes personal data, no AVV/DPA recorded"), Q(legal_dpa=False)),
    "legal.transfer_no_basis": (
        gettext_lazy("Third-country transfer without a recorded basis (SCCs required, none on file)"),
        Q(legal_transfer=SCC_REQUIRED, legal_scc=False)),
    "legal.transfer_unchecked": (gettext_lazy("Processes personal data, transfer not yet assessed"),
                                 Q(legal_transfer__isnull=True)),
}


def _facet(condition):
    return lambda qs: _annotated(qs).filter(condition)


def _url(facet: str) -> str:
    return reverse("inventory:integration_list") + "?" + urlencode({"facet": facet})


def figures() -> list[DashboardFigure]:
    from vendorvet.web.inventory.models import Integration

    groups = (_annotated(Integration.objects.all()).order_by()
              .values("legal_dpa", "legal_scc", "legal_transfer").annotate(n=Count("pk")))
    total = dpa = no_basis = unchecked = 0
    for g in groups:
        total += g["n"]
        dpa += g["n"] if g["legal_dpa"] else 0
        unchecked += g["n"] if g["legal_transfer"] is None else 0
        no_basis += g["n"] if (g["legal_transfer"] == SCC_REQUIRED and not g["legal_scc"]) else 0

    def fig(key, count, tone="", **kw):
        return DashboardFigure(key, FACETS[key][0], count, _url(key), tone=tone, **kw)

    out = [fig("legal.personal", total),
           fig("legal.personal_dpa", dpa, total=total),
           fig("legal.personal_no_dpa", total - dpa, tone="bad", total=total)]
    if total and unchecked == total:
        out.append(fig("legal.transfer_no_basis", None,
                       reason=gettext_lazy("Cannot say yet: no transfer of these integrations has been assessed.")))
    else:
        out.append(fig("legal.transfer_no_basis", no_basis, tone="bad"))
    out.append(fig("legal.transfer_unchecked", unchecked, tone="warn", total=total))
    return out


def register() -> None:
    """Called from ``LegalConfig.ready()``."""
    for key, (label, condition) in FACETS.items():
        registry.integration_facets.register(key, IntegrationFacet(label, _facet(condition)))
    registry.dashboard_sections.register("legal.personal_data", DashboardSection(
        gettext_lazy("Personal data: AVV/DPA and third-country transfers"), figures, order=40))

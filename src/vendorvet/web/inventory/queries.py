"""Inventory search, filters and sorting — one implementation for web UI, API and CLI export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from django.db.models import Q, QuerySet

from vendorvet.web.core.registry import registry
from vendorvet.web.inventory.choices import DataCategory, Kind, Status, Tier
from vendorvet.web.inventory.models import Integration

# public sort key -> ORM ordering (a unique tie-breaker keeps pages stable)
SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "vendor": ("vendor__name", "name", "id"),
    "-vendor": ("-vendor__name", "-name", "-id"),
    "status": ("status", "name", "id"),
    "-status": ("-status", "name", "id"),
    "tier": ("tier", "name", "id"),
    "-tier": ("-tier", "name", "id"),
    "department": ("department", "name", "id"),
    "-department": ("-department", "name", "id"),
    "updated": ("last_updated", "id"),
    "-updated": ("-last_updated", "-id"),
}
DEFAULT_SORT = "name"


@dataclass
class IntegrationFilter:
    q: str = ""
    status: str = ""
    tier: int | None = None
    data_category: str = ""
    department: str = ""
    vendor: int | None = None
    kind: str = ""
    facet: str = ""  # a filter another app contributes (registry.integration_facets), e.g. "legal.personal_no_dpa"
    sort: str = DEFAULT_SORT

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "IntegrationFilter":
        """Lenient parsing for query strings: unknown values are ignored, not errors."""

        def pick(name: str, allowed: set[str]) -> str:
            value = (params.get(name) or "").strip()
            return value if value in allowed else ""

        def integer(name: str) -> int | None:
            value = (params.get(name) or "").strip()
            return int(value) if value.isdigit() and len(value) < 12 else None

        tier = integer("tier")
        sort = (params.get("sort") or params.get("ordering") or "").strip()
        return cls(
            q=(params.get("q") or "").strip()[:200],
            status=pick("status", set(Status.values)),
            tier=tier if tier in Tier.values else None,
            data_category=pick("data_category", set(DataCategory.values)),
            department=(params.get("department") or "").strip()[:100],
            vendor=integer("vendor"),
            kind=pick("kind", set(Kind.values)),
            facet=pick("facet", set(registry.integration_facets)),
            sort=sort if sort in SORTS else DEFAULT_SORT,
        )

    def is_active(self) -> bool:
        return any([self.q, self.status, self.tier, self.data_category, self.department, self.vendor, self.kind,
                    self.facet])


def filter_integrations(qs: QuerySet[Integration], f: IntegrationFilter) -> QuerySet[Integration]:
    if f.q:
        qs = qs.filter(
            Q(name__icontains=f.q) | Q(vendor__name__icontains=f.q) | Q(purpose__icontains=f.q)
            | Q(department__icontains=f.q) | Q(business_owner__icontains=f.q)
        )
    if f.status:
        qs = qs.filter(status=f.status)
    if f.tier:
        qs = qs.filter(tier=f.tier)
    if f.data_category:
        qs = qs.filter(data_categories__has=f.data_category)
    if f.department:
        qs = qs.filter(department=f.department)
    if f.vendor:
        qs = qs.filter(vendor_id=f.vendor)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.facet and f.facet in registry.integration_facets:
        qs = registry.integration_facets[f.facet].apply(qs)
    return qs.order_by(*SORTS.get(f.sort, SORTS[DEFAULT_SORT]))


def integration_list(f: IntegrationFilter) -> QuerySet[Integration]:
    """The tenant's integrations, filtered and sorted, with the vendor joined."""
    return filter_integrations(Integration.objects.select_related("vendor"), f)


def facet_label(f: IntegrationFilter):
    facet = registry.integration_facets.get(f.facet) if f.facet else None
    return facet.label if facet else ""


def departments() -> list[str]:
    return list(
        Integration.objects.exclude(department="").order_by("department").values_list("department", flat=True).distinct()
    )

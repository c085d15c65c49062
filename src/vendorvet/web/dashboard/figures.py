"""The inventory's own dashboard figures, and collecting every app's figures from the registry.

Each figure links to the filtered list behind it and is counted with the same filter that list uses, so the
number on the dashboard and the number on the list agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.db.models import Count

from vendorvet.web.core.passcache import dashboard_pass
from vendorvet.web.dashboard import parallel
from vendorvet.web.core.registry import DashboardFigure, registry
from vendorvet.web.inventory.choices import Status, Tier
from vendorvet.web.inventory.models import Integration
from vendorvet.web.inventory.queries import IntegrationFilter, integration_list

ACTIVE_STATUSES = [s for s in Status.values if s not in (Status.REJECTED, Status.RETIRED)]
UNDECIDED = (Status.PROPOSED, Status.IN_REVIEW)


def _list_url(**params) -> str:
    return reverse("inventory:integration_list") + "?" + urlencode(params)


def integrations() -> list[DashboardFigure]:
    """One figure per tier × status (zero cells included, so the matrix is complete)."""
    counts = {(row["tier"], row["status"]): row["n"]
              for row in Integration.objects.values("tier", "status").annotate(n=Count("id")).order_by()}
    return _tier_figures(counts)


def integrations_per_tenant(tenant_ids: list[int]) -> dict[int, dict[str, int]]:
    """For the service-provider view, in two grouped queries over all its tenants: integrations in use or under
    review (``inventory.active``) and tier 1–2 integrations not yet decided (``inventory.risk``)."""
    out = {t: {"inventory.active": 0, "inventory.risk": 0} for t in tenant_ids}
    by_status = (Integration.all_tenants.filter(tenant_id__in=tenant_ids).order_by()
                 .values("tenant_id", "status").annotate(n=Count("*")))  # read from the (tenant, status, name) index
    for row in by_status:
        if row["status"] in ACTIVE_STATUSES:
            out[row["tenant_id"]]["inventory.active"] += row["n"]
    risky = (Integration.all_tenants.filter(tenant_id__in=tenant_ids, status__in=UNDECIDED, tier__lte=Tier.HIGH)
             .order_by().values("tenant_id").annotate(n=Count("*")))
    for row in risky:
        out[row["tenant_id"]]["inventory.risk"] = row["n"]
    return out


def _tier_figures(counts: dict) -> list[DashboardFigure]:
    out = []
    for tier, tier_label in Tier.choices:
        for status, status_label in Status.choices:
            out.append(DashboardFigure(
                key=f"inventory.tier{tier}.{status}", label=f"{tier_label} · {status_label}",
                count=counts.get((tier, status), 0), url=_list_url(tier=tier, status=status),
                tone="bad" if tier <= Tier.HIGH and status in (Status.PROPOSED, Status.IN_REVIEW) else "",
            ))
    return out


def tier_matrix(figures: list[DashboardFigure]) -> dict:
    """The tier × status figures as rows for a table."""
    by_key = {f.key: f for f in figures}
    rows = []
    for tier, tier_label in Tier.choices:
        cells = [by_key[f"inventory.tier{tier}.{status}"] for status in Status.values]
        total = sum(c.count for c in cells)
        rows.append({"label": tier_label, "cells": cells, "total": total,
                     "url": _list_url(tier=tier)})
    return {"statuses": [label for _, label in Status.choices], "rows": rows}


def count_integrations(**params) -> int:
    """The count the integration list shows for these query parameters (used by tests and the provider view)."""
    return integration_list(IntegrationFilter.from_params(params)).count()


@dataclass
class Section:
    key: str
    label: object
    figures: list[DashboardFigure]
    template: str = ""


def collect() -> list[Section]:
    """Every registered section's figures for the active tenant, in order (one pass: sections share the
    aggregates they both read). The sections of each app are one group; groups run side by side where
    :mod:`~vendorvet.web.dashboard.parallel` can, else one after the other."""
    ordered = sorted(registry.dashboard_sections.items(), key=lambda kv: kv[1].order)
    with dashboard_pass():
        if parallel.usable():
            groups: dict[str, list] = {}
            for key, section in ordered:
                groups.setdefault(key.split(".", 1)[0], []).append((key, section))
            tasks = [(GROUP_WEIGHT.get(app, 1), _group_task(members)) for app, members in groups.items()]
            computed = {key: figs for result in parallel.run_groups(tasks) for key, figs in result}
        else:
            computed = {key: list(section.figures()) for key, section in ordered}
    return [Section(key, section.label, computed[key], section.template) for key, section in ordered]


# relative cost of each app's sections on a large tenant (bench/dashboard.py): the heaviest groups start first
GROUP_WEIGHT = {"legal": 5, "scans": 4, "monitoring": 4, "assessments": 3, "inventory": 1}


def _group_task(members: list):
    return lambda: [(key, list(section.figures())) for key, section in members]


def flat(sections: list[Section]) -> dict[str, int | None]:
    return {f.key: f.count for s in sections for f in s.figures}


# the sections the service-provider view reads its key figures from (by registry key: no app import)
PROVIDER_SECTIONS = ("inventory.tiers", "monitoring.severity", "assessments.reviews")


def flat_per_tenant(tenants: list) -> dict[int, dict[str, int | None]]:
    """The provider view's figures of each tenant: grouped queries where a section offers them, else one pass
    of the section per tenant. The caller has checked the user's membership of every tenant."""
    from vendorvet.web.core.context import use_tenant

    ids = [t.pk for t in tenants]
    out: dict[int, dict] = {t: {} for t in ids}
    for key in PROVIDER_SECTIONS:
        section = registry.dashboard_sections.get(key)
        if section is None:
            continue
        if section.per_tenant is not None:
            for tenant_id, figures in section.per_tenant(ids).items():
                out[tenant_id].update(figures)
            continue
        for tenant in tenants:
            with use_tenant(tenant):
                out[tenant.pk].update({f.key: f.count for f in section.figures()})
    return out

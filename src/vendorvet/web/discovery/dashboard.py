"""Discovery's figures on the dashboard: discovered apps (shadow IT) that wait for a person's review, in all
and by risk. Each links to the discovered-apps list with the same filter (``?review=pending[&risk=…]``), which
counts with :func:`vendorvet.web.discovery.proposals.pending` as these figures do."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy

from vendorvet.web.core.registry import DashboardFigure, DashboardSection, registry
from vendorvet.web.discovery.models import DiscoveredApp, ImportRun, Risk


RISK_LABELS = {"high": gettext_lazy("of which high risk"), "medium": gettext_lazy("of which medium risk"),
               "low": gettext_lazy("of which low risk")}


def _url(**params) -> str:
    return reverse("discovery:app_list") + "?" + urlencode({"review": "pending", **params})


def figures() -> list[DashboardFigure]:
    from vendorvet.web.discovery.proposals import pending

    counts = {row["risk"]: row["n"] for row in pending().order_by().values("risk").annotate(n=Count("pk"))}
    label = gettext_lazy("Discovered apps not yet reviewed")
    if not counts and not ImportRun.objects.exists() and not DiscoveredApp.objects.exists():
        return [DashboardFigure("discovery.pending", label, None, reverse("discovery:app_list"),
                                reason=gettext_lazy("Cannot say yet: nothing has been imported for discovery."))]
    out = [DashboardFigure("discovery.pending", label, sum(counts.values()), _url(), tone="warn")]
    for value in Risk.values:
        out.append(DashboardFigure(f"discovery.pending.{value}", RISK_LABELS[value], counts.get(value, 0), _url(risk=value),
                                   tone="bad" if value == "high" else ""))
    return out


def register() -> None:
    """Called from ``DiscoveryConfig.ready()``."""
    registry.dashboard_sections.register("discovery.pending", DashboardSection(
        gettext_lazy("Discovered apps waiting for review"), figures, order=60))

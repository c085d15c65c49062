"""The dashboard (landing page per tenant) and the service-provider overview (all of a user's tenants)."""

from __future__ import annotations

import csv
import io
import json

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format, localize
from django.utils.translation import gettext as _, gettext_lazy
from django.views import View

from vendorvet.engine.spreadsheet import neutralize  # a tenant name that starts like a formula stays text
from vendorvet.web.accounts import roles
from vendorvet.web.accounts.models import memberships_of
from vendorvet.web.core.downloads import as_attachment
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.dashboard import figures, snapshots


class DashboardView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request):
        sections = figures.collect()
        tiers = next((s for s in sections if s.key == "inventory.tiers"), None)
        return render(request, "dashboard/dashboard.html", {
            "matrix": figures.tier_matrix(tiers.figures) if tiers else None,
            "sections": [{"section": s, "bars": bars(s.figures)} for s in sections if s.key != "inventory.tiers"],
            "charts": marked(snapshots.trends()),
            "several_tenants": len(getattr(request, "memberships", []) or []) > 1,
        })


def marked(charts: list[dict]) -> list[dict]:
    """Each chart's points as marks with their tooltip ("date: value"): every week's date is formatted once for
    all charts (the three series share their weeks), not once per point in the template."""
    days = {week: date_format(week, "SHORT_DATE_FORMAT") for c in charts for _x, _y, _v, week in c["points"]}
    for chart in charts:
        chart["marks"] = [(x, y, f"{days[week]}: {localize(value)}") for x, y, value, week in chart["points"]]
    return charts


def bars(section_figures) -> list[dict]:
    """A section's shares as bars for a small server-side SVG chart (empty when it has no shares)."""
    shares = [f for f in section_figures if f.count is not None and f.total]
    if len(shares) < 2:
        return []
    return [{"label": f.label, "count": f.count, "y": 10 * i, "text_y": 10 * i + 6,
             "width": f"{100 * f.count / f.total:.1f}", "tone": f.tone} for i, f in enumerate(shares)]


COLUMNS = [
    ("tenant", gettext_lazy("Tenant")),
    ("integrations", gettext_lazy("Integrations in use or under review")),
    ("risk", gettext_lazy("Tier 1–2 integrations not yet decided")),
    ("open", gettext_lazy("Open monitoring findings")),
    ("severe", gettext_lazy("Open critical or high findings")),
    ("overdue", gettext_lazy("Overdue reviews")),
    ("light", gettext_lazy("Status")),
]
LIGHTS = {"red": gettext_lazy("Action needed"), "amber": gettext_lazy("Watch"), "green": gettext_lazy("In order")}


def tenant_row(tenant, flat: dict) -> dict:
    """The key figures of one tenant from its flat figures (the caller has checked the membership)."""
    series = snapshots.series_values(flat)
    integrations = flat.get("inventory.active")
    if integrations is None:
        integrations = sum(v or 0 for k, v in flat.items() if k.startswith("inventory.tier")
                           and k.rsplit(".", 1)[1] in figures.ACTIVE_STATUSES)
    risk = flat.get("inventory.risk", series["risk"])
    severe = (flat.get("monitoring.severity.critical") or 0) + (flat.get("monitoring.severity.high") or 0)
    overdue = flat.get("assessments.review_overdue", series["overdue"])  # None: no review decided yet
    light = "red" if severe or overdue else "amber" if series["open"] or risk else "green"
    return {"tenant": tenant.name, "tenant_id": tenant.pk, "integrations": integrations, "risk": risk,
            "open": series["open"], "severe": severe, "overdue": overdue, "light": light}


def provider_rows(tenants: list) -> list[dict]:
    flats = figures.flat_per_tenant(tenants)
    return [tenant_row(t, flats[t.pk]) for t in tenants]


SORT_KEYS = [k for k, _label in COLUMNS]  # each ascending, or descending with a leading "-"
LIGHT_ORDER = {"red": 0, "amber": 1, "green": 2}


def sort_rows(rows: list[dict], sort: str) -> bool:
    """Sort the provider rows in place by a column key (``-key``: descending); False for an unknown key, which
    leaves the rows as they are (the web page ignores it, the API answers 400). Unknown figures sort first."""
    key = sort[1:] if sort.startswith("-") else sort
    if key not in SORT_KEYS:
        return False
    rows.sort(key=lambda r: LIGHT_ORDER[r["light"]] if key == "light" else r["tenant"].casefold()
              if key == "tenant" else (-1 if r[key] is None else r[key]), reverse=sort.startswith("-"))
    return True


class ProviderView(LoginRequiredMixin, View):
    """One table of every tenant the user is a member of — and of no other."""

    def get(self, request):
        rows = provider_rows([m.tenant for m in memberships_of(request.user)])
        sort = request.GET.get("sort", "tenant")
        sort_rows(rows, sort)
        fmt = request.GET.get("format", "")
        if fmt in ("csv", "json", "xlsx"):
            return _export(rows, fmt)
        columns = [{"key": k, "label": label, "state": "asc" if sort == k else "desc" if sort == f"-{k}" else "",
                    "next": f"-{k}" if sort == k else k} for k, label in COLUMNS]
        for row in rows:
            row["light_label"] = LIGHTS[row["light"]]
        return render(request, "dashboard/provider.html", {"rows": rows, "columns": columns, "sort": sort})


def _export(rows: list[dict], fmt: str) -> HttpResponse:
    keys = [k for k, _label in COLUMNS]
    header = [str(label) for _k, label in COLUMNS]
    values = [[str(LIGHTS[r["light"]]) if k == "light" else "" if r[k] is None else neutralize(r[k]) for k in keys]
              for r in rows]
    if fmt == "json":
        data = [{k: r[k] for k in keys} for r in rows]
        response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(header)
        writer.writerows(values)
        response = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = _("Tenants")[:31]
        sheet.append(header)
        for row in values:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    as_attachment(response, f"tenants.{fmt}")
    return response

"""The audit log page: tenant administrators see their tenant's events (and the logins of their members);
installation operators (superusers) see every event. Assessors and auditors do not see it."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from vendorvet.web.accounts import roles
from vendorvet.web.accounts.models import Membership, Tenant
from vendorvet.web.audit.models import AuditEvent
from vendorvet.web.core import texts

PAGE_SIZE = 50
KINDS = {
    "login": _("Login"),
    "login.failed": _("Failed login"),
    "logout": _("Logout"),
    "membership.added": _("Member added"),
    "membership.removed": _("Member removed"),
    "role.changed": _("Role changed"),
    "token.created": _("API token created"),
    "token.revoked": _("API token revoked"),
    "token.deleted": _("API token deleted"),
    "token.used": _("API token used"),
    "export.inventory": _("Inventory exported"),
    "export.ropa": _("Record of processing activities exported"),
    "export.tia": _("Transfer impact assessment exported"),
    "download.evidence": _("Evidence downloaded"),
    "download.contract": _("Contract downloaded"),
    "settings.changed": _("Settings changed"),
    "user.created": _("User account created"),
    "user.privileges_changed": _("User account flags changed"),
    "mfa.added": _("Second factor added"),
    "mfa.removed": _("Second factor removed"),
    "backup.created": _("Backup created"),
}
# events about a person rather than a tenant: an administrator sees them for the tenant's members
PERSONAL_KINDS = ("login", "login.failed", "logout", "mfa.added", "mfa.removed")
DETAIL_LABELS = {
    "username": _("user name tried"), "method": _("method"), "member": _("member"), "role": _("role"),
    "from_role": _("previous role"), "to_role": _("new role"), "token_name": _("token"), "owner": _("token owner"),
    "read_only": _("read only"), "expires": _("expires"), "format": _("format"), "filters": _("filters"),
    "view": _("view"), "file_name": _("file"), "setting": _("setting"), "action": _("action"),
    "fields": _("fields changed"), "account": _("account"), "changed": _("changed"),
    "encrypted": _("encrypted"), "tables": _("tables"), "files": _("files"),
}
SETTING_LABELS = {
    "inventory.tierpolicy": _("Tier policy"), "monitoring.monitoringsettings": _("Monitoring settings"),
    "monitoring.alertrule": _("Alert rule"), "scans.tenantscansettings": _("Scan settings"),
    "legal.ropasettings": _("Record of processing activities (header)"),
}
ACTIONS = {"create": _("created"), "update": _("changed"), "delete": _("deleted")}
ACTOR_KINDS = {"user": _("web"), "token": _("API"), "cli": _("command line"), "task": _("task"),
               "system": _("system")}


def _text(key: str, value) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if key == "setting":
        return str(SETTING_LABELS.get(value, value))
    if key in ("role", "from_role", "to_role") and value in roles.Role.values:
        return str(roles.Role(value).label)
    if key == "action" and value in ACTIONS:
        return str(ACTIONS[value])
    if isinstance(value, dict):
        return ", ".join(f"{texts.label_or(k)}: {_text(k, v)}" for k, v in value.items())
    if isinstance(value, list):
        if key == "fields":
            return ", ".join(texts.label_or(str(v)) for v in value) or "—"
        return ", ".join(_text(key, v) for v in value) or "—"
    return "—" if value in (None, "") else str(value)


def presented(event: AuditEvent) -> dict:
    details = [(DETAIL_LABELS.get(key) or texts.label_or(key), _text(key, value))
               for key, value in sorted(event.details.items()) if not key.endswith("_id")]
    return {"event": event, "label": KINDS.get(event.kind, event.kind), "details": details,
            "actor": ACTOR_KINDS.get(event.actor_kind, event.actor_kind)}


def _date(value: str, end: bool = False):
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


class AuditLogView(LoginRequiredMixin, View):
    def scope(self, request):
        if request.user.is_superuser:
            return AuditEvent.objects.all(), True
        tenant = getattr(request, "tenant", None)
        if tenant is None or not roles.has_perm(roles.MANAGE_MEMBERS):
            raise PermissionDenied("only administrators and operators read the audit log")
        members = Membership.objects.values("user_id")
        personal = Q(tenant_id__isnull=True, kind__in=PERSONAL_KINDS, user_id__in=members)
        return AuditEvent.objects.filter(Q(tenant_id=tenant.pk) | personal), False

    def get(self, request):
        qs, operator = self.scope(request)
        params = request.GET
        kind = params.get("kind", "")
        if kind in KINDS:
            qs = qs.filter(kind=kind)
        user = params.get("user", "").strip()[:150]
        if user:
            qs = qs.filter(username__icontains=user)
        ip = params.get("ip", "").strip()[:45]
        if ip:
            qs = qs.filter(ip__startswith=ip)
        since, until = _date(params.get("from", "")), _date(params.get("to", ""), end=True)
        if since:
            qs = qs.filter(time__gte=since)
        if until:
            qs = qs.filter(time__lte=until)
        tenants, selected_tenant = [], ""
        if operator:
            tenants = list(Tenant.objects.order_by("name").values_list("pk", "name"))
            selected_tenant = params.get("tenant", "")
            if selected_tenant == "none":
                qs = qs.filter(tenant_id__isnull=True)
            elif selected_tenant.isdigit() and len(selected_tenant) < 19:
                qs = qs.filter(tenant_id=int(selected_tenant))
        page = Paginator(qs.order_by("-seq"), PAGE_SIZE).get_page(params.get("page"))
        return render(request, "audit/log.html", {
            "page_obj": page, "rows": [presented(e) for e in page.object_list], "kinds": sorted(
                ((key, str(label)) for key, label in KINDS.items()), key=lambda item: item[1]),
            "selected_kind": kind, "user_filter": user, "ip_filter": ip, "from": params.get("from", "")[:10],
            "to": params.get("to", "")[:10], "operator": operator, "tenants": tenants,
            "selected_tenant": selected_tenant, "filtered": any(params.get(k) for k in
                                                                ("kind", "user", "ip", "from", "to", "tenant")),
        })

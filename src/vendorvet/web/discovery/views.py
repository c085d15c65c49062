"""Discovery pages: the list of discovered apps, one app, the upload page, an import's report,
and the panel on the integration page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from vendorvet.engine.discovery.errors import DiscoveryInputError
from vendorvet.web.accounts import roles
from vendorvet.web.core.i18n import content_language
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.discovery import proposals, sources
from vendorvet.web.discovery.forms import AcceptForm, RejectForm, RequiredScopesForm, UploadForm
from vendorvet.web.discovery.importer import (
    new_apps_since_last_import,
    reassess,
    revoked_since_last_import,
    risk_order,
    run_import,
)
from vendorvet.web.discovery.models import AppStatus, DiscoveredApp, Grant, ImportRun, ReviewState, Risk
from vendorvet.web.discovery.revocations import history_scopes
from vendorvet.web.inventory.io.safety import LimitedUploadHandler
from vendorvet.web.inventory.choices import DataCategory
from vendorvet.web.inventory.models import Integration

PAGE_SIZE = 100
MULTIPART_OVERHEAD = 64 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "VENDORVET_DISCOVERY_MAX_UPLOAD_BYTES", 256 * 1024 * 1024))


def decorate(apps) -> list[DiscoveredApp]:
    lang = content_language()
    rows = list(apps)
    for a in rows:
        a.reason_texts = [r.get(lang) or r.get("en", "") for r in a.risk_reasons or []]
        a.scope_rows = [{**s, "reason_text": (s.get("reason") or {}).get(lang, "")} for s in a.scopes or []]
        a.source_labels = [sources.label(s) for s in a.sources or []]
        suggested = proposals.suggestion(a)
        a.suggested_categories = [str(dict(DataCategory.choices).get(c, c)) for c in suggested.categories]
        a.suggested_kinds = [{**k, "text": k["label"].get(lang) or k["label"]["en"]} for k in suggested.kinds]
        a.suggestion_source = suggested.source
    return rows


class AppListView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request):
        apps = DiscoveredApp.objects.select_related("integration")
        review = request.GET.get("review", "")
        if review in ReviewState.values:
            apps = apps.filter(review_state=review)
        else:  # rejected apps are hidden unless asked for
            apps = apps.exclude(review_state=ReviewState.REJECTED)
        risk = request.GET.get("risk", "")
        if risk in Risk.values:
            apps = apps.filter(risk=risk)
        status = request.GET.get("status", "")
        if status in AppStatus.values:
            apps = apps.filter(status=status)
        q = request.GET.get("q", "").strip()[:100]
        if q:
            apps = apps.filter(name__icontains=q)
        ordered = sorted(apps.only("id", "name", "platform", "client_id", "sources", "status", "risk", "flags",
                                   "users_count", "hits", "last_seen", "integration__name", "integration_id",
                                   "first_import_id", "publisher", "object_id", "review_state"), key=risk_order)
        page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
        run, new = new_apps_since_last_import()
        new = [a for a in new if a.review_state != ReviewState.REJECTED]
        _run, revoked = revoked_since_last_import()
        return render(request, "discovery/app_list.html", {
            "page_obj": page, "apps": page.object_list, "risk": risk, "status": status, "q": q,
            "risks": Risk.choices, "statuses": AppStatus.choices, "review": review, "reviews": ReviewState.choices,
            "pending_count": proposals.pending().count(), "last_run": run, "new_apps": new[:20],
            "new_count": len(new), "runs": ImportRun.objects.order_by("-started", "-pk")[:10],
            "revoked_apps": revoked["apps"][:20], "revoked_grants": revoked["grants"][:20],
            "revoked_total": revoked["grants_total"],
        })


class AppDetailView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def _context(self, request, app, form=None, accept_form=None, reject_form=None):
        grants = Paginator(Grant.objects.filter(app=app).order_by("status", "principal"), PAGE_SIZE).get_page(
            request.GET.get("page"))
        initial = {"required_scopes": "\n".join(app.required_scopes or [])}
        name, vendor = proposals.suggested_names(app)
        accept_initial = {"name": name, "vendor": vendor,
                          "data_categories": list(proposals.suggestion(app).categories)}
        app = decorate([app])[0]
        app.history_rows = history_scopes(app, content_language())
        return {"app": app, "grants": grants, "form": form or RequiredScopesForm(initial=initial),
                "accept_form": accept_form or AcceptForm(initial=accept_initial),
                "reject_form": reject_form or RejectForm()}

    def get(self, request, pk):
        app = get_object_or_404(DiscoveredApp.objects.select_related("integration__vendor"), pk=pk)
        return render(request, "discovery/app_detail.html", self._context(request, app))

    def post(self, request, pk):
        roles.require(roles.CHANGE)
        app = get_object_or_404(DiscoveredApp, pk=pk)
        form = RequiredScopesForm(request.POST)
        if not form.is_valid():
            return render(request, "discovery/app_detail.html", self._context(request, app, form), status=400)
        app.required_scopes = form.scopes()
        reassess(app)
        messages.success(request, _("Required scopes saved; the risk was recomputed."))
        return redirect("discovery:app_detail", pk=app.pk)


class AcceptView(AppDetailView):
    """Accept a discovered app into the inventory (POST only)."""

    def get(self, request, pk):
        return redirect(get_object_or_404(DiscoveredApp, pk=pk))  # 404 for an app of another tenant

    def post(self, request, pk):
        roles.require(roles.ADD)
        app = get_object_or_404(DiscoveredApp, pk=pk)
        form = AcceptForm(request.POST)
        if form.is_valid():
            try:
                integration = proposals.accept(app, name=form.cleaned_data["name"],
                                               vendor_name=form.cleaned_data["vendor"],
                                               data_categories=form.cleaned_data["data_categories"])
            except proposals.ProposalError as exc:
                form.add_error(None, str(exc))
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Accepted into the inventory as %(name)s.") % {"name": integration.name})
                return redirect(integration.get_absolute_url())
        return render(request, "discovery/app_detail.html", self._context(request, app, accept_form=form),
                      status=400)


class RejectView(AppDetailView):
    """Reject a discovered app with a reason (POST only)."""

    def get(self, request, pk):
        return redirect(get_object_or_404(DiscoveredApp, pk=pk))  # 404 for an app of another tenant

    def post(self, request, pk):
        roles.require(roles.CHANGE)
        app = get_object_or_404(DiscoveredApp, pk=pk)
        form = RejectForm(request.POST)
        if form.is_valid():
            try:
                proposals.reject(app, form.cleaned_data["reason"])
            except proposals.ProposalError as exc:
                form.add_error(None, str(exc))
                messages.error(request, str(exc))
            else:
                messages.success(request, _("%(app)s rejected; it is hidden from the proposals.") % {"app": app.label})
                return redirect("discovery:app_list")
        return render(request, "discovery/app_detail.html", self._context(request, app, reject_form=form),
                      status=400)


class RunDetailView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request, pk):
        run = get_object_or_404(ImportRun, pk=pk)
        new = sorted(DiscoveredApp.objects.filter(first_import=run).select_related("integration"), key=risk_order)
        revoked = run.revoked or {}
        revoked_apps = sorted(DiscoveredApp.objects.filter(pk__in=[a["id"] for a in revoked.get("apps", [])]),
                              key=risk_order)
        return render(request, "discovery/run_detail.html", {
            "run": run, "new_apps": decorate(new), "revoked_apps": revoked_apps,
            "revoked_grants": revoked.get("grants", [])})


@method_decorator(csrf_exempt, name="dispatch")  # CSRF is checked in post(), after the upload limit is set
class UploadView(PermissionRequiredMixin, View):
    required_permission = roles.IMPORT

    def _page(self, request, form, error=None, status=200):
        return render(request, "discovery/upload.html", {
            "form": form, "error": error, "max_bytes": max_upload_bytes(), "sources": sources.descriptions()},
            status=status)

    def get(self, request):
        return self._page(request, UploadForm())

    def post(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = max_upload_bytes()
        too_large = _("The upload is larger than the limit of %(limit)s. Import big logs with the command line "
                      "(vendorvet discover …).") % {"limit": filesizeformat(limit)}
        if declared > limit + MULTIPART_OVERHEAD:
            return self._page(request, UploadForm(), error=too_large, status=413)
        handler = LimitedUploadHandler(request, limit=limit + MULTIPART_OVERHEAD)
        request.upload_handlers = [handler]
        return csrf_protect(self._post)(request, handler, too_large)

    def _post(self, request, handler, too_large):
        roles.require(roles.IMPORT)
        if handler.exceeded:
            return self._page(request, UploadForm(), error=too_large, status=413)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._page(request, form, status=400)
        uploads = form.cleaned_data["files"]
        paths = [u.temporary_file_path() for u in uploads]
        names = [u.name[:120] for u in uploads]
        try:
            report = run_import(form.cleaned_data["source"], paths, names=names)
        except DiscoveryInputError as exc:
            return self._page(request, form, error=_("Nothing was imported: %(reason)s") % {"reason": exc},
                              status=400)
        finally:
            for u in uploads:
                u.close()
        messages.success(request, _("Import finished: %(apps)d apps, %(new)d of them new.")
                         % {"apps": report.run.apps_seen, "new": report.run.apps_new})
        return redirect(report.run.get_absolute_url())


class IntegrationPanelView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request, pk):
        integration = get_object_or_404(Integration, pk=pk)
        apps = decorate(sorted(DiscoveredApp.objects.filter(integration=integration), key=risk_order))
        grants = {a.pk: Grant.objects.filter(app=a).order_by("status", "principal")[:20] for a in apps}
        for a in apps:
            a.grant_rows = grants[a.pk]
            a.grant_total = Grant.objects.filter(app=a).count()
        return render(request, "discovery/_integration_panel.html", {"integration": integration, "apps": apps})

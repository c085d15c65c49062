"""The vulnerability data page: the OSV database's state, and (administrators) importing a dump with progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from vendorvet.web.accounts import roles
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.supplychain import osvimport, services
from vendorvet.web.supplychain.forms import OsvImportForm


def _context(request, form=None) -> dict:
    state = osvimport.read_state()
    return {"osv": services.osv_status(), "job": state, "job_percent": osvimport.percent(state),
            "job_running": osvimport.running(), "form": form or OsvImportForm(),
            "can_import": roles.has_perm(osvimport.REQUIRED_PERMISSION),
            "allowed_paths": bool(osvimport.allowed_paths())}


class OsvDataView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request):
        return render(request, "supplychain/osv.html", _context(request))


class OsvProgressView(PermissionRequiredMixin, View):
    """The progress fragment (HTMX polls it while an import runs; the full page refreshes without script)."""

    required_permission = roles.VIEW

    def get(self, request):
        return render(request, "supplychain/_osv_progress.html", _context(request))


class OsvImportView(PermissionRequiredMixin, View):
    required_permission = osvimport.REQUIRED_PERMISSION

    def post(self, request):
        if request.POST.get("demo"):
            try:
                osvimport.start(osvimport.DEMO_SOURCE, label=_("demo vulnerability data"), cleanup=False,
                                user=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("supplychain:osv")
        form = OsvImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                if form.cleaned_data.get("file"):
                    upload = form.cleaned_data["file"]
                    if osvimport.running():
                        raise ValidationError(_("An import is already running; wait until it has finished."))
                    source = osvimport.save_upload(upload)
                    osvimport.start(source, label=upload.name[:200], cleanup=True, user=request.user)
                else:
                    path = osvimport.check_server_path(form.cleaned_data["server_path"])
                    osvimport.start(path, label=str(path), cleanup=False, user=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("supplychain:osv")
        return render(request, "supplychain/osv.html", _context(request, form), status=400)

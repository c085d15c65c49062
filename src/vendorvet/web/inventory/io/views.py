"""Web import (upload → dry-run preview → confirm) and export downloads.

The uploaded file is kept server-side under ``DATA_DIR/imports`` with a random name; the
session holds that name bound to the tenant and the user, so the confirm step never takes
a path (or a name) from the client. Pending files are deleted after use, on cancel, when
a new import starts, and by a sweep once they are older than :data:`PENDING_MAX_AGE`.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext, gettext_lazy as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from vendorvet.web.accounts import roles
from vendorvet.web.core.downloads import attachment, as_attachment
from vendorvet.web.core.security import audit
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.inventory.io import exporter, safety
from vendorvet.web.inventory.io.columns import column_set
from vendorvet.web.inventory.io.importer import REJECTED, require_import_permission, run_import
from vendorvet.web.inventory.io.safety import ImportFileError
from vendorvet.web.inventory.queries import IntegrationFilter

SESSION_KEY = "vendorvet_import_pending"
PENDING_MAX_AGE = 3600  # seconds
PREVIEW_ROW_LIMIT = 1000
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
MULTIPART_OVERHEAD = 64 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (CSV or XLSX)"),
                           help_text=_("German or English column headers; “;” or “,” delimited; "
                                       "UTF-8 or Windows-1252."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}))


class ImportConfirmForm(forms.Form):
    token = forms.RegexField(regex=TOKEN_RE, widget=forms.HiddenInput)
    partial = forms.BooleanField(label=_("Import the valid rows even if other rows are rejected"),
                                 required=False)


def _pending_path(token: str) -> Path:
    if not TOKEN_RE.match(token or ""):
        raise ValueError("bad import token")
    return safety.imports_dir() / f"{token}.upload"


def sweep_expired(now: float | None = None) -> int:
    """Delete pending uploads older than PENDING_MAX_AGE; returns how many."""
    now = time.time() if now is None else now
    removed = 0
    for path in safety.imports_dir().glob("*.upload"):
        try:
            if now - path.stat().st_mtime > PENDING_MAX_AGE:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def _discard_pending(request) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        try:
            _pending_path(pending.get("token", "")).unlink(missing_ok=True)
        except ValueError:
            pass


def _valid_pending(request, token: str) -> dict | None:
    pending = request.session.get(SESSION_KEY)
    if not pending or not secrets.compare_digest(str(pending.get("token", "")), token):
        return None
    if pending.get("tenant") != request.tenant.pk or pending.get("user") != request.user.pk:
        return None
    if time.time() - float(pending.get("created", 0)) > PENDING_MAX_AGE:
        return None
    if not _pending_path(token).exists():
        return None
    return pending


def _safe_display_name(name: str) -> str:
    name = Path(name or "").name
    return re.sub(r"[^\w.\- ]+", "_", name)[:120] or "upload"


@method_decorator(csrf_exempt, name="dispatch")  # CSRF is checked in post(), after the upload limit is set
class ImportView(PermissionRequiredMixin, View):
    required_permission = roles.IMPORT
    template_name = "inventory_io/import.html"

    def get(self, request):
        require_import_permission()
        sweep_expired()
        _discard_pending(request)
        return self._form_page(request, ImportUploadForm())

    def post(self, request):
        # Refuse an oversized body by its declared length before anything reads it, and cap
        # chunked uploads while they stream to disk.
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > safety.max_bytes() + MULTIPART_OVERHEAD:
            return self._form_page(request, ImportUploadForm(), error=str(safety.too_large_error(declared)),
                                   status=413)
        handler = safety.LimitedUploadHandler(request, limit=safety.max_bytes() + MULTIPART_OVERHEAD)
        request.upload_handlers = [handler]
        return csrf_protect(self._post)(request, handler)

    def _post(self, request, handler):
        require_import_permission()
        sweep_expired()
        if handler.exceeded:
            return self._form_page(request, ImportUploadForm(), error=str(safety.too_large_error()), status=413)
        if "apply" in request.POST or "cancel" in request.POST:
            return self._confirm(request)
        return self._upload(request)

    def _upload(self, request):
        _discard_pending(request)
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._form_page(request, form, status=400)
        upload = form.cleaned_data["file"]
        if upload.size > safety.max_bytes():
            return self._form_page(request, form, error=str(safety.too_large_error(upload.size)), status=413)
        token = secrets.token_hex(16)
        path = _pending_path(token)
        with open(path, "xb") as out:
            path.chmod(0o600)
            for chunk in upload.chunks():
                out.write(chunk)
        filename = _safe_display_name(upload.name)
        try:
            report = run_import(path, filename, dry_run=True)
        except ImportFileError as exc:
            path.unlink(missing_ok=True)
            return self._form_page(request, form, error=str(exc), status=400)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        request.session[SESSION_KEY] = {"token": token, "tenant": request.tenant.pk, "user": request.user.pk,
                                        "filename": filename, "created": time.time()}
        confirm = ImportConfirmForm(initial={"token": token, "partial": False})
        return self._report_page(request, report, filename, confirm)

    def _confirm(self, request):
        form = ImportConfirmForm(request.POST)
        token = request.POST.get("token", "")
        pending = _valid_pending(request, token) if form.is_valid() else None
        if pending is None:
            _discard_pending(request)
            messages.error(request, gettext("The uploaded file has expired or belongs to another session. "
                                            "Please upload it again."))
            return redirect("inventory_io:import")
        if "cancel" in request.POST:
            _discard_pending(request)
            messages.info(request, gettext("Import cancelled; nothing was stored."))
            return redirect("inventory_io:import")
        path = _pending_path(pending["token"])
        try:
            report = run_import(path, pending["filename"], partial=form.cleaned_data["partial"])
        except ImportFileError as exc:  # the file was checked before; only if the limits changed meanwhile
            _discard_pending(request)
            return self._form_page(request, ImportUploadForm(), error=str(exc), status=400)
        _discard_pending(request)
        return self._report_page(request, report, pending["filename"], None)

    def _form_page(self, request, form, error: str | None = None, status: int = 200):
        cs = column_set()
        return render(request, self.template_name, {
            "form": form,
            "error": error,
            "columns": [c for c in cs.columns if c.importable],
            "max_rows": cs.max_rows,
            "max_bytes": safety.max_bytes(),
        }, status=status)

    def _report_page(self, request, report, filename: str, confirm_form):
        rows = report.rows[:PREVIEW_ROW_LIMIT]
        return render(request, "inventory_io/report.html", {
            "report": report,
            "rows": rows,
            "hidden_rows": max(0, len(report.rows) - len(rows)),
            "counts": report.counts,
            "filename": filename,
            "confirm_form": confirm_form,
            "can_apply": confirm_form is not None and any(r.action != REJECTED for r in report.rows),
        })


class ExportView(PermissionRequiredMixin, View):
    required_permission = roles.EXPORT

    def get(self, request, fmt):
        if fmt not in exporter.FORMATS:
            raise Http404(gettext("Unknown export format."))
        qs = exporter.export_queryset(IntegrationFilter.from_params(request.GET))
        language = translation.get_language()
        filename = exporter.export_filename(fmt, request.tenant.slug)
        audit("export.inventory", request=request, format=fmt, filters=sorted(request.GET.keys()))
        if fmt == "xlsx":
            return attachment(exporter.xlsx_tempfile(qs, language=language), filename, exporter.CONTENT_TYPES["xlsx"])
        if fmt == "csv":
            delimiter = "," if request.GET.get("delimiter") == "," else ";"
            lines = exporter.iter_csv(qs, delimiter=delimiter, language=language)
        else:
            lines = exporter.iter_json(qs)
        return attachment(exporter.iter_bytes(lines), filename, exporter.CONTENT_TYPES[fmt])


class ImportTemplateView(PermissionRequiredMixin, View):
    """The empty spreadsheet to fill in, headed in the page's language (or ``?lang=de|en``); no tenant data."""

    required_permission = roles.IMPORT

    def get(self, request, fmt):
        from vendorvet.web.inventory.io import template

        if fmt not in template.FORMATS:
            raise Http404(gettext("Unknown export format."))
        language = request.GET.get("lang") if request.GET.get("lang") in ("de", "en") else translation.get_language()
        stem = "vendorvet-import-vorlage" if language[:2] == "de" else "vendorvet-import-template"
        if fmt == "csv":
            response = HttpResponse(template.template_csv(language), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(template.template_xlsx(language), content_type=exporter.CONTENT_TYPES["xlsx"])
        return as_attachment(response, f"{stem}.{fmt}")


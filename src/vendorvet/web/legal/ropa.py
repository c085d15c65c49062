"""The record of processing activities (GDPR Art. 30) generated from the inventory.

Controller view (Art. 30(1)): one row per integration where we are the controller. Processor view
(Art. 30(2)): one row per integration where we process on behalf of a controller. Exported as
XLSX, CSV and a printable page, in German or English (``translation.override``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import IO, Iterator

from django.utils import translation
from django.utils.translation import gettext as _

from vendorvet.web.inventory.choices import DataCategory, DataSubject, country_name
from vendorvet.web.inventory.models import Integration
from vendorvet.web.legal.models import IntegrationLegal, OurRole, RopaSettings, SubProcessor, TransferAssessment

VIEWS = ("controller", "processor")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Column:
    key: str
    article: str

    def label(self) -> str:
        return str(LABELS[self.key]())


LABELS = {
    "activity": lambda: _("Processing activity"),
    "controller": lambda: _("Controller on whose behalf we process"),
    "purpose": lambda: _("Purposes of the processing"),
    "legal_basis": lambda: _("Legal basis"),
    "subjects": lambda: _("Categories of data subjects"),
    "data": lambda: _("Categories of personal data"),
    "recipients": lambda: _("Recipients (processor and sub-processors)"),
    "countries": lambda: _("Countries of storage and processing"),
    "transfers": lambda: _("Third-country transfers and safeguards"),
    "erasure": lambda: _("Erasure periods"),
    "toms": lambda: _("Technical and organisational measures"),
    "department": lambda: _("Department"),
}
CONTROLLER_COLUMNS = [
    Column("activity", "30(1)(b)"), Column("purpose", "30(1)(b)"), Column("legal_basis", ""),
    Column("subjects", "30(1)(c)"), Column("data", "30(1)(c)"), Column("recipients", "30(1)(d)"),
    Column("countries", "30(1)(d)"), Column("transfers", "30(1)(e)"), Column("erasure", "30(1)(f)"),
    Column("toms", "30(1)(g)"), Column("department", ""),
]
PROCESSOR_COLUMNS = [
    Column("controller", "30(2)(a)"), Column("activity", "30(2)(b)"), Column("purpose", "30(2)(b)"),
    Column("recipients", "30(2)(a)"), Column("countries", "30(2)(c)"), Column("transfers", "30(2)(c)"),
    Column("toms", "30(2)(d)"),
]


def columns(view: str) -> list[Column]:
    return PROCESSOR_COLUMNS if view == "processor" else CONTROLLER_COLUMNS


def _basis_label(basis: str) -> str:
    return {
        "none_needed": _("no third-country transfer"),
        "adequacy": _("adequacy decision"),
        "dpf": _("EU-US Data Privacy Framework"),
        "scc": _("standard contractual clauses"),
    }.get(basis, basis)


def _transfers(integration: Integration, assessment: TransferAssessment | None) -> str:
    if assessment is None:
        return _("not assessed")
    result = assessment.result
    parts = []
    for dest in result.get("destinations", []):
        if dest.get("basis") == "none_needed":
            continue
        text = f"{country_name(dest['country'])}: {_basis_label(dest['basis'])}"
        if dest.get("decision"):
            text += f" ({dest['decision']})"
        elif dest.get("basis") == "scc" and result.get("scc_module"):
            text += " " + _("(module %(module)s, TIA)") % {"module": result["scc_module"]}
        parts.append(text)
    for onward in result.get("onward_transfers", []):
        if onward.get("basis") == "none_needed":
            continue
        text = _("onward to %(country)s: %(basis)s") % {"country": country_name(onward["country"]),
                                                       "basis": _basis_label(onward["basis"])}
        parts.append(text)
    return "; ".join(parts) or _("no third-country transfer")


def activities(view: str = "controller") -> list[Integration]:
    """The tenant's integrations for the view, with legal profile, sub-processors, latest assessment."""
    role = OurRole.PROCESSOR if view == "processor" else OurRole.CONTROLLER
    legal_by_integration = {lg.integration_id: lg for lg in IntegrationLegal.objects.all()}
    subs_by_vendor: dict[int, list[SubProcessor]] = {}
    for sp in SubProcessor.objects.order_by("name"):
        subs_by_vendor.setdefault(sp.vendor_id, []).append(sp)
    latest: dict[int, TransferAssessment] = {}
    for a in TransferAssessment.objects.order_by("integration_id", "-created", "-pk"):
        latest.setdefault(a.integration_id, a)
    result = []
    qs = Integration.objects.select_related("vendor").exclude(status="retired").exclude(
        data_categories=["none"]).order_by("name", "pk")
    for integration in qs:
        legal = legal_by_integration.get(integration.pk)
        our_role = legal.our_role if legal else OurRole.CONTROLLER
        if our_role != role:
            continue
        integration.legal_profile = legal
        integration.subs = subs_by_vendor.get(integration.vendor_id, [])
        integration.assessment = latest.get(integration.pk)
        result.append(integration)
    return result


def row(integration: Integration, view: str) -> dict[str, str]:
    legal = integration.legal_profile
    categories = dict(DataCategory.choices)
    subjects = dict(DataSubject.choices)
    countries = sorted(set(integration.processing_countries or [])
                       | set(legal.declared_countries if legal else []) | set(legal.recorded_countries if legal else []))
    vendor_role = _("controller") if legal and legal.vendor_role == "controller" else _("processor")
    recipients = [f"{integration.vendor.name} ({vendor_role})"]
    recipients += [f"{sp.name} ({country_name(sp.country)})" for sp in integration.subs]
    values = {
        "activity": f"{integration.name} – {integration.vendor.name}",
        "controller": legal.controller_name if legal else "",
        "purpose": integration.purpose,
        "legal_basis": legal.legal_basis if legal else "",
        "subjects": ", ".join(str(subjects.get(s, s)) for s in integration.data_subjects or []),
        "data": ", ".join(str(categories.get(c, c)) for c in integration.data_categories or []),
        "recipients": "; ".join(recipients),
        "countries": ", ".join(country_name(c) for c in countries),
        "transfers": _transfers(integration, integration.assessment),
        "erasure": legal.erasure_period if legal else "",
        "toms": legal.security_measures if legal else "",
        "department": integration.department,
    }
    return {c.key: values[c.key] or "" for c in columns(view)}


def build(view: str, language: str) -> dict:
    """Everything the exports and the printable page need, rendered in ``language``."""
    view = view if view in VIEWS else "controller"
    with translation.override(language):
        settings = RopaSettings.objects.first()
        cols = columns(view)
        rows = [row(i, view) for i in activities(view)]
        return {
            "view": view,
            "language": language,
            "columns": [{"key": c.key, "label": c.label(), "article": c.article} for c in cols],
            "rows": [[r[c.key] for c in cols] for r in rows],
            "settings": settings,
        }


def _safe(value: str) -> str:
    """Defuse spreadsheet formulas in user-entered text (CSV/XLSX injection)."""
    return f"'{value}" if value and value.startswith(FORMULA_START) else value


def iter_csv(data: dict, delimiter: str = ";") -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    yield "\ufeff"
    writer.writerow([c["label"] for c in data["columns"]])
    for r in data["rows"]:
        writer.writerow([_safe(v) for v in r])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    yield buf.getvalue()


def write_xlsx(data: dict, fh: IO[bytes]) -> int:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    with translation.override(data["language"]):
        title = (_("Record of processing (processor)") if data["view"] == "processor"
                 else _("Record of processing activities"))
        wb = Workbook()
        ws = wb.active
        ws.title = title[:31]
        ws.append([title])
        ws["A1"].font = Font(bold=True, size=13)
        s = data["settings"]
        if s is not None:
            for label, value in ((_("Controller"), s.controller), (_("Representative"), s.representative),
                                 (_("Data protection officer"), s.dpo)):
                if value:
                    ws.append([label, _safe(value)])
        ws.append([])
        ws.append([c["label"] for c in data["columns"]])
        header_row = ws.max_row
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
        ws.append([f"Art. {c['article']} GDPR" if c["article"] else "" for c in data["columns"]])
        for r in data["rows"]:
            ws.append([_safe(v) for v in r])
        for col in ws.iter_cols(min_row=header_row):
            ws.column_dimensions[col[0].column_letter].width = 32
            for cell in col:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = ws.cell(row=header_row + 2, column=1)
    wb.save(fh)
    return len(data["rows"])

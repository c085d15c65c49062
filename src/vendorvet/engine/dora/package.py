"""Write the register: the EBA xBRL-CSV report package (ZIP) for the supervisor, and an XLSX for people.

The package is written only from a register without validation errors: :func:`export_package` raises
:class:`RegisterInvalid` with every issue instead of producing a file a portal would reject (or worse, accept
with wrong data)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import vendorvet.engine.dora.definitions as definitions
from vendorvet.engine.dora.build import Tables, build
from vendorvet.engine.dora.model import Register
from vendorvet.engine.dora.validate import Issue, validate


class RegisterInvalid(ValueError):
    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__(f"{len(issues)} problem(s) in the register of information; nothing was written")


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def package_name(register: Register, created: dt.datetime) -> str:
    """{LEI}.{IND|CON}_{country}_DORA010100_DORA_{reference date}_{yyyymmddhhmmssfff} (the EBA sample's pattern)."""
    entity = register.entity
    country = (entity.authority_country or entity.country).upper()
    stamp = created.strftime("%Y%m%d%H%M%S") + f"{created.microsecond // 1000:03d}"
    module = definitions.taxonomy()["module_code"]
    return (f"{entity.lei}.{entity.consolidation}_{country}_{module}_DORA_"
            f"{register.reference_date.isoformat()}_{stamp}")


def parameters(register: Register) -> list[tuple[str, str]]:
    settings = definitions.package_settings()
    values = {
        "entityID": f"rs:{register.entity.lei}.{register.entity.consolidation}",
        "refPeriod": register.reference_date.isoformat(),
        "baseCurrency": f"iso4217:{register.entity.currency.upper()}",
        "decimalsInteger": str(settings["decimals_integer"]),
        "decimalsMonetary": str(settings["decimals_monetary"]),
    }
    return [(name, values[name]) for name in settings["parameters"]]


def package_files(register: Register, tables: Tables, created: dt.datetime) -> tuple[str, dict[str, bytes]]:
    """(package name, {path inside the ZIP: content}) — one top-level folder named like the package."""
    settings = definitions.package_settings()
    name = package_name(register, created)
    files = {
        f"{name}/META-INF/reportPackage.json": json.dumps(
            {"documentInfo": {"documentType": settings["report_package_document_type"]}}, indent=2).encode(),
        f"{name}/reports/report.json": json.dumps(
            {"documentInfo": {"documentType": settings["xbrl_csv_document_type"],
                              "extends": [definitions.taxonomy()["entry_point"]]}}, indent=2).encode(),
        f"{name}/reports/parameters.csv": _csv(["name", "value"], [list(p) for p in parameters(register)]),
        f"{name}/reports/FilingIndicators.csv": _csv(
            ["templateID", "reported"], [[t, "true"] for t in definitions.templates()]),
    }
    for template_id, template in definitions.templates().items():
        rows = [[row.values.get(code, "") for code in template.codes] for row in tables.get(template_id, [])]
        files[f"{name}/reports/{template.file_name}"] = _csv(list(template.codes), rows)
    return name, files


def export_package(register: Register, created: dt.datetime | None = None) -> tuple[str, bytes]:
    """(file name, ZIP bytes) of the report package; raises :class:`RegisterInvalid` listing every issue."""
    tables = build(register)
    issues = validate(tables, register.reporting_date)
    if issues:
        raise RegisterInvalid(issues)
    name, files = package_files(register, tables, created or dt.datetime.now(dt.timezone.utc))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return f"{name}.zip", buffer.getvalue()


def export_xlsx(register: Register, language: str = "en") -> bytes:
    """The register for people: one sheet per template (column labels over the codes) and a sheet of the issues
    still open — written also when there are issues, which it lists."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    tables = build(register)
    issues = validate(tables, register.reporting_date)
    book = Workbook()
    summary = book.active
    summary.title = "Issues" if language != "de" else "Probleme"
    summary.append(["Template", "Row", "Column", "Subject", "Problem"] if language != "de"
                   else ["Vorlage", "Zeile", "Spalte", "Gegenstand", "Problem"])
    for issue in issues:
        summary.append([issue.template, issue.row or "", issue.column, issue.subject,
                        issue.message_de if language == "de" else issue.message])
    if not issues:
        summary.append(["", "", "", "", "No problems found." if language != "de" else "Keine Probleme gefunden."])
    for template_id, template in definitions.templates().items():
        sheet = book.create_sheet(template_id)
        sheet.append([c.label for c in template.columns])
        sheet.append(list(template.codes))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in tables.get(template_id, []):
            sheet.append([row.values.get(code, "") for code in template.codes])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

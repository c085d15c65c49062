"""The empty import template: the columns the importer accepts, headed in German or English.

CSV: one header row (semicolon, UTF-8 with BOM, as German Excel opens it). XLSX: the header row on the first
sheet, and a second sheet listing every column with its German and English name and the other accepted spellings.
"""

from __future__ import annotations

import csv
import io

from vendorvet.web.inventory.io.columns import Column, column_set

FORMATS = ("csv", "xlsx")


def template_columns() -> list[Column]:
    return [c for c in column_set().columns if c.importable]


def template_csv(language: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerow([c.header(language) for c in template_columns()])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(language: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    german = language[:2] == "de"
    columns = template_columns()
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Integrationen" if german else "Integrations"
    bold = Font(bold=True)
    for i, col in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=i, value=col.header(language))
        cell.font = bold
        cell.data_type = "s"
        sheet.column_dimensions[get_column_letter(i)].width = 40 if col.key in ("purpose", "notes", "endpoints") else 20
    sheet.freeze_panes = "A2"
    ref = wb.create_sheet("Spalten" if german else "Columns")
    heads = (["Deutsch", "English", "Ebenfalls erkannt", "Pflicht"] if german
             else ["German", "English", "Also accepted", "Required"])
    ref.append(heads)
    for c in ref[1]:
        c.font = bold
    yes, no = ("ja", "nein") if german else ("yes", "no")
    for col in columns:
        ref.append([col.header_de, col.header_en, ", ".join(col.aliases), yes if col.required else no])
    for letter, width in zip("ABCD", (30, 30, 50, 10)):
        ref.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

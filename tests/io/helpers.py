"""Shared helpers for the import/export tests (also used by tests/cli/test_import_export.py)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def sparse_file(path: Path, size: int) -> Path:
    """A file of ``size`` bytes without writing them (sparse): as fast as a stat."""
    with open(path, "wb") as fh:
        fh.write(b"Vendor;Integration\n")
        fh.truncate(size)
    return path


def zip_bomb_xlsx(path: Path, expanded: int = 64 * 1024 * 1024) -> Path:
    """A minimal, structurally valid XLSX whose sheet part expands to ``expanded`` bytes of zeros."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'),
        "xl/workbook.xml": '<?xml version="1.0"?><workbook/>',
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b"\0" * (1024 * 1024)
            for _ in range(expanded // len(block)):
                fh.write(block)
    return path


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def integration_state(tenant) -> list[dict]:
    """Comparable content of a tenant's inventory (no ids, timestamps or discovery source)."""
    from vendorvet.web.core.context import use_tenant
    from vendorvet.web.inventory.models import Integration

    fields = ["name", "kind", "purpose", "business_owner", "department", "status", "data_categories",
              "data_subjects", "approx_users", "approx_records", "processing_countries", "access_scope",
              "outage_impact", "tags", "notes", "tier"]
    out = []
    with use_tenant(tenant):
        for i in Integration.objects.select_related("vendor").prefetch_related("endpoints").order_by("name"):
            row = {f: getattr(i, f) for f in fields}
            row["vendor"] = (i.vendor.name, i.vendor.country, i.vendor.website)
            row["endpoints"] = sorted(e.url for e in i.endpoints.all())
            out.append(row)
    return out

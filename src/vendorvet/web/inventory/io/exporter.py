"""Export the inventory as CSV, XLSX or JSON — streamed, with formula injection neutralised.

CSV and XLSX use the import columns (so an export imports back unchanged): headers and
choice labels in the requested language, countries as ISO codes, multi-values joined with
`` | ``. JSON is a list of integrations with their vendor and endpoints, keys in a fixed
order, stored keys as values. Every export takes the list's filters
(:class:`~vendorvet.web.inventory.queries.IntegrationFilter`) and needs the ``export``
permission.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections import defaultdict
from itertools import islice
from typing import IO, Iterable, Iterator

from django.db.models import QuerySet
from django.utils import timezone, translation

from vendorvet.web.accounts import roles
from vendorvet.web.inventory.io.columns import Column, column_set, format_cell, neutralize
from vendorvet.web.inventory.models import Endpoint, Integration
from vendorvet.web.inventory.queries import IntegrationFilter, filter_integrations

FORMATS = ("csv", "xlsx", "json")
CHUNK_SIZE = 250
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def export_queryset(f: IntegrationFilter) -> QuerySet[Integration]:
    """The filtered integrations with their vendor, in the list's order (endpoints come per chunk in _rows)."""
    roles.require(roles.EXPORT)
    return filter_integrations(Integration.objects.select_related("vendor"), f)


def _rows(qs: QuerySet[Integration]) -> Iterator[Integration]:
    """The integrations one chunk at a time, each with ``export_endpoint_urls`` set.

    Endpoint URLs are read per chunk as plain values, not prefetched model instances: a prefetch links every
    endpoint back to its integration, and those reference cycles outlive the chunk until a full garbage
    collection — in a long-running process, an export of 10,000 rows then held thousands of them at once.
    """
    rows = qs.iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        urls: dict[int, list[str]] = defaultdict(list)
        # the ids come from the tenant-scoped list; a streamed response runs after the request's tenant scope ended
        endpoints = Endpoint.all_tenants.filter(integration_id__in=[i.pk for i in chunk]).order_by("url")
        for integration_id, url in endpoints.values_list("integration_id", "url"):
            urls[integration_id].append(url)
        for integration in chunk:
            integration.export_endpoint_urls = urls.get(integration.pk, [])
        yield from chunk
        del chunk




def export_columns() -> list[Column]:
    return list(column_set().columns)


def _value(col: Column, integration: Integration):
    if col.target == "endpoints":
        return integration.export_endpoint_urls
    model, name = col.model, col.field
    obj = integration.vendor if model == "vendor" else integration
    return getattr(obj, name)


def row_values(integration: Integration, columns: list[Column], language: str | None) -> list:
    with translation.override(language):
        return [neutralize(format_cell(c, _value(c, integration))) for c in columns]


# -- CSV ---------------------------------------------------------------------

class _Echo:
    def write(self, value: str) -> str:
        return value


def iter_csv(qs: QuerySet[Integration], *, delimiter: str = ";", language: str | None = None) -> Iterator[str]:
    """CSV lines: BOM first (so Excel reads UTF-8), every cell quoted, formulas neutralised."""
    columns = export_columns()
    writer = csv.writer(_Echo(), delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([neutralize(c.header(language)) for c in columns])
    for integration in _rows(qs):
        yield writer.writerow(row_values(integration, columns, language))


def write_csv(qs, out: IO[str], **kwargs) -> None:
    for line in iter_csv(qs, **kwargs):
        out.write(line)


# -- JSON --------------------------------------------------------------------

def integration_dict(i: Integration) -> dict:
    v = i.vendor
    return {
        "id": i.pk,
        "name": i.name,
        "vendor": {"id": v.pk, "name": v.name, "country": v.country, "website": v.website},
        "kind": i.kind,
        "purpose": i.purpose,
        "business_owner": i.business_owner,
        "department": i.department,
        "status": i.status,
        "tier": i.tier,
        "data_categories": list(i.data_categories or []),
        "data_subjects": list(i.data_subjects or []),
        "approx_users": i.approx_users,
        "approx_records": i.approx_records,
        "processing_countries": list(i.processing_countries or []),
        "access_scope": i.access_scope,
        "outage_impact": i.outage_impact,
        "discovery_source": i.discovery_source,
        "tags": list(i.tags or []),
        "notes": i.notes,
        "endpoints": i.export_endpoint_urls,
        "created": i.created.isoformat() if i.created else None,
        "last_updated": i.last_updated.isoformat() if i.last_updated else None,
    }


def iter_json(qs: QuerySet[Integration]) -> Iterator[str]:
    first = True
    yield "["
    for integration in _rows(qs):
        yield ("\n  " if first else ",\n  ") + json.dumps(integration_dict(integration), ensure_ascii=False)
        first = False
    yield "\n]\n" if not first else "]\n"


# -- XLSX --------------------------------------------------------------------

def write_xlsx(qs: QuerySet[Integration], out: IO[bytes], *, language: str | None = None) -> int:
    """Write a workbook (write-only mode: rows stream to disk). Returns the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    columns = export_columns()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title="Integrations")
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value, header: bool = False):
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # never a formula, whatever the text
        if header:
            c.font = bold
        return c

    for i, col in enumerate(columns, start=1):
        width = 40 if col.key in ("purpose", "notes", "endpoints") else 18
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.append([cell(neutralize(c.header(language)), header=True) for c in columns])
    count = 0
    for integration in _rows(qs):
        ws.append([cell(v) for v in row_values(integration, columns, language)])
        count += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    wb.save(out)
    return count


def xlsx_tempfile(qs: QuerySet[Integration], *, language: str | None = None) -> IO[bytes]:
    """The workbook in a temporary file (deleted on close), positioned at the start."""
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    write_xlsx(qs, tmp, language=language)
    tmp.seek(0)
    return tmp


def export_filename(fmt: str, tenant_slug: str) -> str:
    """A safe attachment name: ASCII letters, digits, dash, dot."""
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch == "-") else "-" for ch in tenant_slug)[:60]
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    return f"vendorvet-{safe or 'export'}-integrations-{stamp}.{fmt}"


def iter_bytes(lines: Iterable[str]) -> Iterator[bytes]:
    buf = io.StringIO()
    for line in lines:
        buf.write(line)
        if buf.tell() >= 64 * 1024:
            yield buf.getvalue().encode("utf-8")
            buf = io.StringIO()
    if buf.tell():
        yield buf.getvalue().encode("utf-8")

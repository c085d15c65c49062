"""The Art. 30 register export (XLSX/CSV) writes hostile cells inert, by the one rule of engine/spreadsheet.py.

A text starting with ``= + - @``, a tab or CR gets one leading ``'`` — legitimate values such as ``-5`` or
a phone number ``+49 40 …`` too, since a spreadsheet would run those as well; a text that already starts with
quotes before such a character gets one more, so reading a cell back through ``unneutralize`` (the reader
rule of the inventory import and questionnaire workbooks) gives every original value exactly.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from tests.conftest import acting
from vendorvet.engine.spreadsheet import unneutralize

pytestmark = pytest.mark.django_db

# purpose written → what the cell must hold
HOSTILE = {
    "=HYPERLINK(\"http://evil.example\",\"x\")": "'=HYPERLINK(\"http://evil.example\",\"x\")",
    "+SUM(1,2)": "'+SUM(1,2)",
    "-5": "'-5",
    "@cmd": "'@cmd",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
    "+49 40 123456": "'+49 40 123456",
    "'=already quoted": "''=already quoted",  # without the extra quote, the reader would drop the user's own
    "''-x": "'''-x",
    "Plain purpose, 5 = 5": "Plain purpose, 5 = 5",
    "it's fine": "it's fine",
}


@pytest.fixture
def hostile(legal_a, tenant_a):
    from vendorvet.web.inventory.models import Integration

    with acting(tenant_a):
        for n, purpose in enumerate(HOSTILE):
            Integration.objects.create(name=f"Hostile {n:02d}", vendor=legal_a["hosting"],
                                       data_categories=["personal"], purpose=purpose, department="-Finance")
    return legal_a


def _xlsx_rows(client) -> tuple[list[list], int]:
    response = client.get(reverse("legal:ropa_xlsx") + "?lang=en&include=all")
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Processing activity")
    return rows, header


def test_xlsx_cells_are_inert_and_read_back_exactly(assessor_a, hostile, login):
    client = login(assessor_a)
    client.post(reverse("legal:ropa"), {"controller": "+49 40 555 Nordlicht", "representative": "'@rep",
                                        "dpo": "=HYPERLINK(\"x\")"})
    rows, header = _xlsx_rows(client)
    head = {r[0]: r[1] for r in rows[1:header] if r and r[1] is not None}
    assert head == {"Controller": "'+49 40 555 Nordlicht", "Representative": "''@rep",
                    "Data protection officer": "'=HYPERLINK(\"x\")"}
    assert {unneutralize(v) for v in head.values()} == {"+49 40 555 Nordlicht", "'@rep", "=HYPERLINK(\"x\")"}
    labels = rows[header]
    purpose, department = labels.index("Purposes of the processing"), labels.index("Department")
    written = {r[0]: (r[purpose], r[department]) for r in rows[header + 2:] if r[0].startswith("Hostile")}
    for n, (original, cell) in enumerate(HOSTILE.items()):
        if original.startswith("\r"):
            # XML (so XLSX, as openpyxl writes it) stores a bare CR as a line end: it comes back as LF behind
            # the quote — still inert, but the one value that does not read back exactly (CSV keeps it)
            assert written[f"Hostile {n:02d} – Berlin Hosting GmbH"][0] == "'\n=1+1"
            continue
        assert written[f"Hostile {n:02d} – Berlin Hosting GmbH"] == (cell, "'-Finance"), original
        assert unneutralize(cell) == original
    # no cell of the whole sheet is left that a spreadsheet would run
    assert not [v for r in rows for v in r if isinstance(v, str) and v and v[0] in "=+-@\t\r"]


def test_csv_cells_are_inert_and_read_back_exactly(assessor_a, hostile, login):
    client = login(assessor_a)
    response = client.get(reverse("legal:ropa_csv") + "?lang=en&include=all")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))
    purpose, department = rows[0].index("Purposes of the processing"), rows[0].index("Department")
    written = {r[0]: (r[purpose], r[department]) for r in rows[1:] if r[0].startswith("Hostile")}
    for n, (original, cell) in enumerate(HOSTILE.items()):
        assert written[f"Hostile {n:02d} – Berlin Hosting GmbH"] == (cell, "'-Finance"), original
        assert unneutralize(cell) == original
    assert not [v for r in rows for v in r if v and v[0] in "=+-@\t\r"]

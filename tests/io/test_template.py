"""The import template download: CSV and XLSX, German or English headers, every importable column, and the
importer's own reader recognises every header of it (no column ignored)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from tests.support.downloads import assert_download
from vendorvet.web.inventory.io.columns import column_set
from vendorvet.web.inventory.io.readers import read_file

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_template_headers_are_the_ones_the_importer_reads(client, tenant_a, admin_a, tmp_path, fmt, lang):
    client.force_login(admin_a)
    response = client.get(reverse("inventory_io:import_template", args=[fmt]), {"lang": lang})
    assert response.status_code == 200
    stem = "vendorvet-import-vorlage" if lang == "de" else "vendorvet-import-template"
    assert assert_download(response) == f"{stem}.{fmt}"
    path = tmp_path / f"template.{fmt}"
    path.write_bytes(response.content)
    parsed = read_file(path)
    importable = [c for c in column_set().columns if c.importable]
    assert parsed.ignored_headers == []
    assert {c.key for c in parsed.columns.values()} == {c.key for c in importable}
    expected = [c.header_de if lang == "de" else c.header_en for c in importable]
    if fmt == "csv":
        first = response.content.decode("utf-8-sig").splitlines()[0]
        assert first.split(";") == expected
    else:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(response.content), read_only=True)
        header = next(wb.worksheets[0].iter_rows(values_only=True))
        assert list(header) == expected
        reference = list(wb.worksheets[1].iter_rows(values_only=True))[1:]
        assert [(r[0], r[1]) for r in reference] == [(c.header_de, c.header_en) for c in importable]


def test_import_page_links_the_templates_and_unknown_format_is_404(client, tenant_a, admin_a, auditor_a):
    client.force_login(admin_a)
    page = client.get(reverse("inventory_io:import")).content.decode()
    for fmt in ("csv", "xlsx"):
        for lang in ("de", "en"):
            assert f'{reverse("inventory_io:import_template", args=[fmt])}?lang={lang}' in page
    assert client.get(reverse("inventory_io:import_template", args=["json"])).status_code == 404
    client.force_login(auditor_a)
    assert client.get(reverse("inventory_io:import_template", args=["csv"])).status_code == 403

"""Web import (upload → preview → confirm) and export downloads, through the Django test client."""

from __future__ import annotations

import json

import openpyxl
import io
import pytest
from django.core.files.uploadhandler import StopUpload
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.io.helpers import FIXTURES
from tests.support.downloads import assert_download
from vendorvet.web.core.context import use_tenant
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.inventory.io import safety, views
from vendorvet.web.inventory.models import Integration, Vendor

pytestmark = pytest.mark.django_db
IMPORT_URL = "/integrations/import/"


def _pending_files():
    return sorted(p.name for p in safety.imports_dir().glob("*.upload"))


@pytest.fixture(autouse=True)
def own_data_dir(settings, tmp_path):
    """Each test gets its own DATA_DIR, so pending uploads of parallel runs never mix."""
    settings.DATA_DIR = tmp_path / "data"
    yield


def _upload(client, name="inventar_de.csv", content=None):
    data = content if content is not None else (FIXTURES / name).read_bytes()
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data), "upload": "1"})


def _count(tenant):
    with use_tenant(tenant):
        return Integration.objects.count(), Vendor.objects.count(), ObjectChange.objects.count()


def test_urls_are_stable():
    assert reverse("inventory_io:import") == IMPORT_URL
    assert reverse("inventory_io:export", args=["csv"]) == "/integrations/export.csv"


def test_upload_preview_confirm(client, tenant_a, assessor_a):
    client.force_login(assessor_a)
    page = client.get(IMPORT_URL)
    assert page.status_code == 200 and b'type="file"' in page.content and b"Name der Anwendung" in page.content

    preview = _upload(client)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Dry run" in html and "Personio" in html and "3 created" in html and 'name="apply"' in html
    assert _count(tenant_a)[:2] == (0, 0)
    with use_tenant(tenant_a):
        assert not ObjectChange.objects.filter(actor_label="arne.assessor").exists()
    pending = client.session[views.SESSION_KEY]
    assert pending["tenant"] == tenant_a.pk and pending["user"] == assessor_a.pk
    assert _pending_files() == [pending["token"] + ".upload"]

    done = client.post(IMPORT_URL, {"token": pending["token"], "apply": "1"})
    assert done.status_code == 200
    assert "The import was stored." in done.content.decode()
    assert _count(tenant_a)[:2] == (3, 3)
    assert _pending_files() == [] and views.SESSION_KEY not in client.session
    with use_tenant(tenant_a):
        assert ObjectChange.objects.filter(actor_label="arne.assessor", actor_kind="user").count() >= 6

    again = client.post(IMPORT_URL, {"token": pending["token"], "apply": "1"})
    assert again.status_code == 302
    assert _count(tenant_a)[:2] == (3, 3)


def test_xlsx_upload(client, tenant_a, admin_a):
    client.force_login(admin_a)
    preview = _upload(client, "inventar_de.xlsx")
    assert preview.status_code == 200 and "Microsoft 365" in preview.content.decode()


def test_rejected_rows_and_partial_checkbox(client, tenant_a, admin_a):
    client.force_login(admin_a)
    content = "Vendor;Integration;Status\nAcme;Good;approved\nAcme;Bad;wrong-status\n".encode()
    preview = _upload(client, "x.csv", content)
    html = preview.content.decode()
    assert "1 rejected" in html and "Unknown value “wrong-status”." in html and 'name="partial"' in html
    token = client.session[views.SESSION_KEY]["token"]
    result = client.post(IMPORT_URL, {"token": token, "apply": "1"})
    assert "Nothing was stored" in result.content.decode() and _count(tenant_a)[0] == 0

    _upload(client, "x.csv", content)
    token = client.session[views.SESSION_KEY]["token"]
    result = client.post(IMPORT_URL, {"token": token, "apply": "1", "partial": "on"})
    assert "The valid rows were imported" in result.content.decode()
    with use_tenant(tenant_a):
        assert list(Integration.objects.values_list("name", flat=True)) == ["Good"]


def test_pending_file_is_bound_to_user_and_session(client, tenant_a, admin_a, assessor_a):
    from django.test import Client

    client.force_login(assessor_a)
    _upload(client)
    token = client.session[views.SESSION_KEY]["token"]
    other = Client()
    other.force_login(admin_a)
    response = other.post(IMPORT_URL, {"token": token, "apply": "1"})
    assert response.status_code == 302 and _count(tenant_a)[0] == 0
    # a forged token or path never reaches the file system
    response = client.post(IMPORT_URL, {"token": "../../etc/passwd", "apply": "1"})
    assert response.status_code == 302 and _count(tenant_a)[0] == 0


def test_cancel_deletes_the_upload(client, tenant_a, admin_a):
    client.force_login(admin_a)
    _upload(client)
    token = client.session[views.SESSION_KEY]["token"]
    assert _pending_files()
    response = client.post(IMPORT_URL, {"token": token, "cancel": "1"})
    assert response.status_code == 302 and _pending_files() == [] and _count(tenant_a)[0] == 0


def test_expired_uploads_are_swept(client, tenant_a, admin_a):
    import os
    import time

    client.force_login(admin_a)
    _upload(client)
    token = client.session[views.SESSION_KEY]["token"]
    path = safety.imports_dir() / f"{token}.upload"
    old = time.time() - views.PENDING_MAX_AGE - 10
    os.utime(path, (old, old))
    assert views.sweep_expired() == 1 and not path.exists()
    response = client.post(IMPORT_URL, {"token": token, "apply": "1"})
    assert response.status_code == 302 and _count(tenant_a)[0] == 0


@pytest.mark.parametrize("name,content,message", [
    ("bad.csv", b"Vendor;Integration\nA;B;C;D\n", "ragged"),
    ("fake.xlsx", b"Vendor;Integration\n", "not an Excel workbook"),
    ("garbage.csv", bytes(range(256)) * 20, "binary"),
    ("noheader.csv", b"a;b\n1;2\n", "No header row"),
], ids=["ragged", "fake-xlsx", "binary", "no-header"])
def test_hostile_uploads_show_an_error_and_store_nothing(client, tenant_a, admin_a, name, content, message):
    client.force_login(admin_a)
    response = _upload(client, name, content)
    assert response.status_code == 400 and message in response.content.decode()
    assert _pending_files() == [] and _count(tenant_a)[:2] == (0, 0)


def test_too_large_upload_is_refused_before_reading(client, tenant_a, admin_a, settings):
    settings.VENDORVET_IMPORT_MAX_BYTES = 1000
    client.force_login(admin_a)
    response = _upload(client, "big.csv", b"Vendor;Integration\n" + b"Acme;App\n" * 20_000)
    assert response.status_code == 413 and "larger than the limit" in response.content.decode()
    response = _upload(client, "big.csv", b"Vendor;Integration\n" + b"Acme;App\n" * 500)  # within overhead
    assert response.status_code == 413
    assert _pending_files() == [] and _count(tenant_a)[:2] == (0, 0)


def test_upload_handler_stops_streaming_past_the_limit():
    handler = safety.LimitedUploadHandler(None, limit=10)
    handler.new_file("file", "x.csv", "text/csv", None)
    handler.receive_data_chunk(b"12345", 0)
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"123456", 5)
    assert handler.exceeded


def test_import_needs_the_import_permission(client, tenant_a, auditor_a):
    client.force_login(auditor_a)
    assert client.get(IMPORT_URL).status_code == 403
    assert _upload(client).status_code == 403
    assert _count(tenant_a)[0] == 0 and _pending_files() == []


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(IMPORT_URL).status_code == 302
    assert client.get("/integrations/export.csv").status_code == 302


def test_export_downloads(client, tenant_a, auditor_a, make_integration):
    make_integration(tenant_a, name="Approved App", status="approved", notes='=HYPERLINK("http://evil.example")')
    make_integration(tenant_a, name="Proposed App", status="proposed")
    client.force_login(auditor_a)

    response = client.get("/integrations/export.csv?status=approved")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    name = assert_download(response)
    assert name.startswith("vendorvet-nordlicht-integrations-") and name.endswith(".csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff") and "Approved App" in body and "Proposed App" not in body
    assert "'=HYPERLINK" in body

    response = client.get("/integrations/export.xlsx")
    assert response.status_code == 200 and assert_download(response).endswith(".xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert ws.max_row == 3 and ws["A1"].font.b

    response = client.get("/integrations/export.json?q=proposed")
    items = json.loads(b"".join(response.streaming_content))
    assert [i["name"] for i in items] == ["Proposed App"]

    assert client.get("/integrations/export.exe").status_code == 404


def test_export_needs_a_tenant_membership(client, tenant_a, tenant_b, admin_b, make_integration):
    make_integration(tenant_a, name="A's secret")
    client.force_login(admin_b)
    body = b"".join(client.get("/integrations/export.csv").streaming_content).decode()
    assert "A's secret" not in body


def test_german_import_page(client, tenant_a, admin_a):
    client.force_login(admin_a)
    response = client.get(IMPORT_URL, HTTP_ACCEPT_LANGUAGE="de")
    html = response.content.decode()
    assert "Inventar importieren" in html and "Datei prüfen (Probelauf)" in html
    preview = client.post(IMPORT_URL, {"file": SimpleUploadedFile("x.csv", b"Vendor;Integration;Status\nA;B;kaputt\n"),
                                       "upload": "1"}, HTTP_ACCEPT_LANGUAGE="de")
    html = preview.content.decode()
    assert "Unbekannter Wert „kaputt“." in html and "1 abgelehnt" in html

"""The standard questionnaires through the pages and the API: a completed CSA CAIQ v4 uploaded on the review becomes
vendor-stated suggestions; a malformed sheet is refused inline (German, row and column) with nothing stored; the
vendor reads and returns our questionnaire as a spreadsheet through the personal link; the API imports a CAIQ."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from tests.conftest import acting
from tests.engine_questionnaires import caiq_layout
from tests.questionnaires.conftest import link_of, path_of
from tests.support.downloads import assert_download

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(data: bytes, name="caiq.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def _count(tenant):
    from vendorvet.web.questionnaires.models import Questionnaire, QuestionnaireItem

    with acting(tenant):
        return Questionnaire.objects.count(), QuestionnaireItem.objects.count()


def test_review_page_offers_ask_the_vendor_and_the_caiq_import(started, assessor_a, login):
    page = login(assessor_a).get(started.get_absolute_url()).content.decode()
    assert reverse("questionnaires:send", args=[started.pk]) in page
    assert reverse("questionnaires:caiq_import", args=[started.pk]) in page


def test_uploaded_caiq_becomes_vendor_stated_suggestions_on_the_review(tenant_a, assessor_a, started, login):
    client = login(assessor_a)
    url = reverse("questionnaires:caiq_import", args=[started.pk])
    form = client.get(url).content.decode()
    assert 'type="file"' in form and "CAIQ v4" in form
    response = client.post(url, {"caiq-sheet": _upload(caiq_layout.build(default="Yes"))})
    assert response.status_code == 302, response.content.decode()[:2000]
    q_count, item_count = _count(tenant_a)
    assert q_count == 1 and item_count > 0
    review = client.get(started.get_absolute_url()).content.decode()
    # the CAIQ answers arrive as vendor-stated suggestions, each linking to the imported questionnaire's point
    assert review.count('class="vendor-statement"') == item_count
    detail = client.get(response["Location"]).content.decode()
    assert "CAIQ v4" in detail and 'class="chip provenance-vendor-stated"' in detail


def test_malformed_caiq_is_refused_in_german_naming_row_and_column(tenant_a, assessor_a, started, login):
    client = login(assessor_a)
    client.cookies["django_language"] = "de"
    data = caiq_layout.build({"CEK-03.1": "Mostly"})
    row = caiq_layout.row_of(data, "CEK-03.1")
    response = client.post(reverse("questionnaires:caiq_import", args=[started.pk]), {"caiq-sheet": _upload(data)},
                           HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(r'<p class="field-error" role="alert" id="id_caiq-sheet-error">(.*?)</p>', html, re.S)
    assert error, html[:3000]
    text = error.group(1)
    assert f"Zeile {row}, Spalte C" in text and "keine zulässige Antwort" in text
    assert "not" not in text and "row" not in text  # no English engine text on the German page
    assert 'aria-invalid="true"' in html
    assert _count(tenant_a) == (0, 0)
    # not a workbook at all: refused the same way, still nothing stored
    response = client.post(reverse("questionnaires:caiq_import", args=[started.pk]),
                           {"caiq-sheet": _upload(b"PK\x03\x04 not really")}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400 and "Arbeitsmappe" in response.content.decode()
    assert _count(tenant_a) == (0, 0)


def _caiq_form(html: str) -> str:
    match = re.search(r'<form[^>]*id="caiq-form".*?</form>', html, re.S)
    assert match, html[:3000]
    return match.group(0)


def test_refused_caiq_posted_from_the_questionnaire_page_is_shown_inline_there(tenant_a, assessor_a, send, login,
                                                                               make_integration):
    q = send(points=["cert.pentest", "monitor.security_contact"])
    client = login(assessor_a)
    url = reverse("questionnaires:caiq_import", args=[q.assessment_id])
    form = _caiq_form(client.get(q.get_absolute_url()).content.decode())
    assert f'action="{url}"' in form
    origin = re.search(r'<input type="hidden" name="origin" value="(\d+)">', form).group(1)
    before = _count(tenant_a)
    data = caiq_layout.build({"CEK-03.1": "Mostly"})
    row = caiq_layout.row_of(data, "CEK-03.1")
    response = client.post(url, {"origin": origin, "caiq-sheet": _upload(data)})
    assert response.status_code == 400
    assert [t.name for t in response.templates][0] == "questionnaires/detail.html"  # the page it came from
    html = response.content.decode()
    form = _caiq_form(html)
    error = re.search(r'<p class="field-error" role="alert" id="id_caiq-sheet-error">(.*?)</p>', form, re.S)
    assert error, form
    assert "The CAIQ file was not imported" in error.group(1) and str(row) in error.group(1)
    assert 'aria-invalid="true"' in form and "autofocus" in form  # the browser brings the error into view
    assert "id_xlsx-sheet-error" not in html and html.count('role="alert" id="id_') == 1
    assert _count(tenant_a) == before  # nothing half-stored
    # no file chosen at all: the form's own error, on the same page
    response = client.post(url, {"origin": origin})
    assert response.status_code == 400 and [t.name for t in response.templates][0] == "questionnaires/detail.html"
    assert 'id="id_caiq-sheet-error"' in _caiq_form(response.content.decode())
    # an origin that is not a questionnaire of this review falls back to the CAIQ page, the error still inline
    with acting(tenant_a, assessor_a, role="assessor"):
        from vendorvet.web.assessments import services

        other = services.start_assessment(make_integration(tenant_a, "Other App"))
    other_q = send(points=None, assessment=other)
    before = _count(tenant_a)
    for wrong in (str(other_q.pk), "999999", "²", "x"):
        response = client.post(url, {"origin": wrong, "caiq-sheet": _upload(data)})
        assert response.status_code == 400
        assert [t.name for t in response.templates][0] == "questionnaires/caiq.html", wrong
        assert 'id="id_caiq-sheet-error"' in response.content.decode()
    assert _count(tenant_a) == before


def test_oversized_upload_is_refused_before_reading(tenant_a, assessor_a, started, login, monkeypatch):
    from vendorvet.web.questionnaires import standard

    monkeypatch.setattr(standard, "MAX_UPLOAD_BYTES", 1024)
    client = login(assessor_a)
    response = client.post(reverse("questionnaires:caiq_import", args=[started.pk]),
                           {"caiq-sheet": _upload(caiq_layout.build())})
    assert response.status_code == 400 and "larger than" in response.content.decode()
    assert _count(tenant_a) == (0, 0)


def test_assessor_downloads_the_spreadsheet_and_reads_it_back(tenant_a, assessor_a, send, login):
    q = send(points=["cert.pentest", "monitor.security_contact"])
    client = login(assessor_a)
    detail = client.get(q.get_absolute_url()).content.decode()
    assert reverse("questionnaires:xlsx_export", args=[q.pk]) in detail
    response = client.get(reverse("questionnaires:xlsx_export", args=[q.pk]))
    assert response.status_code == 200 and assert_download(response, XLSX) == f"questionnaire-{q.pk}.xlsx"
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[1]
    ws["D2"], ws["E2"] = "yes", "Yearly pen test by an external firm"
    # a tampered id: refused inline on the questionnaire page, nothing stored
    ws["A3"] = "legal.avv.signed"
    bad = io.BytesIO()
    wb.save(bad)
    refused = client.post(reverse("questionnaires:xlsx_import", args=[q.pk]),
                          {"xlsx-sheet": _upload(bad.getvalue(), "q.xlsx")})
    assert refused.status_code == 400
    assert "Row 3, column A" in refused.content.decode()
    with acting(tenant_a):
        assert not q.items.exclude(vendor_answer="").exists()
    ws["A3"] = "monitor.security_contact"
    good = io.BytesIO()
    wb.save(good)
    stored = client.post(reverse("questionnaires:xlsx_import", args=[q.pk]),
                         {"xlsx-sheet": _upload(good.getvalue(), "q.xlsx")})
    assert stored.status_code == 302
    with acting(tenant_a):
        item = q.items.get(requirement_id="cert.pentest")
    assert item.vendor_answer == "met" and "external firm" in item.vendor_comment


def test_vendor_portal_spreadsheet_round_trip_through_the_link(tenant_a, send, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail goes out on commit
        q = send(points=["cert.pentest", "monitor.security_contact"])
    link = path_of(link_of(mail.outbox[-1]))
    vendor = Client()
    page = vendor.get(link).content.decode()
    assert 'href="?format=xlsx"' in page and 'value="import_sheet"' in page
    response = vendor.get(link + "?format=xlsx")
    assert response.status_code == 200 and assert_download(response, XLSX).startswith("questionnaire-")
    assert response["Cache-Control"] == "no-store" and "Content-Security-Policy" in response
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[1]
    assert ws["A2"].value == "cert.pentest"
    ws["D2"] = "maybe"  # not an allowed answer: refused next to the field, nothing stored
    bad = io.BytesIO()
    wb.save(bad)
    refused = vendor.post(link, {"action": "import_sheet", "xlsx-sheet": _upload(bad.getvalue(), "q.xlsx")})
    assert refused.status_code == 400 and "Row 2, column D" in refused.content.decode()
    with acting(tenant_a):
        assert not q.items.exclude(vendor_answer="").exists()
    ws["D2"], ws["E2"] = "partial", "Pen test planned for Q1"
    good = io.BytesIO()
    wb.save(good)
    stored = vendor.post(link, {"action": "import_sheet", "xlsx-sheet": _upload(good.getvalue(), "q.xlsx")})
    assert stored.status_code == 302 and stored["Location"] == link
    q.refresh_from_db()
    with acting(tenant_a):
        item = q.items.get(requirement_id="cert.pentest")
    assert (item.vendor_answer, item.state, q.status) == ("partly_met", "answered", "in_progress")
    # the answers are a draft the vendor sees on the page and submits there
    assert "Pen test planned for Q1" in vendor.get(link).content.decode()
    # a tampered link reaches neither the download nor the upload
    tampered = link[:-3] + "xx/"
    assert vendor.get(tampered + "?format=xlsx").status_code == 404
    assert vendor.post(tampered, {"action": "import_sheet", "xlsx-sheet": _upload(good.getvalue())}).status_code == 404


@pytest.fixture
def api(tenant_a, assessor_a):
    from vendorvet.web.accounts.models import APIToken

    with acting(tenant_a, assessor_a, role="assessor"):
        _token, key = APIToken.issue(assessor_a, "questionnaires")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_api_caiq_import_201_and_malformed_400(api, tenant_a, started):
    url = "/api/questionnaires/questionnaires/import-caiq/"
    bad = caiq_layout.build({"CEK-03.1": "Mostly"})
    response = api.post(url, {"assessment": started.pk, "file": _upload(bad)}, format="multipart")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "bad_answer" and body["row"] == caiq_layout.row_of(bad, "CEK-03.1")
    assert body["column"] == "C"
    assert _count(tenant_a) == (0, 0)
    response = api.post(url, {"assessment": started.pk, "file": _upload(caiq_layout.build())}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["total"] > 0 and body["answered"] == body["total"]


def test_api_xlsx_export_and_import(api, tenant_a, send):
    q = send(points=["cert.pentest"])
    response = api.get(f"/api/questionnaires/questionnaires/{q.pk}/xlsx/")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    wb = load_workbook(io.BytesIO(response.content))
    wb.worksheets[1]["D2"] = "no"
    filled = io.BytesIO()
    wb.save(filled)
    response = api.post(f"/api/questionnaires/questionnaires/{q.pk}/import-xlsx/",
                        {"file": _upload(filled.getvalue())}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["stored"] == 1
    assert next(i for i in response.json()["questionnaire"]["items"])["vendor_answer"] == "not_met"
    wb.worksheets[1]["A2"] = "legal.avv.signed"
    tampered = io.BytesIO()
    wb.save(tampered)
    response = api.post(f"/api/questionnaires/questionnaires/{q.pk}/import-xlsx/",
                        {"file": _upload(tampered.getvalue())}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "tampered_id"

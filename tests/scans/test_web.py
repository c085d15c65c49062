"""The integration panel, Scan now, run pages and settings in the web UI: roles, tenants, CSP."""

from __future__ import annotations

import re

import pytest

from tests.conftest import acting
from tests.web.conftest import assert_csp_clean, login  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db,
              pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")]


def panel_url(integration):
    return f"/scans/integrations/{integration.pk}/panel/"


def test_integration_page_loads_the_panel_and_the_panel_offers_scan_now(login, assessor_a, scanned_integration):
    client = login(assessor_a)
    page = client.get(f"/integrations/{scanned_integration.pk}/").content.decode()
    assert f'hx-get="{panel_url(scanned_integration)}"' in page
    panel = client.get(panel_url(scanned_integration))
    assert panel.status_code == 200
    html = panel.content.decode()
    assert html.lstrip().startswith('<section class="card scan-panel"')
    assert "Not scanned yet" in html
    assert f'action="/scans/integrations/{scanned_integration.pk}/scan/"' in html and "Scan now" in html
    assert "csrfmiddlewaretoken" in html
    assert_csp_clean(html)


def test_scan_now_shows_grade_findings_explanations_and_history(login, admin_a, assessor_a, scan_settings, settings,
                                                                scanned_integration):
    settings.VENDORVET_SCAN_ALLOW_LOOPBACK_FOR_TESTS = True  # the operator's (test-only) override
    client = login(assessor_a)
    response = client.post(f"/scans/integrations/{scanned_integration.pk}/scan/")
    assert response.status_code == 302 and response["Location"] == f"/integrations/{scanned_integration.pk}/"
    html = client.get(panel_url(scanned_integration)).content.decode()
    grade = re.search(r'class="grade grade-([A-F])"', html)
    assert grade and grade.group(1) in "AB"
    assert "Failed" in html and "Passed" in html  # grouped by status
    assert "security.txt" in html  # the failing disclosure check, with its explanation and remediation
    assert "Why it matters:" in html and "What to ask the vendor:" in html
    assert "How the grade was reached" in html
    assert "internal targets allowed" in html
    assert f"/scans/integrations/{scanned_integration.pk}/history/" in html
    assert_csp_clean(html)

    history = client.get(f"/scans/integrations/{scanned_integration.pk}/history/")
    assert history.status_code == 200
    run_link = re.search(r'href="(/scans/runs/(\d+)/)"', history.content.decode())
    detail = client.get(run_link.group(1))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "This is the first finished scan of this integration." in body
    assert "RFC 9116" in body  # sources of the check are shown on the detail page
    assert_csp_clean(body)
    listing = client.get("/scans/").content.decode()
    assert scanned_integration.name in listing and run_link.group(1) in listing


def test_second_scan_shows_what_changed(login, assessor_a, scan_settings, allow_private, scanned_integration,
                                        vendor_site):
    client = login(assessor_a)
    client.post(f"/scans/integrations/{scanned_integration.pk}/scan/")
    _port, site = vendor_site
    site.default = (200, [("Content-Type", "application/json")], b"{}")  # HSTS gone
    client.post(f"/scans/integrations/{scanned_integration.pk}/scan/")
    html = client.get(panel_url(scanned_integration)).content.decode()
    assert "Since the previous scan" in html and "1 new problem" in html
    assert "http.hsts" in html
    history = client.get(f"/scans/integrations/{scanned_integration.pk}/history/").content.decode()
    assert "1 new, 0 resolved" in history


def test_auditor_sees_results_but_cannot_scan(login, auditor_a, scan_settings, scanned_integration):
    client = login(auditor_a)
    html = client.get(panel_url(scanned_integration)).content.decode()
    assert "Scan now" not in html
    assert client.post(f"/scans/integrations/{scanned_integration.pk}/scan/").status_code == 403
    assert client.get("/scans/").status_code == 200


def test_settings_are_for_administrators_only(login, admin_a, assessor_a, tenant_a):
    from vendorvet.web.scans.models import TenantScanSettings

    assessor = login(assessor_a)
    assert assessor.get("/scans/settings/").status_code == 403
    assert assessor.post("/scans/settings/", {"allow_private_targets": "on"}).status_code == 403
    admin = login(admin_a)
    page = admin.get("/scans/settings/").content.decode()
    # the switch is gone: the page names who decides (the operator, in the server configuration)
    assert "allow_private_targets" not in page and "checkbox" not in page
    assert "decided by the operator of this installation" in page and "server configuration" in page
    assert "--allow-private" not in page and "VENDORVET_" not in page
    assert_csp_clean(page)
    assert admin.post("/scans/settings/", {"allow_private_targets": "on"}).status_code == 405
    assert not TenantScanSettings.all_tenants.exists()


def test_other_tenant_sees_nothing(login, admin_b, assessor_a, scan_settings, allow_private, scanned_integration):
    from vendorvet.web.scans.models import ScanRun

    login(assessor_a).post(f"/scans/integrations/{scanned_integration.pk}/scan/")
    run = ScanRun.all_tenants.get()
    other = login(admin_b)
    assert other.get(panel_url(scanned_integration)).status_code == 404
    assert other.post(f"/scans/integrations/{scanned_integration.pk}/scan/").status_code == 404
    assert other.get(f"/scans/runs/{run.pk}/").status_code == 404
    assert other.get(f"/scans/integrations/{scanned_integration.pk}/history/").status_code == 404
    assert scanned_integration.name not in other.get("/scans/").content.decode()
    assert ScanRun.all_tenants.count() == 1


def test_scan_of_integration_without_endpoints_explains(login, assessor_a, tenant_a, make_integration,
                                                        scan_settings):
    bare = make_integration(tenant_a, name="Bare")
    client = login(assessor_a)
    html = client.get(panel_url(bare)).content.decode()
    assert "Add endpoints to scan this integration." in html and "Scan now" not in html
    response = client.post(f"/scans/integrations/{bare.pk}/scan/", follow=True)
    assert "no endpoints to scan" in response.content.decode()


def test_running_scan_panel_polls_and_disables_the_button(login, assessor_a, tenant_a, scanned_integration):
    from vendorvet.web.scans.models import ScanRun

    with acting(tenant_a):
        ScanRun.objects.create(integration=scanned_integration)
    html = login(assessor_a).get(panel_url(scanned_integration)).content.decode()
    assert 'hx-trigger="every 5s"' in html and "Scan queued at" in html
    assert re.search(r'<button class="button primary" type="submit" disabled>', html)


def test_panel_in_german(login, assessor_a, scanned_integration):
    client = login(assessor_a, HTTP_ACCEPT_LANGUAGE="de")
    client.cookies["django_language"] = "de"
    html = client.get(panel_url(scanned_integration)).content.decode()
    assert "Jetzt scannen" in html and "Externer Scan" in html


def test_a_lost_run_does_not_block_scanning_forever(login, assessor_a, tenant_a, scanned_integration):
    import datetime as dt

    from vendorvet.web.scans.models import ScanRun

    with acting(tenant_a):
        run = ScanRun.objects.create(integration=scanned_integration, status="running")
    ScanRun.all_tenants.filter(pk=run.pk).update(created=run.created - dt.timedelta(hours=2))
    html = login(assessor_a).get(panel_url(scanned_integration)).content.decode()
    assert "did not finish" in html and "hx-trigger" not in html
    assert re.search(r'<button class="button primary" type="submit">', html)


def test_deleting_endpoints_and_the_integration_keeps_or_removes_scan_data(login, admin_a, tenant_a, scan_settings,
                                                                            allow_private, scanned_integration):
    from vendorvet.web.scans.models import Finding, ScanRun, ScanTarget

    client = login(admin_a)
    client.post(f"/scans/integrations/{scanned_integration.pk}/scan/")
    target = ScanTarget.all_tenants.get()
    assert target.endpoint_id is not None
    from vendorvet.web.inventory import services as inventory

    with acting(tenant_a):
        inventory.set_endpoints(scanned_integration, [])
    target.refresh_from_db()
    assert target.endpoint_id is None and Finding.all_tenants.filter(scan_target=target).exists()  # evidence kept
    response = client.post(f"/integrations/{scanned_integration.pk}/delete/")
    assert response.status_code == 302
    assert not ScanRun.all_tenants.exists() and not Finding.all_tenants.exists()

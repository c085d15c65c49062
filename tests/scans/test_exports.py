"""A stored scan run downloads as SARIF 2.1.0 and OCSF 1.x JSON (the engine's writers fed from the database)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import acting
from tests.engine.test_ocsf import missing_required
from tests.support.downloads import assert_download
from tests.web.conftest import login  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored_run(tenant_a, make_integration):
    from vendorvet.web.scans.models import Finding, ScanRun, ScanTarget

    integration = make_integration(tenant_a, name="Vendor API", kind="api")
    with acting(tenant_a):
        run = ScanRun.objects.create(integration=integration, status="done", finished=timezone.now())
        target = ScanTarget.objects.create(run=run, target="https://api.vendor.test/", host="api.vendor.test",
                                           port=443, addresses=["127.0.0.1"], grade="B")
        for check_id, status, severity in (("http.hsts", "fail", "medium"), ("tls.protocol.tls13", "pass", "low"),
                                           ("dns.caa", "error", "low")):
            Finding.objects.create(run=run, scan_target=target, check_id=check_id, status=status,
                                   severity=severity, title=check_id, detail=f"{check_id} detail")
    return run


def test_run_page_offers_both_downloads(login, admin_a, stored_run):
    page = login(admin_a).get(reverse("scans:run_detail", args=[stored_run.pk])).content.decode()
    assert reverse("scans:run_sarif", args=[stored_run.pk]) in page
    assert reverse("scans:run_ocsf", args=[stored_run.pk]) in page


def test_sarif_and_ocsf_downloads(login, admin_a, stored_run):
    client = login(admin_a)
    sarif = client.get(reverse("scans:run_sarif", args=[stored_run.pk]))
    assert sarif.status_code == 200 and assert_download(sarif).endswith(".sarif")
    doc = json.loads(sarif.content)
    assert doc["version"] == "2.1.0"
    assert {r["ruleId"] for r in doc["runs"][0]["results"]} == {"http.hsts", "dns.caa"}  # SARIF: problems only
    response = client.get(reverse("scans:run_ocsf", args=[stored_run.pk]))
    assert response.status_code == 200 and assert_download(response).endswith(".ocsf.json")
    events = json.loads(response.content)
    assert len(events) == 3 and all(missing_required(e) == [] for e in events)
    status = {e["compliance"]["control"]: e["compliance"]["status_id"] for e in events}
    assert status == {"http.hsts": 3, "tls.protocol.tls13": 1, "dns.caa": 2}
    assert {e["time"] for e in events} == {int(stored_run.finished.timestamp() * 1000)}


def test_another_tenant_gets_404(login, admin_b, stored_run):
    client = login(admin_b)
    for name in ("scans:run_sarif", "scans:run_ocsf"):
        assert client.get(reverse(name, args=[stored_run.pk])).status_code == 404

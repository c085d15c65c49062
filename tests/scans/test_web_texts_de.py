"""The external checks' texts in the reader's language: a German reader sees the German title, risk and
remediation of stored findings (content/check_texts.yaml), an English reader the engine's English — on the
scan run page (findings and "since the previous scan"), in the review's automated evidence and on the
OpenAPI panel. Stored findings keep their English title; a title the engine no longer uses is shown as stored."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import acting
from tests.web.conftest import assert_csp_clean, login  # noqa: F401  (fixture)
from vendorvet import content
from vendorvet.engine import registry

pytestmark = [pytest.mark.django_db,
              pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")]

GERMAN = content.load("check_texts")["checks"]
SPECS = registry.all_checks()
OLD_WORDING = "Legacy protocols accepted (older engine wording)"
CAP_LINE = {"reason": "capped at C: TLS compression (CRIME)", "points": 0.0, "cap": "C",
            "reason_de": "begrenzt auf C: TLS-Komprimierung (CRIME)"}  # as a check's grade cap is stored


def text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert_csp_clean(body)
    return html.unescape(body)


@pytest.fixture
def two_runs(tenant_a, make_integration):
    """Two finished runs of one integration as the scan service stores them: the second one newly fails
    TLS compression and HSTS (English engine titles), and keeps a legacy-protocol finding with an old title."""
    from vendorvet.web.scans.models import Finding, ScanRun, ScanTarget

    integration = make_integration(tenant_a, name="Vendor API", kind="api")
    now = timezone.now()
    runs = []
    with acting(tenant_a):
        for age, status in ((2, "pass"), (1, "fail")):
            run = ScanRun.objects.create(integration=integration, status="done", finished=now - dt.timedelta(hours=age))
            ScanRun.objects.filter(pk=run.pk).update(created=now - dt.timedelta(hours=age))
            target = ScanTarget.objects.create(run=run, target="https://api.vendor.test/", host="api.vendor.test",
                                               grade="C", deductions=[CAP_LINE])
            for check_id, severity in (("tls.vuln.compression", "high"), ("http.hsts", "medium")):
                Finding.objects.create(run=run, scan_target=target, check_id=check_id, status=status,
                                       severity=severity, title=SPECS[check_id].title, detail="stored detail text")
            Finding.objects.create(run=run, scan_target=target, check_id="tls.protocol.legacy", status="warn",
                                   severity="high", title=OLD_WORDING, detail="TLS 1.0 offered")
            runs.append(run)
    return integration, runs[1]


def test_the_run_page_in_german_shows_german_titles_risks_and_remediations(login, assessor_a, two_runs):
    _integration, run = two_runs
    page = text(login(assessor_a, HTTP_ACCEPT_LANGUAGE="de"), f"/scans/runs/{run.pk}/")
    compression, hsts = GERMAN["tls.vuln.compression"], GERMAN["http.hsts"]
    assert compression["title"] == "Keine TLS-Komprimierung (CRIME)"
    assert f"<strong>{compression['title']}</strong>" in page
    assert compression["risk"] in page and compression["remediation"] in page
    assert hsts["risk"] in page and hsts["remediation"] in page and "Was vom Anbieter zu fordern ist:" in page
    for english in (SPECS["tls.vuln.compression"].title, SPECS["tls.vuln.compression"].risk,
                    SPECS["http.hsts"].remediation, SPECS["http.hsts"].risk):
        assert english not in page
    # "since the previous scan" names the new problems by their German title too
    assert re.search(r"<code>tls\.vuln\.compression</code> Keine TLS-Komprimierung \(CRIME\)", page)
    assert "stored detail text" in page  # the stored detail is shown as stored
    assert OLD_WORDING in page  # a title the engine does not give (any more) is not replaced
    assert GERMAN["tls.protocol.legacy"]["remediation"] in page  # … but the check's remediation is German
    assert CAP_LINE["reason_de"] in page and CAP_LINE["reason"] not in page  # the grade cap's German reason


def test_the_run_page_in_english_shows_the_engine_texts(login, assessor_a, two_runs):
    _integration, run = two_runs
    page = text(login(assessor_a, HTTP_ACCEPT_LANGUAGE="en"), f"/scans/runs/{run.pk}/")
    spec = SPECS["tls.vuln.compression"]
    assert f"<strong>{spec.title}</strong>" in page and spec.risk in page and spec.remediation in page
    assert re.search(r"<code>tls\.vuln\.compression</code> No TLS compression \(CRIME\)", page)
    assert SPECS["http.hsts"].remediation in page
    assert CAP_LINE["reason"] in page and CAP_LINE["reason_de"] not in page
    for german in (GERMAN["tls.vuln.compression"]["title"], GERMAN["http.hsts"]["remediation"]):
        assert german not in page


def test_the_reviews_automated_evidence_names_failed_checks_in_german(login, tenant_a, assessor_a, two_runs):
    from vendorvet.engine.checklist import load_checklist
    from vendorvet.web.assessments import services

    integration, _run = two_runs
    with acting(tenant_a, assessor_a, role="assessor"):
        assessment = services.start_assessment(integration)
        cited = [r.id for r in load_checklist().requirements_for_check("tls.vuln.compression")]
        assert assessment.answers.filter(requirement_id__in=cited).exists()
    url = reverse("assessments:detail", args=[assessment.pk])
    german = text(login(assessor_a, HTTP_ACCEPT_LANGUAGE="de"), url)
    assert "<code>tls.vuln.compression</code> — Keine TLS-Komprimierung (CRIME)" in german
    english = text(login(assessor_a, HTTP_ACCEPT_LANGUAGE="en"), url)
    assert "<code>tls.vuln.compression</code> — No TLS compression (CRIME)" in english
    assert "Keine TLS-Komprimierung" not in english


def test_the_openapi_panel_names_its_checks_in_german(login, assessor_a, tenant_a, make_integration):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.discovery.conftest import FIXTURES

    spec = FIXTURES / "openapi" / "payments_stripe_style_3.0.yaml"  # an operation without authentication
    payments = make_integration(tenant_a, "Acme Payments", data_categories=["personal"])
    client = login(assessor_a, HTTP_ACCEPT_LANGUAGE="de")
    response = client.post(reverse("discovery:openapi_upload", args=[payments.pk]),
                           {"file": SimpleUploadedFile(spec.name, spec.read_bytes())})
    assert response.status_code == 302
    panel = text(client, reverse("discovery:openapi_panel", args=[payments.pk]))
    assert GERMAN["openapi.auth.none"]["title"] in panel and "Operations without authentication" not in panel
    english = text(login(assessor_a, HTTP_ACCEPT_LANGUAGE="en"), reverse("discovery:openapi_panel",
                                                                         args=[payments.pk]))
    assert "Operations without authentication" in english and GERMAN["openapi.auth.none"]["title"] not in english
    # risk and remediation in the reader's language, from the audit's metadata (English) or content (German)
    from vendorvet.engine.openapi_audit import CHECKS

    rule = CHECKS["openapi.auth.none"]
    assert rule.risk in english and rule.remediation in english and GERMAN["openapi.auth.none"]["risk"] not in english
    assert GERMAN["openapi.auth.none"]["risk"] in panel and GERMAN["openapi.auth.none"]["remediation"] in panel
    assert rule.risk not in panel

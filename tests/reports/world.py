"""A reviewed integration with everything an audit pack prints: a 37-point review (tier 3, personal data sent to
a third country) with every answer kind, evidence files, a decision with a condition and a risk acceptance,
a scan, the legal records (AVV checklist, DPA contract, transfer check, TIA, sub-processors).

Used by the tests and by ``bench/pdf_reports.py``."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

ANSWERS = ("met", "partly_met", "not_met", "not_applicable", "unknown")


@contextmanager
def acting(tenant, user=None, role: str = "admin"):
    """Enter a tenant as ``user`` with ``role`` (the same as tests.conftest.acting, without importing pytest:
    the benchmark uses this module too)."""
    from vendorvet.web.core.context import Actor, tenant_session

    label = user.get_username() if user is not None else "test"
    with tenant_session(tenant, Actor(kind="user" if user is not None else "system", label=label, user=user,
                                      role=role)) as actor:
        yield actor


def build_review(tenant, assessor, admin, evidence: int = 6, name: str = "Cloud CRM Connector"):
    """The integration (tier 3, 37 checklist points) and its decided assessment."""
    from vendorvet.web.assessments import policy, services
    from vendorvet.web.assessments.risk import AcceptanceInput
    from vendorvet.web.inventory.models import Integration, Vendor
    from vendorvet.web.inventory.services import save_object
    from vendorvet.web.legal.models import (
        Contract, DpaItem, IntegrationLegal, SubProcessor, TransferImpactAssessment, VendorLegal,
    )
    from vendorvet.web.legal import services as legal
    from vendorvet.web.scans.models import Finding, ScanRun, ScanTarget

    today = timezone.localdate()
    with acting(tenant, admin, role="admin"):
        vendor = save_object(Vendor(name="Wolkenwerk Inc.", country="US"), creating=True)
        integration = save_object(Integration(vendor=vendor, name=name, data_categories=["personal"],
                                              processing_countries=["US"], purpose="Customer contact sync"),
                                  creating=True)
        policy.change("Audit pack tests", four_eyes_max_tier=0, min_grade="F", block_mandatory_unknown=False,
                      block_mandatory_failed=False)
        save_object(VendorLegal(vendor=vendor, parent_country="US", dpf_status="no"), creating=True)
        save_object(IntegrationLegal(integration=integration, declared_countries=["US"]), creating=True)
        save_object(SubProcessor(vendor=vendor, name="Blue Hosting LLC", country="US", purpose="Hosting"),
                    creating=True)
        save_object(SubProcessor(vendor=vendor, name="Mailcarrier GmbH", country="DE", purpose="E-mail"),
                    creating=True)
        save_object(DpaItem(vendor=vendor, key="28_3_a", state="met", clause="§ 3 Abs. 1 AVV"), creating=True)
        save_object(DpaItem(vendor=vendor, key="28_3_h", state="missing"), creating=True)
        save_object(Contract(vendor=vendor, type="dpa", title="AVV Wolkenwerk 2026", signed=today), creating=True)
        check = legal.run_assessment(integration)
        save_object(TransferImpactAssessment(integration=integration, assessment=check, title="TIA: Cloud CRM",
                                             step1_transfers="Contact data to the US", step2_tool="SCC module 2",
                                             step6_reevaluation=today + dt.timedelta(days=365)), creating=True)
        run = ScanRun.objects.create(integration=integration, status="done", started=timezone.now(),
                                     finished=timezone.now(), engine_version="test")
        target = ScanTarget.objects.create(run=run, target="https://api.wolkenwerk.example", host="api.wolkenwerk.example",
                                           port=443, grade="B", score=82)
        Finding.objects.create(run=run, scan_target=target, check_id="tls.hsts", status="fail", severity="medium",
                               title="HSTS header missing")
        Finding.objects.create(run=run, scan_target=target, check_id="tls.protocols", status="pass", severity="info",
                               title="Only TLS 1.2 and 1.3")
    with acting(tenant, assessor, role="assessor"):
        assessment = services.start_assessment(integration)
        answers = list(assessment.answers.order_by("requirement_id"))
        for i, answer in enumerate(answers):
            services.answer(answer, ANSWERS[i % len(ANSWERS)], f"Reviewed point {i + 1} (test)")
        for i in range(evidence):
            answer = answers[i % len(answers)]
            upload = SimpleUploadedFile(f"nachweis-{i:03d}.txt", f"evidence file {i} for {answer.requirement_id}\n"
                                        .encode() * 20, content_type="text/plain")
            services.add_evidence(answer, upload, f"evidence {i}")
    with acting(tenant, admin, role="admin"):
        services.decide(assessment, "approve_with_conditions", "Acceptable with SSO enforced (test).",
                        [("Enforce SSO for all admins", "IT – Jonas Berger", today + dt.timedelta(days=30))],
                        risk_acceptance=AcceptanceInput(risk_owner="Dr. Maria Keller", justification="Business need",
                                                        compensating_controls="Quarterly access review",
                                                        expires_on=today + dt.timedelta(days=180)))
    return integration, assessment

"""The assessment rules through the services: mandatory set by tier, answers, overrides, decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import acting
from vendorvet.engine.checklist import load_checklist, requirements_for_tier
from vendorvet.web.assessments import services
from vendorvet.web.assessments.models import Answer, Assessment, Certification
from vendorvet.web.core.context import PermissionDeniedError
from vendorvet.web.core.models import ObjectChange

pytestmark = pytest.mark.django_db


def test_start_creates_only_the_mandatory_requirements_of_the_tier(tenant_a, assessor_a, crm, started):
    # admin access → tier 2; personal data in Germany → personal_data, no transfer
    expected = [r.id for r in requirements_for_tier(2, {"personal_data"})]
    with acting(tenant_a, assessor_a, role="assessor"):
        ids = list(started.answers.order_by("pk").values_list("requirement_id", flat=True))
        assert started.tier_at_start == 2 and started.tier == 2
        assert ids == expected
        assert "legal.avv" in ids and "legal.transfer.scc" not in ids and "contract.exit_plan" not in ids
        assert set(started.answers.values_list("value", flat=True)) == {"unknown"}
        assert started.checklist_version == load_checklist().version
        assert started.conditions == ["personal_data"]
        crm.refresh_from_db()
        assert crm.status == "in_review"  # proposed → in review


def test_optional_requirements_are_added_but_cost_nothing(tenant_a, assessor_a, make_integration):
    tool = make_integration(tenant_a, "Newsletter Tool", processing_countries=["DE"])  # tier 4
    with acting(tenant_a, assessor_a, role="assessor"):
        a = services.start_assessment(tool, optional=["contract.exit_plan"])
        assert a.tier == 4
        optional = a.answers.get(requirement_id="contract.exit_plan")
        assert optional.mandatory is False
        before = a.score().score
        services.answer(optional, "not_met")
        assert a.score().score == before


def test_only_one_open_assessment(tenant_a, assessor_a, crm, started):
    with acting(tenant_a, assessor_a, role="assessor"), pytest.raises(ValidationError):
        services.start_assessment(crm)


def test_answer_moves_draft_to_in_progress_and_changes_the_score(tenant_a, assessor_a, started):
    with acting(tenant_a, assessor_a, role="assessor"):
        assert started.status == "draft"
        before = started.score()
        services.answer_by_id(started, "cert.recognised", "met", "ISO cert on file")
        started.refresh_from_db()
        after = started.score()
        assert started.status == "in_progress"
        # cert.recognised: max_tier 4 → 10 pts × tier-2 factor 1.5 = 15 regained
        assert after.points_lost == before.points_lost - 15
        answer = started.answers.get(requirement_id="cert.recognised")
        assert answer.answered_by == assessor_a and answer.comment == "ISO cert on file"
        with pytest.raises(ValidationError):
            services.answer_by_id(started, "no.such.requirement", "met")


def test_tier_override_needs_justification_and_changes_the_mandatory_set(tenant_a, admin_a, started):
    with acting(tenant_a, admin_a, role="admin"):
        with pytest.raises(ValidationError):
            services.set_tier_override(started, 1, "  ")
        services.set_tier_override(started, 1, "ERP master data behind it")
        started.refresh_from_db()
        assert started.tier == 1 and started.tier_at_start == 2
        mandatory = set(started.answers.filter(mandatory=True).values_list("requirement_id", flat=True))
        assert mandatory == {r.id for r in requirements_for_tier(1, {"personal_data"})}
        change = ObjectChange.objects.filter(changed_object_id=started.pk, action="update").first()
        assert change.postchange_data["tier_override_justification"] == "ERP master data behind it"
        services.set_tier_override(started, 3, "narrow scope after all")
        started.refresh_from_db()
        assert not started.answers.get(requirement_id="contract.exit_plan").mandatory


def test_score_override_recorded_and_visible(tenant_a, admin_a, started):
    with acting(tenant_a, admin_a, role="admin"):
        line = started.score().lines[0]
        with pytest.raises(ValidationError):
            services.set_score_override(started, line.key, line.original + 1, "more than the rubric")
        with pytest.raises(ValidationError):
            services.set_score_override(started, line.key, 0, "")
        with pytest.raises(ValidationError):
            services.set_score_override(started, "answer:not.a.line", 0, "no such line")
        services.set_score_override(started, line.key, 0, "vendor showed the 2026 certificate")
        result = started.score()
        shown = [x for x in result.lines if x.key == line.key][0]
        assert shown.points == 0 and shown.original == line.original
        assert "vendor showed the 2026 certificate" in shown.text()


def test_decision_with_conditions_sets_status_next_review_and_snapshot(tenant_a, admin_a, started, crm,
                                                                       lenient_policy):
    with acting(tenant_a, admin_a, role="admin"):
        with pytest.raises(ValidationError):  # conditions needed
            services.decide(started, "approve_with_conditions", "ok")
        with pytest.raises(ValidationError):  # justification needed
            services.decide(started, "approve", "")
        with pytest.raises(ValidationError):  # conditions only with that outcome
            services.decide(started, "approve", "ok", [("MFA", "IT", dt.date(2026, 3, 1))])
        decision = services.decide(started, "approve_with_conditions", "acceptable with MFA",
                                   [("Enforce MFA for admins", "IT security", dt.date(2026, 3, 1))],
                                   decided_on=dt.date(2026, 1, 15))
        crm.refresh_from_db()
        started.refresh_from_db()
        assert crm.status == "approved_with_conditions"
        assert started.status == "decided"
        assert decision.next_review_date == dt.date(2027, 7, 15)  # tier 2 → 18 months
        assert decision.reviewer == admin_a and decision.score == started.score().score
        assert decision.conditions.get().owner == "IT security"
        with pytest.raises(ValidationError):  # decided: frozen
            services.answer_by_id(started, "cert.recognised", "met")
        # after a decision a new assessment can start
        assert services.start_assessment(crm).pk != started.pk


def test_reject_has_no_next_review(tenant_a, admin_a, started, crm):
    with acting(tenant_a, admin_a, role="admin"):
        decision = services.decide(started, "reject", "no DPA offered")
        crm.refresh_from_db()
        assert crm.status == "rejected" and decision.next_review_date is None


def test_auditor_can_change_nothing(tenant_a, auditor_a, started, crm):
    with acting(tenant_a, auditor_a, role="auditor"):
        assert Assessment.objects.count() == 1  # may read
        answer = started.answers.first()
        for call in (lambda: services.start_assessment(crm), lambda: services.answer(answer, "met"),
                     lambda: services.decide(started, "approve", "x"),
                     lambda: services.set_tier_override(started, 1, "x"),
                     lambda: services.set_score_override(started, "answer:cert.recognised", 0, "x")):
            with pytest.raises(PermissionDeniedError):
                call()


def test_tenant_b_sees_nothing_of_tenant_a(tenant_b, admin_b, started):
    with acting(tenant_b, admin_b, role="admin"):
        assert Assessment.objects.count() == 0 and Answer.objects.count() == 0


def test_certification_rules_and_flags(tenant_a, admin_a, crm):
    from django.utils import timezone

    today = timezone.localdate()
    with acting(tenant_a, admin_a, role="admin"):
        from vendorvet.web.inventory import services as inv

        with pytest.raises(ValidationError):  # ISO needs number and validity
            inv.save_object(Certification(vendor=crm.vendor, kind="iso27001"))
        iso = inv.save_object(Certification(vendor=crm.vendor, kind="iso27001", certificate_number="DE-123",
                                            issuer="TÜV", scope="CRM SaaS", valid_until=today + dt.timedelta(days=30)))
        old_pentest = inv.save_object(Certification(vendor=crm.vendor, kind="pentest",
                                                    test_date=today - dt.timedelta(days=400)))
        assert iso.is_expiring and not iso.is_expired
        assert old_pentest.is_expired
        from vendorvet.web.assessments.views import certification_flags

        assert {c.pk for c in certification_flags(crm.vendor)} == {iso.pk, old_pentest.pk}


def test_assessor_answers_but_may_not_decide_or_override(tenant_a, assessor_a, started):
    """Separation of duties: whoever fills in the checklist does not approve it."""
    from vendorvet.web.core.context import PermissionDeniedError

    with acting(tenant_a, assessor_a, role="assessor"):
        line = started.score().lines[0]
        for attempt in (lambda: services.decide(started, "approve", "looks fine", []),
                        lambda: services.set_tier_override(started, 4, "not that important"),
                        lambda: services.set_score_override(started, line.key, 0, "trust me")):
            with pytest.raises(PermissionDeniedError):
                attempt()
        started.refresh_from_db()
        assert not started.is_decided and started.tier_override is None


def test_automated_findings_of_the_latest_scan_cost_points(tenant_a, admin_a, started, crm):
    """A failed high-severity check on a tier-2 integration: 10 points × tier factor 1.5 = −15.
    A warning of medium severity: 5 × 1.5 = −7.5. A passed check and a check that could not run
    (error, e.g. refused by our own SSRF policy) cost nothing."""
    from decimal import Decimal

    from vendorvet.web.scans.models import Finding, ScanRun, ScanTarget

    with acting(tenant_a, admin_a, role="admin"):
        before = started.score()
        run = ScanRun.objects.create(integration=crm, status="done")
        target = ScanTarget.objects.create(run=run, target="https://api.acme.example/")
        for check_id, status, severity in [("tls.protocol.legacy", "fail", "high"),
                                           ("http.hsts", "warn", "medium"),
                                           ("tls.protocol.tls13", "pass", "info"),
                                           ("dns.dnssec", "error", "medium")]:
            Finding.objects.create(run=run, scan_target=target, check_id=check_id, status=status,
                                   severity=severity, title=f"{check_id} title")
        after = started.score()
    lines = {line.key: line for line in after.lines if line.kind == "finding"}
    assert set(lines) == {"finding:tls.protocol.legacy@https://api.acme.example/",
                          "finding:http.hsts@https://api.acme.example/"}
    assert lines["finding:tls.protocol.legacy@https://api.acme.example/"].points == Decimal("15")
    assert lines["finding:http.hsts@https://api.acme.example/"].points == Decimal("7.5")
    lost = lambda result: sum((line.points for line in result.lines), Decimal(0))  # noqa: E731
    assert lost(after) - lost(before) == Decimal("22.5")


def test_known_vulnerabilities_of_the_latest_sbom_cost_points(tenant_a, admin_a, started, crm):
    """Tier 2 (factor 1.5): a critical advisory 20 × 1.5 = −30; one without severity counts as medium,
    5 × 1.5 = −7.5; 'none' costs nothing. Only the latest SBOM version counts."""
    from decimal import Decimal

    from vendorvet.web.supplychain.models import SbomComponent, SbomVersion, VulnerabilityFinding

    def sbom(label, findings):
        version = SbomVersion.objects.create(integration=crm, label=label, format="cyclonedx", spec_version="1.5",
                                             sha256=label * 8)
        for purl, advisory, severity in findings:
            component = SbomComponent.objects.create(sbom=version, purl=purl, package=purl.split("@")[0])
            VulnerabilityFinding.objects.create(sbom=version, component=component, advisory_id=advisory,
                                                severity=severity)

    with acting(tenant_a, admin_a, role="admin"):
        before = {line.key for line in started.score().lines}
        sbom("v1", [("pkg:pypi/jinja2@2.10", "GHSA-old", "high")])
        sbom("v2", [("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "GHSA-jfh8-c2jp-5v3q", "critical"),
                    ("pkg:npm/lodash@4.17.15", "GHSA-unknown", "unknown"),
                    ("pkg:npm/left-pad@1.0.0", "GHSA-harmless", "none")])
        lines = {line.key: line.points for line in started.score().lines if line.key not in before}
    assert lines == {
        "finding:GHSA-jfh8-c2jp-5v3q@pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1": Decimal("30"),
        "finding:GHSA-unknown@pkg:npm/lodash@4.17.15": Decimal("7.5"),
    }

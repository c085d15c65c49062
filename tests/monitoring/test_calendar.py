"""Calendar facts without scanning: certificates, contracts, DPA, reviews, conditions — and their resolution."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import acting

pytestmark = [pytest.mark.django_db,
              pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")]


@pytest.fixture
def calendar_facts(tenant_a, make_integration):
    from vendorvet.web.assessments.models import Assessment, Certification, Condition, Decision
    from vendorvet.web.legal.models import Contract

    today = timezone.localdate()
    integration = make_integration(tenant_a, name="Payroll", data_categories=["personal"])
    vendor = integration.vendor
    with acting(tenant_a):
        iso = Certification.objects.create(vendor=vendor, kind="iso27001", certificate_number="DE-123",
                                           valid_until=today + dt.timedelta(days=20))
        Certification.objects.create(vendor=vendor, kind="bsi_c5", valid_until=today + dt.timedelta(days=400))
        contract = Contract.objects.create(vendor=vendor, type="main", title="Master agreement",
                                           end=today + dt.timedelta(days=40), notice_period_days=30)
        assessment = Assessment.objects.create(integration=integration, checklist_version="t", tier_at_start=2)
        decision = Decision.objects.create(assessment=assessment, outcome="approved_with_conditions",
                                           reviewer_label="anna", justification="ok", tier=2, score=80, grade="B",
                                           next_review_date=today - dt.timedelta(days=3))
        condition = Condition.objects.create(decision=decision, text="Enable SSO", owner="IT",
                                             due_date=today - dt.timedelta(days=1))
    return {"integration": integration, "iso": iso, "contract": contract, "condition": condition}


def test_sweep_records_each_calendar_fact_once_per_day_and_resolves_what_went_away(tenant_a, calendar_facts,
                                                                                immediate_tasks):
    from vendorvet.web.legal.models import Contract
    from vendorvet.web.monitoring import events
    from vendorvet.web.monitoring.models import MonitoringEvent

    today = timezone.localdate()
    with acting(tenant_a, kind="task"):
        recorded = events.sweep_calendar(today=today)
        by_kind = {r.event.kind: r.event for r in recorded if r.event.after.get("kind") != "expiry"}
        assert sorted(by_kind) == ["condition_overdue", "contract_deadline", "dpa_missing", "review_overdue",
                                   "vendor_cert_expiring"]
        # the contract has two dates (notice in 10 days, end in 40); the C5 (400 days) is not due
        assert len(recorded) == 6 and all(r.fired for r in recorded)
        notice = by_kind["contract_deadline"]
        assert notice.after["kind"] == "notice" and notice.after["days_left"] == 10 and notice.severity == "high"
        assert by_kind["vendor_cert_expiring"].after["days_left"] == 20
        assert by_kind["review_overdue"].after["days_overdue"] == 3
        assert calendar_facts["integration"].tier >= 3 and by_kind["review_overdue"].severity == "medium"
        assert by_kind["condition_overdue"].integration == calendar_facts["integration"]
        assert by_kind["dpa_missing"].action and "Art. 28" in by_kind["dpa_missing"].action

        again = events.sweep_calendar(today=today)  # same day: nothing changes
        assert not any(r.fired for r in again)
        assert set(MonitoringEvent.objects.values_list("occurrences", flat=True)) == {1}

        events.sweep_calendar(today=today + dt.timedelta(days=1))  # next day: counted, not repeated
        assert MonitoringEvent.objects.get(kind="dpa_missing").occurrences == 2

        # the DPA is signed and the condition done: both events resolve on the next sweep
        Contract.objects.create(vendor=calendar_facts["integration"].vendor, type="dpa", title="AVV")
        condition = calendar_facts["condition"]
        condition.done = True
        condition.save()
        events.sweep_calendar(today=today + dt.timedelta(days=2))
        states = dict(MonitoringEvent.objects.values_list("kind", "state"))
    assert states["dpa_missing"] == "resolved" and states["condition_overdue"] == "resolved"
    assert states["review_overdue"] == "open"


def test_tls_expiry_from_the_stored_evidence(tenant_a, assessor_a, scan_settings, allow_private,
                                             scanned_integration):
    from vendorvet.web.monitoring import events
    from vendorvet.web.scans import services
    from vendorvet.web.scans.models import Finding

    with acting(tenant_a, assessor_a, role="assessor"):
        run = services.start_scan(scanned_integration)
        not_after = Finding.objects.get(run=run, check_id="tls.cert.expired").evidence["not_after"]
        expires = dt.datetime.fromisoformat(not_after).date()
        assert [r for r in events.sweep_calendar(today=expires - dt.timedelta(days=31))
                if r.event.kind == "tls_cert_expiring"] == []
        [tls] = [r.event for r in events.sweep_calendar(today=expires - dt.timedelta(days=5))
                 if r.event.kind == "tls_cert_expiring"]
        assert tls.severity == "high" and tls.after["days_left"] == 5
        assert tls.integration == scanned_integration and tls.run == run
        [expired] = [r for r in events.sweep_calendar(today=expires + dt.timedelta(days=1))
                     if r.event.kind == "tls_cert_expiring"]
        assert expired.event.pk == tls.pk and expired.event.severity == "critical" and expired.event.occurrences == 2

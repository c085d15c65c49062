"""Demo reviews: certifications, one decided and one running assessment, legal profiles and
transfer checks — so a first look at the demo shows the whole process, not only an inventory.

Runs once, when the demo tenant is created, inside its tenant session (actor: the demo loader).
Certificate numbers are marked as demo values; nothing here claims a real vendor's certificate.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

DEMO_CERT_PREFIX = "DEMO-"


def load_reviews(integrations: dict, vendors: dict) -> None:
    from vendorvet.web.assessments import services as review
    from vendorvet.web.assessments.models import Certification
    from vendorvet.web.inventory.services import save_object
    from vendorvet.web.legal import services as legal
    from vendorvet.web.legal.models import VendorLegal

    today = timezone.localdate()

    # Certification register: one current, one expiring soon (flagged), one SOC 2 report with a bridge letter.
    for vendor_key, fields in (
        ("microsoft", {"kind": "iso27001", "certificate_number": f"{DEMO_CERT_PREFIX}ISO-0001",
                       "issuer": "accredited certification body (see the vendor's trust center)",
                       "scope": "Microsoft 365 services (demo entry)", "valid_until": today + dt.timedelta(days=420)}),
        ("personio", {"kind": "iso27001", "certificate_number": f"{DEMO_CERT_PREFIX}ISO-0002",
                      "issuer": "accredited certification body", "scope": "Personio HR platform (demo entry)",
                      "valid_until": today + dt.timedelta(days=45)}),
        ("salesforce", {"kind": "soc2_type2", "issuer": "independent auditor", "scope": "Sales Cloud (demo entry)",
                        "period_end": today - dt.timedelta(days=120),
                        "bridge_letter_until": today + dt.timedelta(days=20)}),
    ):
        save_object(Certification(vendor=vendors[vendor_key], **fields), creating=True)

    # Legal profiles: a US vendor certified under the DPF, and one whose status nobody has checked.
    save_object(VendorLegal(vendor=vendors["salesforce"], parent_country="US", dpf_status="yes",
                            dpf_checked=today), creating=True)
    save_object(VendorLegal(vendor=vendors["hubspot"], parent_country="US", dpf_status="unknown"), creating=True)
    for name in ("Salesforce Sales Cloud", "HubSpot Marketing Hub"):
        legal.run_assessment(integrations[name])

    # A decided review with a condition (GitHub) and one in progress (HubSpot).
    github = integrations["GitHub Enterprise Cloud"]
    decided = review.start_assessment(github)
    for index, answer in enumerate(decided.answers.order_by("requirement_id")):
        review.answer(answer, "partly_met" if index == 3 else "met",
                      "Checked in the vendor's trust center and the enterprise agreement (demo).")
    review.decide(decided, "approve_with_conditions",
                  "Acceptable for source code and CI secrets once SSO and MFA are enforced for every owner.",
                  [("Enforce SAML SSO and MFA for all organisation owners", "IT — Jonas Berger",
                    today + dt.timedelta(days=30))])

    hubspot = integrations["HubSpot Marketing Hub"]
    running = review.start_assessment(hubspot)
    for answer in list(running.answers.order_by("requirement_id"))[:4]:
        review.answer(answer, "met", "From the vendor's security documentation (demo).")

    # Monitoring: the calendar checks run once so the page is not empty (expiring certificate, missing
    # DPAs, the open condition). Scheduled re-scans stay off in the demo: it must not start scanning real
    # vendors' production endpoints on its own — "Scan now" is an explicit choice.
    # The default alert rules e-mail administrators; a demo has no mail server, so they start switched
    # off (visible on the rules page, one click to enable).
    disable_scheduled_scans()
    from vendorvet.web.monitoring.alerts import ensure_default_rules
    from vendorvet.web.monitoring.events import sweep_calendar

    for rule in ensure_default_rules():
        rule.enabled = False
        save_object(rule)
    sweep_calendar()


def disable_scheduled_scans() -> None:
    from vendorvet.web.inventory.services import save_object
    from vendorvet.web.monitoring.models import MonitoringSettings

    if not MonitoringSettings.objects.exists():
        save_object(MonitoringSettings(enabled=False), creating=True)

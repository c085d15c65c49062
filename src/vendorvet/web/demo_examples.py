"""Demo consistency (issue 13): what the demo promises is there, and nothing in it contradicts itself.

Kept apart from ``demo.py`` / ``demo_reviews.py`` (the tenants and the first reviews) so each part stays small:

- every approved integration has a decided review (an approval without one is what the product forbids);
- alert rules that need a mail server start disabled in every demo tenant (the demo has none);
- the discovery example: an Entra ID export with an app from an unverified publisher that reads and sends mail
  (``demo_data/discovery``, the same files the discovery tests use);
- the SBOM example: the backup agent's SBOM with log4j-core 2.14.1 (``demo_data/sbom``).

Runs once, when a demo tenant is created, inside its tenant session (actor: the demo loader).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils import timezone

DATA = Path(__file__).resolve().parent / "demo_data"
ENTRA_FILES = ("entra_oauth2_permission_grants.json", "entra_graph_app_role_assigned_to.json",
               "entra_service_principals_page2.json", "entra_service_principals_page1.json")
SBOM_INTEGRATION = "Veeam Backup & Replication agent"
SBOM_FILE = "veeam-agent-12.1.cdx.json"
MAIL_CHANNELS = ("email",)  # channels that need SMTP
APPROVED = ("approved", "approved_with_conditions")
DEMO_NOTE = "Checked in the vendor's trust center and contract documents (demo)."


def complete(tenant_slug: str) -> None:
    """Everything above, for the demo tenant ``tenant_slug`` (the active tenant session)."""
    decide_approved()
    quiet_mail_rules()
    if tenant_slug == "nordlicht":
        load_discovery_example()
        load_sbom_example()


def decide_approved() -> int:
    """A decided review for every approved integration that has none; returns how many were added."""
    from vendorvet.web.assessments import services as review
    from vendorvet.web.assessments.models import Assessment, Decision
    from vendorvet.web.core.review import collect as collect_evidence
    from vendorvet.web.inventory.models import Integration

    today, added = timezone.localdate(), 0
    decided = set(Decision.objects.values_list("assessment__integration_id", flat=True))
    for integration in Integration.objects.filter(status__in=APPROVED).order_by("name"):
        if integration.pk in decided:
            continue
        status = integration.status
        assessment = (Assessment.objects.filter(integration=integration).exclude(status="decided").first()
                      or review.start_assessment(integration))
        answers = list(assessment.answers.order_by("requirement_id"))
        evidence = collect_evidence(integration, [a.requirement_id for a in answers])  # once for all points
        for index, answer in enumerate(answers):
            partly = status == "approved_with_conditions" and index == 0
            review.answer(answer, "partly_met" if partly else "met", DEMO_NOTE, evidence=evidence)
        if status == "approved_with_conditions":
            review.decide(assessment, "approve_with_conditions",
                          "Acceptable once the open point is closed (demo decision).",
                          [("Close the partly met requirement with the vendor", "IT — Jonas Berger",
                            today + dt.timedelta(days=45))])
        else:
            review.decide(assessment, "approve", "All mandatory requirements met (demo decision).")
        added += 1
    return added


def quiet_mail_rules() -> None:
    """The default alert rules exist; those that send e-mail start disabled (the demo has no mail server)."""
    from vendorvet.web.inventory.services import save_object
    from vendorvet.web.monitoring.alerts import ensure_default_rules

    for rule in ensure_default_rules():
        if rule.channel in MAIL_CHANNELS and rule.enabled:
            rule.enabled = False
            save_object(rule)


def load_discovery_example():
    """An Entra ID export: a mail-reading app from an unverified publisher among known ones."""
    from vendorvet.web.discovery.importer import run_import

    return run_import("entra", [DATA / "discovery" / name for name in ENTRA_FILES], names=list(ENTRA_FILES))


def load_sbom_example():
    """The backup agent's SBOM with log4j-core 2.14.1 (Log4Shell, once OSV data is imported)."""
    from vendorvet.web.inventory.models import Integration
    from vendorvet.web.supplychain.services import import_sbom

    integration = Integration.objects.get(name=SBOM_INTEGRATION)
    return import_sbom(integration, (DATA / "sbom" / SBOM_FILE).read_bytes(), label="12.1", filename=SBOM_FILE)

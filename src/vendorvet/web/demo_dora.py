"""Demo data: Elbufer Finanz AG, a small Hamburg credit institution — the demo's financial entity under DORA, with
a complete register of information (issue 15): a branch in Copenhagen (B_01.03), the group's own IT company as ICT
intra-group service provider (B_01.02, B_02.03, B_03.03) and a supply chain three ranks deep (B_05.02).

Elbufer Finanz AG and its three ICT providers are invented; so are their LEIs: each starts with ``VVDEMO`` and
carries check digits computed per ISO 17442 (ISO 7064 MOD 97-10), so they validate but name no real entity.
Loaded like the other demo tenants (``demo.py``), inside the tenant session of the demo loader.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from vendorvet.engine.dora.lei import with_check_digits


def demo_lei(name: str) -> str:
    return with_check_digits(("VVDEMO" + re.sub(r"[^0-9A-Z]", "", name.upper()))[:18].ljust(18, "0"))


ELBUFER_LEI = demo_lei("ELBUFERFIN")

ELBUFER_VENDORS: dict[str, dict[str, Any]] = {
    "alsterdata": {"name": "Alsterdata Kernbank AG", "country": "DE", "website": "https://alsterdata.example",
                   "notes": "Core banking platform as a service (invented demo provider).", "contacts": []},
    "nordkap": {"name": "Nordkap Cloud GmbH", "country": "DE", "website": "https://nordkap-cloud.example",
                "notes": "Private cloud hosting in Frankfurt and Hamburg (invented demo provider).", "contacts": []},
    "fleetwatch": {"name": "Fleetwatch Security GmbH", "country": "DE", "website": "https://fleetwatch.example",
                   "notes": "Security operations centre, 24/7 (invented demo provider).", "contacts": []},
    "groupit": {"name": "Elbufer IT-Services GmbH", "country": "DE", "website": "https://it.elbufer.example",
                "notes": "The group's own IT company: workplace IT and the group's cloud contract (invented).",
                "contacts": []},
}

ELBUFER_INTEGRATIONS: list[dict[str, Any]] = [
    {"vendor": "alsterdata", "name": "Alsterdata Core Banking", "kind": "saas",
     "purpose": "Accounts, payments and loans: the bank's core system.", "business_owner": "Jana Petersen (COO)",
     "department": "Operations", "status": "approved", "data_categories": ["personal", "financial"],
     "data_subjects": ["customers"], "approx_users": 60, "approx_records": 45000, "processing_countries": ["DE"],
     "access_scope": "write", "outage_impact": "critical", "tags": ["core", "dora"]},
    {"vendor": "nordkap", "name": "Nordkap Private Cloud", "kind": "saas",
     "purpose": "Virtual machines for the data warehouse and reporting.", "business_owner": "Ole Hansen (IT)",
     "department": "IT", "status": "approved", "data_categories": ["personal", "financial"],
     "data_subjects": ["customers", "employees"], "approx_users": 12, "processing_countries": ["DE"],
     "access_scope": "admin", "outage_impact": "high", "tags": ["dora"]},
    {"vendor": "fleetwatch", "name": "Fleetwatch SOC", "kind": "agent",
     "purpose": "Log collection and 24/7 monitoring of security events.", "business_owner": "Ole Hansen (IT)",
     "department": "IT", "status": "approved", "data_categories": ["personal", "internal"],
     "data_subjects": ["employees"], "approx_users": 5, "processing_countries": ["DE", "DK"],
     "access_scope": "read", "outage_impact": "medium", "tags": ["security", "dora"]},
    {"vendor": "groupit", "name": "Elbufer Arbeitsplatz-IT", "kind": "agent",
     "purpose": "Workplaces, e-mail and user support for all staff, run by the group's IT company.",
     "business_owner": "Ole Hansen (IT)", "department": "IT", "status": "approved",
     "data_categories": ["personal", "internal"], "data_subjects": ["employees"], "approx_users": 80,
     "processing_countries": ["DE"], "access_scope": "admin", "outage_impact": "high", "tags": ["dora"]},
]

FUNCTIONS = [
    {"identifier": "F1", "name": "Zahlungsverkehr", "licensed_activity": "eba_TA:x28", "criticality": "eba_BT:x28",
     "reasons": "Payments for all customers depend on it.", "rto_hours": 4, "rpo_hours": 1,
     "impact": "eba_ZZ:x793"},
    {"identifier": "F2", "name": "Kreditgeschäft", "licensed_activity": "eba_TA:x163", "criticality": "eba_BT:x28",
     "reasons": "Lending is licensed core business.", "rto_hours": 24, "rpo_hours": 4, "impact": "eba_ZZ:x793"},
    {"identifier": "F3", "name": "Meldewesen", "licensed_activity": "eba_TA:x250", "criticality": "eba_BT:x29",
     "rto_hours": 72, "rpo_hours": 24, "impact": "eba_ZZ:x791"},
]

BRANCH = {"code": "EF-DK-001", "name": "Elbufer Finanz AG, filial af Elbufer Finanz AG, Tyskland", "country": "DK"}

# vendor key -> (contract fields, contract DORA fields, provider's sub-processors: name, country, LEI name and the
# sub-processor subcontracting to it — empty: the vendor itself)
CONTRACTS: dict[str, tuple[dict, dict, list[tuple[str, str, str, str]]]] = {
    "alsterdata": ({"type": "main", "title": "Kernbank-Servicevertrag", "reference": "EF-2023-001",
                    "start": dt.date(2023, 1, 1), "notice_period_days": 365},
                   {"annual_cost": Decimal("480000"), "notice_provider_days": 730, "governing_law_country": "DE"},
                   [("Nordkap Cloud GmbH", "DE", "NORDKAPCLOUD", ""),
                    ("Hanse Rechenzentrum GmbH", "DE", "HANSERZ", "Nordkap Cloud GmbH")]),
    "nordkap": ({"type": "main", "title": "Private-Cloud-Rahmenvertrag", "reference": "EF-2024-007",
                 "start": dt.date(2024, 4, 1), "end": dt.date(2028, 3, 31), "notice_period_days": 180},
                {"annual_cost": Decimal("96000"), "notice_provider_days": 365, "governing_law_country": "DE"}, []),
    "fleetwatch": ({"type": "main", "title": "SOC-Dienstleistungsvertrag", "reference": "EF-2025-003",
                    "start": dt.date(2025, 2, 1), "notice_period_days": 90},
                   {"annual_cost": Decimal("54000"), "notice_provider_days": 180, "governing_law_country": "DE"},
                   [("Skagen Telemetry ApS", "DK", "SKAGENTELEMETRY", "")]),
    "groupit": ({"type": "main", "title": "Konzerninterne IT-Dienstleistungsvereinbarung", "reference": "EF-IG-001",
                 "start": dt.date(2024, 1, 1), "notice_period_days": 180},
                {"annual_cost": Decimal("210000"), "notice_provider_days": 365, "governing_law_country": "DE"}, []),
}
GROUP_VENDOR = "groupit"  # the ICT intra-group service provider (a subsidiary of Elbufer Finanz AG)
SIGNED_BY_GROUP = "nordkap"  # the group's IT company signed the private cloud contract for the group
BRANCH_USES = "fleetwatch"  # the Copenhagen branch is monitored by the SOC too

SERVICES: dict[str, dict[str, Any]] = {
    "Alsterdata Core Banking": {
        "functions": ["F1", "F2"], "ict_service_type": "eba_TA:S19", "provision_country": "DE", "data_stored": True,
        "storage_countries": ["DE"], "processing_countries": ["DE"], "sensitiveness": "eba_ZZ:x793",
        "reliance": "eba_ZZ:x797", "substitutability": "eba_ZZ:x960", "non_substitutability_reason": "eba_ZZ:x964",
        "last_audit": dt.date(2025, 9, 15), "exit_plan": True, "reintegration": "eba_ZZ:x967",
        "impact": "eba_ZZ:x793", "alternatives_identified": "eba_BT:x28", "alternatives": "Two other core banking "
                                                                                          "providers shortlisted"},
    "Nordkap Private Cloud": {
        "functions": ["F3"], "ict_service_type": "eba_TA:S17", "provision_country": "DE", "data_stored": True,
        "storage_countries": ["DE"], "processing_countries": ["DE"], "sensitiveness": "eba_ZZ:x792",
        "reliance": "eba_ZZ:x796", "substitutability": "eba_ZZ:x961", "last_audit": dt.date(2025, 5, 20),
        "exit_plan": True, "reintegration": "eba_ZZ:x966", "impact": "eba_ZZ:x792",
        "alternatives_identified": "eba_BT:x28"},
    "Fleetwatch SOC": {
        "functions": ["F1", "F2", "F3"], "ict_service_type": "eba_TA:S04", "provision_country": "DE",
        "data_stored": True, "storage_countries": ["DE"], "processing_countries": ["DE", "DK"],
        "sensitiveness": "eba_ZZ:x792", "reliance": "eba_ZZ:x795", "substitutability": "eba_ZZ:x962",
        "last_audit": dt.date(2025, 11, 3), "exit_plan": True, "reintegration": "eba_ZZ:x966",
        "impact": "eba_ZZ:x792", "alternatives_identified": "eba_BT:x28"},
    "Elbufer Arbeitsplatz-IT": {
        "functions": ["F1", "F2", "F3"], "ict_service_type": "eba_TA:S14", "provision_country": "DE",
        "data_stored": True, "storage_countries": ["DE"], "processing_countries": ["DE"],
        "sensitiveness": "eba_ZZ:x792", "reliance": "eba_ZZ:x796", "substitutability": "eba_ZZ:x961",
        "last_audit": dt.date(2025, 6, 30), "exit_plan": True, "reintegration": "eba_ZZ:x966",
        "impact": "eba_ZZ:x792", "alternatives_identified": "eba_BT:x29"},
}


def load_dora(integrations: dict, vendors: dict) -> None:
    """The financial entity's settings, functions, contracts and DORA profiles (the active tenant session)."""
    from vendorvet.web.dora.models import (
        DoraBranch,
        DoraContract,
        DoraFunction,
        DoraService,
        DoraSettings,
        DoraSubProcessor,
        DoraVendor,
    )
    from vendorvet.web.inventory.services import save_object
    from vendorvet.web.legal.models import Contract, SubProcessor

    save_object(DoraSettings(
        financial_entity=True, lei=ELBUFER_LEI, legal_name="Elbufer Finanz AG", country="DE",
        entity_type="eba_CT:x12", competent_authority="Bundesanstalt für Finanzdienstleistungsaufsicht (BaFin)",
        authority_country="DE", currency="EUR", total_assets=Decimal("850000000")))
    functions = {f["identifier"]: save_object(DoraFunction(last_assessment=dt.date(2025, 10, 1), **f))
                 for f in FUNCTIONS}
    branch = save_object(DoraBranch(**BRANCH))
    contracts, profiles = {}, {}
    for key, (fields, dora_fields, subs) in CONTRACTS.items():
        vendor = vendors[key]
        group = {"intra_group": True, "group_entity_type": "eba_CT:x317", "group_hierarchy": "eba_RP:x56"} \
            if key == GROUP_VENDOR else {}
        save_object(DoraVendor(vendor=vendor, lei=demo_lei(vendor.name.replace(" ", "")[:12]), **group))
        contract = save_object(Contract(vendor=vendor, **fields))
        contracts[key] = contract
        by_name = {}
        for name, country, lei_name, recipient in subs:
            sub = save_object(SubProcessor(vendor=vendor, name=name, country=country, purpose="Hosting and operations"))
            save_object(DoraSubProcessor(sub_processor=sub, lei=demo_lei(lei_name), recipient=by_name.get(recipient)))
            by_name[name] = sub
    for key, (_fields, dora_fields, _subs) in CONTRACTS.items():
        signed = {"signed_by": vendors[GROUP_VENDOR]} if key == SIGNED_BY_GROUP else {}
        profiles[key] = save_object(DoraContract(contract=contracts[key], **dora_fields, **signed))
    profiles[BRANCH_USES].branches.set([branch])
    profiles[GROUP_VENDOR].linked_contracts.set([contracts[SIGNED_BY_GROUP]])
    for name, spec in SERVICES.items():
        integration = integrations[name]
        fields = {k: v for k, v in spec.items() if k != "functions"}
        service = save_object(DoraService(integration=integration, contract=contracts[_vendor_key(integration,
                                                                                                     vendors)],
                                          **fields))
        service.functions.set([functions[f] for f in spec["functions"]])


def _vendor_key(integration, vendors: dict) -> str:
    return next(key for key, vendor in vendors.items() if vendor.pk == integration.vendor_id)

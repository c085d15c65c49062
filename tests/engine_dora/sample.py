"""A small complete register (an e-money institution with two providers and one subcontractor)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from vendorvet.engine.dora import Contract, Entity, Function, Identifier, Provider, Register, Service
from vendorvet.engine.dora.lei import with_check_digits

ENTITY_LEI = with_check_digits("5299001ELBUFER0000")
CLOUD_LEI = with_check_digits("5299002CLOUDHOST00")
SUB_LEI = with_check_digits("5299003DATACENTER0")


def register() -> Register:
    entity = Entity(lei=ENTITY_LEI, name="Test Finanz AG", country="DE", entity_type="eba_CT:x302",
                    competent_authority="BaFin", total_assets=Decimal("120000000"))
    providers = {
        "cloud": Provider("cloud", "Cloud Host GmbH", Identifier(CLOUD_LEI), country="DE", subcontractors=["dc"]),
        "dc": Provider("dc", "Data Center SE", Identifier(SUB_LEI), country="DE"),
        "consult": Provider("consult", "Beratung KG", Identifier("HRB 12345", "CRN"), country="DE"),
    }
    functions = [
        Function("F1", "Payment processing", "eba_TA:x222", "eba_BT:x28", dt.date(2025, 6, 1), 4, 1,
                 "eba_ZZ:x793", reasons="Core business"),
        Function("F2", "Reporting", "eba_TA:x250", "eba_BT:x29", dt.date(2025, 6, 1), 48, 24, "eba_ZZ:x791"),
    ]
    core = Service("Core banking SaaS", "eba_TA:S19", ["F1", "F2"], provision_country="DE", data_stored=True,
                   storage_countries=["DE"], processing_countries=["DE", "AT"], sensitiveness="eba_ZZ:x793",
                   reliance="eba_ZZ:x797", substitutability="eba_ZZ:x960",
                   non_substitutability_reason="eba_ZZ:x964", last_audit=dt.date(2025, 3, 1), exit_plan=True,
                   reintegration="eba_ZZ:x967", impact="eba_ZZ:x793", alternatives_identified="eba_BT:x28",
                   alternatives="Other Host AG")
    advice = Service("Security consulting", "eba_TA:S15", ["F2"], provision_country="DE", data_stored=False,
                     substitutability="eba_ZZ:x962", exit_plan=False, reintegration="eba_ZZ:x798",
                     impact="eba_ZZ:x791", alternatives_identified="eba_BT:x21")
    contracts = [
        Contract("C-001", "cloud", annual_cost=Decimal("250000"), start=dt.date(2023, 1, 1), end=None,
                 notice_entity_days=180, notice_provider_days=365, governing_law_country="DE", services=[core]),
        Contract("C-002", "consult", annual_cost=Decimal("18000.50"), start=dt.date(2024, 5, 1),
                 end=dt.date(2027, 4, 30), notice_entity_days=30, notice_provider_days=30,
                 governing_law_country="DE", services=[advice]),
    ]
    return Register(entity, providers, functions, contracts, reference_date=dt.date(2025, 12, 31),
                    reporting_date=dt.date(2026, 3, 15))

"""The register of information as plain data: what a financial entity records about its ICT third-party
arrangements. Values of closed sets are EBA member codes (``eba_TA:S19``); countries are ISO 3166-1 alpha-2
codes and currencies ISO 4217 codes (the builder adds the ``eba_GA:`` / ``eba_CU:`` prefixes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

CODE_TYPES = {"LEI": "eba_qCO:qx2000", "national": "eba_qCO:qx2001", "EUID": "eba_qCO:qx2002",
              "CRN": "eba_qCO:qx2003", "VAT": "eba_qCO:qx2004", "passport": "eba_qCO:qx2005"}


@dataclass(frozen=True)
class Identifier:
    """How a provider is identified: the code and its kind (a key of :data:`CODE_TYPES`)."""

    code: str
    kind: str = "LEI"

    @property
    def code_type(self) -> str:
        return CODE_TYPES.get(self.kind, "")


@dataclass
class Branch:
    """A branch of the financial entity (B_01.03): its own identification code, name and country."""

    code: str
    name: str
    country: str
    head_office_lei: str = ""  # empty: the financial entity maintaining the register
    where: str = ""


@dataclass
class GroupEntity:
    """Another entity of the group within the scope of the register (B_01.02), e.g. an ICT intra-group service
    provider (entity type ``eba_CT:x317``); contracts whose provider has this LEI appear in B_03.03."""

    lei: str
    name: str
    country: str
    entity_type: str = "eba_CT:x317"
    hierarchy: str = "eba_RP:x56"
    parent_lei: str = ""  # empty: the financial entity maintaining the register
    total_assets: Decimal | None = None
    where: str = ""


@dataclass
class Entity:
    """The financial entity maintaining the register (B_01.01) and, here, the only entity in scope (B_01.02)."""

    lei: str
    name: str
    country: str
    entity_type: str
    competent_authority: str
    currency: str = "EUR"
    hierarchy: str = "eba_RP:x53"
    parent_lei: str = ""  # empty: the entity is its own parent (no group)
    total_assets: Decimal | None = None
    integrated: dt.date | None = None
    updated: dt.date | None = None
    consolidation: str = "IND"  # IND individual | CON consolidated
    authority_country: str = ""  # country of the competent authority (package name); the entity's by default
    branches: list[Branch] = field(default_factory=list)


@dataclass
class Provider:
    """An ICT third-party service provider, direct (a vendor) or further down the chain (a subcontractor)."""

    key: str  # internal, unique in the register
    name: str
    identifier: Identifier | None
    person_type: str = "eba_CT:x212"
    country: str = ""
    latin_name: str = ""
    additional: Identifier | None = None
    ultimate_parent: Identifier | None = None  # None: the provider is its own ultimate parent
    subcontractors: list[str] = field(default_factory=list)  # keys of providers serving this one (next rank)
    where: str = ""  # where a person fills its fields (a link in the web app); not reported


@dataclass
class Function:
    identifier: str  # e.g. F1
    name: str
    licensed_activity: str
    criticality: str  # eba_BT:x28 / x29 / x21
    last_assessment: dt.date | None
    rto_hours: int | None
    rpo_hours: int | None
    impact: str
    reasons: str = ""
    where: str = ""


@dataclass
class Service:
    """An ICT service received under a contract (an integration), supporting one or more functions."""

    name: str
    ict_service_type: str
    function_ids: list[str]
    provision_country: str = ""
    data_stored: bool | None = None
    storage_countries: list[str] = field(default_factory=list)
    processing_countries: list[str] = field(default_factory=list)
    sensitiveness: str = ""
    reliance: str = ""
    substitutability: str = ""
    non_substitutability_reason: str = ""
    last_audit: dt.date | None = None
    exit_plan: bool | None = None
    reintegration: str = ""
    impact: str = ""
    alternatives_identified: str = ""
    alternatives: str = ""
    where: str = ""


@dataclass
class Contract:
    reference: str
    provider_key: str
    arrangement_type: str = "eba_CO:x1"
    overarching_reference: str = ""
    currency: str = "EUR"
    annual_cost: Decimal | None = None
    start: dt.date | None = None
    end: dt.date | None = None  # None: open-ended (reported as 9999-12-31)
    termination_reason: str = ""
    notice_entity_days: int | None = None
    notice_provider_days: int | None = None
    governing_law_country: str = ""
    services: list[Service] = field(default_factory=list)
    branch_codes: list[str] = field(default_factory=list)  # branches (B_01.03 codes) using the services (B_04.01)
    # intra-group arrangement: the arrangements of the ICT intra-group provider with its own providers (B_02.03)
    linked_references: list[str] = field(default_factory=list)
    signer_lei: str = ""  # the entity of the group signing it (B_03.01); empty: the financial entity
    where: str = ""


@dataclass
class Register:
    entity: Entity
    providers: dict[str, Provider]
    functions: list[Function]
    contracts: list[Contract]
    reference_date: dt.date  # refPeriod: the date the register is reported as of
    reporting_date: dt.date  # B_01.01 c0060
    group_entities: list[GroupEntity] = field(default_factory=list)  # further B_01.02 rows

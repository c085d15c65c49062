"""From the tenant's records to the engine's register, and what is still missing for a complete register."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from vendorvet.engine import dora as engine
from vendorvet.engine.dora.model import Identifier
from vendorvet.web.core.context import require_tenant
from vendorvet.web.dora.models import (
    DoraBranch,
    DoraContract,
    DoraFunction,
    DoraService,
    DoraSettings,
    DoraVendor,
)
from vendorvet.web.inventory.models import Integration
from vendorvet.web.legal.models import IntegrationLegal, SubProcessor


def settings_for_tenant() -> DoraSettings | None:
    return DoraSettings.objects.first()


def is_financial_entity() -> bool:
    settings = settings_for_tenant()
    return bool(settings and settings.financial_entity)


def reference_date(today: dt.date) -> dt.date:
    """The register is reported as of the end of the previous year (refPeriod)."""
    return dt.date(today.year - 1, 12, 31)


def _identifier(obj) -> Identifier | None:
    if obj is None:
        return None
    if obj.lei:
        return Identifier(obj.lei, "LEI")
    if obj.other_code:
        return Identifier(obj.other_code, obj.other_code_kind)
    return None


def _key(identifier: Identifier | None, fallback: str) -> str:
    return f"{identifier.kind}:{identifier.code}" if identifier else fallback


@dataclass
class Assembly:
    register: engine.Register
    settings: DoraSettings
    contracts: list = field(default_factory=list)  # the legal contracts in the register
    unassigned: list = field(default_factory=list)  # integrations in use that are in no contract of the register


def assemble(today: dt.date | None = None) -> Assembly | None:
    """The active tenant's register, or None when the tenant is not a financial entity."""
    settings = settings_for_tenant()
    if settings is None or not settings.financial_entity:
        return None
    tenant = require_tenant()
    today = today or timezone.localdate()
    entity = engine.Entity(
        lei=settings.lei, name=settings.legal_name or tenant.name, country=settings.country,
        entity_type=settings.entity_type, competent_authority=settings.competent_authority,
        currency=settings.currency, total_assets=settings.total_assets, consolidation=settings.consolidation,
        authority_country=settings.authority_country, integrated=settings.created.date(),
        updated=settings.last_updated.date(),
        branches=[engine.Branch(b.code, b.name, b.country, where=b.get_absolute_url())
                  for b in DoraBranch.objects.order_by("code")])
    group = list(DoraVendor.objects.select_related("vendor").filter(intra_group=True).exclude(lei="")
                 .order_by("vendor__name", "pk"))
    group_entities = [engine.GroupEntity(g.lei, g.vendor.name, g.vendor.country, entity_type=g.group_entity_type,
                                         hierarchy=g.group_hierarchy, where=reverse("dora:vendor", args=[g.vendor_id]))
                      for g in group]
    group_leis = {g.vendor_id: g.lei for g in group}
    services = list(DoraService.objects.select_related("integration", "integration__vendor", "contract",
                                                       "contract__vendor")
                    .prefetch_related("functions").exclude(integration__status="retired")
                    .filter(contract__isnull=False).order_by("integration__name", "pk"))
    profiles = {p.contract_id: p for p in DoraContract.objects.select_related("overarching")
                .prefetch_related("branches", "linked_contracts")}
    contracts = {s.contract_id: s.contract for s in services}
    for contract_id, profile in profiles.items():
        if profile.in_register:
            contracts.setdefault(contract_id, profile.contract)
    contracts = {pk: c for pk, c in contracts.items() if profiles.get(pk) is None or profiles[pk].in_register}
    legal = {lg.integration_id: lg for lg in IntegrationLegal.objects.filter(
        integration_id__in=[s.integration_id for s in services])}

    providers: dict[str, engine.Provider] = {}
    vendor_keys: dict[int, str] = {}
    vendor_ids = sorted({c.vendor_id for c in contracts.values()})
    subs_by_vendor: dict[int, list[SubProcessor]] = {}
    for sp in SubProcessor.objects.filter(vendor_id__in=vendor_ids).select_related("dora").order_by("name", "pk"):
        subs_by_vendor.setdefault(sp.vendor_id, []).append(sp)
    for contract in sorted(contracts.values(), key=lambda c: (c.vendor.name, c.pk)):
        vendor = contract.vendor
        if vendor.pk in vendor_keys:
            continue
        profile = getattr(vendor, "dora", None) if hasattr(vendor, "dora") else None
        ident = _identifier(profile)
        key = _key(ident, f"vendor:{vendor.pk}")
        vendor_keys[vendor.pk] = key
        providers[key] = engine.Provider(
            key=key, name=vendor.name, identifier=ident, country=vendor.country,
            person_type=profile.person_type if profile else "eba_CT:x212",
            latin_name=profile.latin_name if profile else "",
            ultimate_parent=Identifier(profile.parent_lei) if profile and profile.parent_lei else None,
            where=reverse("dora:vendor", args=[vendor.pk]))
    for vendor_pk, key in vendor_keys.items():
        _supply_chain(providers, key, subs_by_vendor.get(vendor_pk, []))

    functions = [engine.Function(
        identifier=f.identifier, name=f.name, licensed_activity=f.licensed_activity, criticality=f.criticality,
        last_assessment=f.last_assessment, rto_hours=f.rto_hours, rpo_hours=f.rpo_hours, impact=f.impact,
        reasons=f.reasons, where=f.get_absolute_url()) for f in DoraFunction.objects.order_by("identifier")]

    by_contract: dict[int, list[engine.Service]] = {}
    for s in services:
        integration = s.integration
        lg = legal.get(integration.pk)
        storage = s.storage_countries or (lg.recorded_countries or lg.declared_countries if lg else [])
        by_contract.setdefault(s.contract_id, []).append(engine.Service(
            name=integration.name, ict_service_type=s.ict_service_type,
            function_ids=sorted(f.identifier for f in s.functions.all()),
            provision_country=s.provision_country, data_stored=s.data_stored,
            storage_countries=list(storage), processing_countries=list(s.processing_countries
                                                                       or integration.processing_countries),
            sensitiveness=s.sensitiveness, reliance=s.reliance, substitutability=s.substitutability,
            non_substitutability_reason=s.non_substitutability_reason, last_audit=s.last_audit,
            exit_plan=s.exit_plan, reintegration=s.reintegration, impact=s.impact,
            alternatives_identified=s.alternatives_identified, alternatives=s.alternatives,
            where=reverse("dora:integration", args=[integration.pk])))

    engine_contracts = []
    for contract in sorted(contracts.values(), key=lambda c: (contract_reference(c), c.pk)):
        profile = profiles.get(contract.pk)
        engine_contracts.append(engine.Contract(
            reference=contract_reference(contract), provider_key=vendor_keys[contract.vendor_id],
            arrangement_type=profile.arrangement_type if profile else "eba_CO:x1",
            overarching_reference=contract_reference(profile.overarching) if profile and profile.overarching else "",
            currency=profile.currency if profile else settings.currency,
            annual_cost=profile.annual_cost if profile else None, start=contract.start, end=contract.end,
            termination_reason=profile.termination_reason if profile else "",
            notice_entity_days=contract.notice_period_days,
            notice_provider_days=profile.notice_provider_days if profile else None,
            governing_law_country=profile.governing_law_country if profile else "",
            services=by_contract.get(contract.pk, []), where=reverse("dora:contract", args=[contract.pk]),
            branch_codes=sorted(b.code for b in profile.branches.all()) if profile else [],
            linked_references=sorted(contract_reference(c) for c in profile.linked_contracts.all()) if profile else [],
            signer_lei=group_leis.get(profile.signed_by_id, "") if profile and profile.signed_by_id else ""))
    register = engine.Register(entity, providers, functions, engine_contracts,
                               reference_date=reference_date(today), reporting_date=today,
                               group_entities=group_entities)
    in_use = set(DoraService.objects.filter(contract__isnull=False).values_list("integration_id", flat=True))
    unassigned = list(Integration.objects.select_related("vendor")
                      .filter(status__in=("approved", "approved_with_conditions")).exclude(pk__in=in_use)
                      .order_by("name", "pk"))
    return Assembly(register, settings, sorted(contracts.values(), key=lambda c: c.pk), unassigned)


def _supply_chain(providers: dict[str, engine.Provider], vendor_key: str, subs: list[SubProcessor]) -> None:
    """The vendor's sub-processors as its supply chain: each under the sub-processor that subcontracts to it
    (its recipient), or under the vendor itself. Sub-processors outside the supply chain are skipped — one below
    them moves up to the nearest one in it. The walk up the recipients stops at a circle (the form refuses
    one, older or imported data may still hold one)."""
    profiles = {sp.pk: getattr(sp, "dora", None) if hasattr(sp, "dora") else None for sp in subs}
    keys: dict[int, str] = {}
    for sp in subs:
        profile = profiles[sp.pk]
        if profile is not None and not profile.in_supply_chain:
            continue
        ident = _identifier(profile)
        keys[sp.pk] = _key(ident, f"sub:{sp.pk}")
        if keys[sp.pk] not in providers:
            providers[keys[sp.pk]] = engine.Provider(
                key=keys[sp.pk], name=sp.name, identifier=ident, country=sp.country,
                person_type=profile.person_type if profile else "eba_CT:x212",
                where=reverse("dora:sub_processor", args=[sp.pk]))
    for sp in subs:
        if sp.pk not in keys:
            continue
        parent, seen = vendor_key, {sp.pk}
        profile = profiles[sp.pk]
        up = profile.recipient_id if profile else None
        while up is not None and up not in seen and up in profiles:
            seen.add(up)
            if up in keys:
                parent = keys[up]
                break
            up = profiles[up].recipient_id if profiles[up] else None
        child = keys[sp.pk]
        if child != parent and child not in providers[parent].subcontractors:
            providers[parent].subcontractors.append(child)


def contract_reference(contract) -> str:
    return (contract.reference or "").strip() or f"VV-{contract.pk}"


@dataclass
class Gap:
    """A place where the register is incomplete: the object, its link, and the problems found there."""

    subject: str
    where: str
    problems: list[str]


def completeness(assembly: Assembly, language: str = "en") -> tuple[list[engine.Issue], list[Gap]]:
    """All issues, and the same grouped by the object to fill in (one entry per page to visit)."""
    issues = engine.validate(engine.build(assembly.register), assembly.register.reporting_date)
    settings_url = reverse("dora:settings")
    gaps: dict[str, Gap] = {}
    for issue in issues:
        where = issue.where or settings_url
        subject = issue.subject if issue.where else assembly.register.entity.name
        gap = gaps.setdefault(where, Gap(subject, where, []))
        text = issue.message_de if language == "de" else issue.message
        line = f"{issue.template} {issue.column}: {text}"
        if line not in gap.problems:
            gap.problems.append(line)
    return issues, list(gaps.values())

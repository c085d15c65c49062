"""Build the templates' rows from a :class:`~vendorvet.engine.dora.model.Register` — values as filed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import vendorvet.engine.dora.definitions as definitions
from vendorvet.engine.dora.model import Contract, Identifier, Provider, Register

NOT_APPLICABLE_TEXT = "Not Applicable"  # key text columns without a value (B_04.01 c0040) [verify FAQ 64, see
# content/dora/templates.yaml]
YES, NO = "eba_BT:x28", "eba_BT:x29"
NOT_A_BRANCH, BRANCH = "eba_ZZ:x839", "eba_ZZ:x838"
LEI_TYPE = "eba_qCO:qx2000"


@dataclass
class Row:
    values: dict[str, str]
    subject: str = ""  # what the row is about, for people ("contract C-17, service Personio")
    where: str = ""  # where its data is filled in (a link in the web app)


Tables = dict[str, list[Row]]


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _end(value: dt.date | None) -> str:
    return value.isoformat() if value else definitions.open_date()


def _amount(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text


def _int(value: int | None) -> str:
    return "" if value is None else str(int(value))


def _country(code: str) -> str:
    return f"eba_GA:{code.upper()}" if code else ""


def _country_key(code: str) -> str:
    return _country(code) or definitions.not_applicable_country()


def _currency(code: str) -> str:
    return f"eba_CU:{code.upper()}" if code else ""


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (YES if value else NO)


def _ident(identifier: Identifier | None) -> tuple[str, str]:
    if identifier is None or not identifier.code:
        return "", ""
    return identifier.code, identifier.code_type


def _chain(register: Register, start: str) -> list[tuple[int, str, str]]:
    """(rank, provider key, recipient key) below the direct provider ``start``: its subcontractors are rank 2,
    theirs rank 3 … (breadth first). Every subcontracting link is reported once, also when two providers of the
    chain use the same subcontractor; each provider's own subcontractors are expanded once, and a link back to a
    provider further up the same chain (a cycle in the data) is left out, so the walk always ends."""
    out: list[tuple[int, str, str]] = []
    ancestors = {start: frozenset({start})}  # provider -> the providers above it (itself included)
    level, rank, expanded, links = [start], 1, {start}, set()
    while level:
        rank += 1
        following = []
        for recipient in level:
            provider = register.providers.get(recipient)
            for key in (provider.subcontractors if provider else []):
                if key in ancestors[recipient] or (key, recipient) in links:
                    continue
                links.add((key, recipient))
                out.append((rank, key, recipient))
                if key not in expanded:
                    expanded.add(key)
                    ancestors[key] = ancestors[recipient] | {key}
                    following.append(key)
        level = following
    return out


def _provider_rows(register: Register, direct_costs: dict[str, Decimal], used: list[str]) -> list[Row]:
    rows = []
    for key in used:
        p: Provider = register.providers[key]
        code, kind = _ident(p.identifier)
        extra, extra_kind = _ident(p.additional)
        parent, parent_kind = _ident(p.ultimate_parent) if p.ultimate_parent else (code, kind)
        direct = key in direct_costs
        rows.append(Row({
            "c0010": code, "c0020": kind, "c0030": extra, "c0040": extra_kind, "c0050": p.name,
            "c0060": p.latin_name, "c0070": p.person_type, "c0080": _country(p.country),
            "c0090": _currency(register.entity.currency) if direct else "",
            "c0100": _amount(direct_costs[key]) if direct else "",
            "c0110": parent, "c0120": parent_kind,
        }, subject=p.name, where=p.where))
    return rows


def build(register: Register) -> Tables:
    entity = register.entity
    lei = entity.lei
    tables: Tables = {template_id: [] for template_id in definitions.templates()}
    tables["B_01.01"].append(Row({
        "c0010": lei, "c0020": entity.name, "c0030": _country(entity.country), "c0040": entity.entity_type,
        "c0050": entity.competent_authority, "c0060": _date(register.reporting_date)}, subject=entity.name))
    tables["B_01.02"].append(Row({
        "c0010": lei, "c0020": entity.name, "c0030": _country(entity.country), "c0040": entity.entity_type,
        "c0050": entity.hierarchy, "c0060": entity.parent_lei or lei,
        "c0070": _date(entity.updated or register.reporting_date),
        "c0080": _date(entity.integrated or register.reporting_date), "c0090": definitions.open_date(),
        "c0100": _currency(entity.currency), "c0110": _amount(entity.total_assets)}, subject=entity.name))
    for g in register.group_entities:
        tables["B_01.02"].append(Row({
            "c0010": g.lei, "c0020": g.name, "c0030": _country(g.country), "c0040": g.entity_type,
            "c0050": g.hierarchy, "c0060": g.parent_lei or lei,
            "c0070": _date(entity.updated or register.reporting_date),
            "c0080": _date(entity.integrated or register.reporting_date), "c0090": definitions.open_date(),
            "c0100": _currency(entity.currency), "c0110": _amount(g.total_assets)}, subject=g.name, where=g.where))
    for b in entity.branches:
        tables["B_01.03"].append(Row({"c0010": b.code, "c0020": b.head_office_lei or lei, "c0030": b.name,
                                      "c0040": _country(b.country)}, subject=b.name, where=b.where))

    used: list[str] = []
    direct_costs: dict[str, Decimal] = {}

    def use(key: str) -> None:
        if key in register.providers and key not in used:
            used.append(key)

    for contract in register.contracts:
        _contract_rows(register, contract, tables)
        provider = register.providers.get(contract.provider_key)
        if provider is not None:
            use(contract.provider_key)
            direct_costs[contract.provider_key] = direct_costs.get(contract.provider_key, Decimal(0)) \
                + (contract.annual_cost or Decimal(0))
            for _rank, key, _recipient in _chain(register, contract.provider_key):
                use(key)
    tables["B_05.01"] = _provider_rows(register, direct_costs, used)

    for f in register.functions:
        tables["B_06.01"].append(Row({
            "c0010": f.identifier, "c0020": f.licensed_activity, "c0030": f.name, "c0040": lei,
            "c0050": f.criticality, "c0060": f.reasons, "c0070": _date(f.last_assessment),
            "c0080": _int(f.rto_hours), "c0090": _int(f.rpo_hours), "c0100": f.impact},
            subject=f"{f.identifier} {f.name}", where=f.where))
    return tables


def _contract_rows(register: Register, c: Contract, tables: Tables) -> None:
    lei = register.entity.lei
    provider = register.providers.get(c.provider_key)
    code, kind = _ident(provider.identifier if provider else None)
    subject = f"{c.reference} ({provider.name if provider else c.provider_key})"
    tables["B_02.01"].append(Row({
        "c0010": c.reference, "c0020": c.arrangement_type, "c0030": c.overarching_reference,
        "c0040": _currency(c.currency), "c0050": _amount(c.annual_cost)}, subject=subject, where=c.where))
    for linked in c.linked_references:
        tables["B_02.03"].append(Row({"c0010": c.reference, "c0020": linked, "c0030": "true"}, subject, c.where))
    tables["B_03.01"].append(Row({"c0010": c.reference, "c0020": c.signer_lei or lei, "c0030": "true"},
                                 subject, c.where))
    tables["B_03.02"].append(Row({"c0010": c.reference, "c0020": code, "c0030": kind},
                                 subject, provider.where if provider else c.where))
    if kind == LEI_TYPE and code in {g.lei for g in register.group_entities}:
        # the provider is an entity of the group within the scope of the register: it signs for providing
        tables["B_03.03"].append(Row({"c0010": c.reference, "c0020": code, "c0031": "true"}, subject, c.where))
    tables["B_04.01"].append(Row({"c0010": c.reference, "c0020": lei, "c0030": NOT_A_BRANCH,
                                  "c0040": NOT_APPLICABLE_TEXT}, subject, c.where))
    head_offices = {b.code: b.head_office_lei or lei for b in register.entity.branches}
    for branch_code in c.branch_codes:
        tables["B_04.01"].append(Row({"c0010": c.reference, "c0020": head_offices.get(branch_code, lei),
                                      "c0030": BRANCH, "c0040": branch_code}, f"{subject}: {branch_code}", c.where))
    seen_assessments = set()
    for s in c.services:
        s_subject = f"{subject}: {s.name}"
        storage = [_country(x) for x in s.storage_countries] if s.data_stored else []
        processing = [_country(x) for x in s.processing_countries]
        base = {
            "c0010": c.reference, "c0020": lei, "c0030": code, "c0040": kind,
            "c0060": s.ict_service_type, "c0070": _date(c.start), "c0080": _end(c.end),
            "c0090": c.termination_reason, "c0100": _int(c.notice_entity_days),
            "c0110": _int(c.notice_provider_days), "c0120": _country(c.governing_law_country),
            "c0130": _country_key(s.provision_country), "c0140": _yes_no(s.data_stored),
            "c0170": s.sensitiveness, "c0180": s.reliance,
        }
        for function_id in s.function_ids or [""]:
            for at_rest in storage or [definitions.not_applicable_country()]:
                for managed in processing or [definitions.not_applicable_country()]:
                    tables["B_02.02"].append(Row({**base, "c0050": function_id, "c0150": at_rest,
                                                  "c0160": managed}, s_subject, s.where))
        tables["B_05.02"].append(Row({"c0010": c.reference, "c0020": s.ict_service_type, "c0030": code,
                                      "c0040": kind, "c0050": "1", "c0060": code, "c0070": kind},
                                     s_subject, s.where))
        for rank, key, recipient in _chain(register, c.provider_key):
            sub = register.providers.get(key)
            sub_code, sub_kind = _ident(sub.identifier if sub else None)
            rec_code, rec_kind = _ident(register.providers[recipient].identifier)
            tables["B_05.02"].append(Row({"c0010": c.reference, "c0020": s.ict_service_type, "c0030": sub_code,
                                          "c0040": sub_kind, "c0050": str(rank), "c0060": rec_code,
                                          "c0070": rec_kind}, f"{s_subject} ← {sub.name if sub else key}",
                                         sub.where if sub else ""))
        if (s.ict_service_type, code) in seen_assessments:
            continue
        seen_assessments.add((s.ict_service_type, code))
        tables["B_07.01"].append(Row({
            "c0010": c.reference, "c0020": code, "c0030": kind, "c0040": s.ict_service_type,
            "c0050": s.substitutability, "c0060": s.non_substitutability_reason, "c0070": _date(s.last_audit),
            "c0080": _yes_no(s.exit_plan), "c0090": s.reintegration, "c0100": s.impact,
            "c0110": s.alternatives_identified, "c0120": s.alternatives}, s_subject, s.where))

"""Legal writes and derived views — one implementation for web UI, API and CLI.

Writes check the role (through ``inventory.services.save_object``) and validate fully. A new
sub-processor re-runs the transfer check of every integration of its vendor.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from vendorvet.engine import transfer
from vendorvet.web.accounts import roles
from vendorvet.web.inventory import services as inventory_services
from vendorvet.web.inventory.models import Integration, Vendor
from vendorvet.web.legal.dpa import DPA_POINTS
from vendorvet.web.legal.models import (
    DpaItem,
    IntegrationLegal,
    SubProcessor,
    TransferAssessment,
    VendorLegal,
)

save_object = inventory_services.save_object
delete_object = inventory_services.delete_object


def integration_legal(integration: Integration) -> IntegrationLegal:
    """The stored legal profile, or an unsaved one with the defaults."""
    found = IntegrationLegal.objects.filter(integration=integration).first()
    return found or IntegrationLegal(integration=integration, tenant=integration.tenant)


def vendor_legal(vendor: Vendor) -> VendorLegal:
    found = VendorLegal.objects.filter(vendor=vendor).first()
    return found or VendorLegal(vendor=vendor, tenant=vendor.tenant)


# ----------------------------------------------------------------------------- data location
def scan_locations(integration: Integration) -> dict[str, list[str]]:
    """Country → scanned host names, from the server countries of the latest finished scan.

    Asked of the scans app through its hook (``core.events.HOOK_SCAN_LOCATIONS``); empty when the scans app
    or a finished scan is not there.
    """
    from vendorvet.web.core.events import HOOK_SCAN_LOCATIONS, hook

    locations = hook(HOOK_SCAN_LOCATIONS)
    return locations(integration) if locations is not None else {}


def scan_countries(integration: Integration) -> list[str]:
    return sorted(scan_locations(integration))


@dataclass
class Location:
    declared: list[str]
    recorded: list[str]
    detected: list[str]
    detected_sources: dict[str, list[str]] = field(default_factory=dict)
    undeclared: list[str] = field(default_factory=list)
    declared_eea_only: bool = False
    outside_eea: list[str] = field(default_factory=list)

    @property
    def mismatch(self) -> bool:
        return bool(self.undeclared)

    @property
    def undeclared_sources(self) -> list[tuple[str, list[str]]]:
        return [(c, self.detected_sources.get(c, [])) for c in self.undeclared]


def location(integration: Integration, legal: IntegrationLegal | None = None,
             sub_processors: list[SubProcessor] | None = None) -> Location:
    """Declared, recorded and detected countries, and the detected ones the vendor did not declare."""
    legal = legal or integration_legal(integration)
    if sub_processors is None:
        sub_processors = list(SubProcessor.objects.filter(vendor_id=integration.vendor_id))
    sources: dict[str, list[str]] = {}
    for code in integration.processing_countries or []:
        sources.setdefault(code, []).append("inventory")
    for sp in sub_processors:
        sources.setdefault(sp.country, []).append(f"sub-processor:{sp.name}")
    for code, hosts in scan_locations(integration).items():
        sources.setdefault(code, []).extend(f"scan:{host}" for host in hosts)
    detected = sorted(sources)
    declared = list(legal.declared_countries or [])
    tc = transfer.load_content()
    undeclared = [c for c in detected if declared and c not in declared] if declared else []
    all_known = set(declared) | set(legal.recorded_countries or []) | set(detected)
    return Location(
        declared=declared,
        recorded=list(legal.recorded_countries or []),
        detected=detected,
        detected_sources=sources,
        undeclared=undeclared,
        declared_eea_only=bool(declared) and all(c in tc.eea for c in declared),
        outside_eea=sorted(c for c in all_known if c not in tc.eea),
    )


# ----------------------------------------------------------------------------- transfer assessment
def engine_input(integration: Integration, legal: IntegrationLegal | None = None,
                 vlegal: VendorLegal | None = None) -> transfer.TransferInput:
    legal = legal or integration_legal(integration)
    vlegal = vlegal or vendor_legal(integration.vendor)
    vendor = integration.vendor
    if not vendor.country:
        raise transfer.TransferInputError("the vendor's country of establishment is not recorded")
    countries = sorted(set(integration.processing_countries or []) | set(legal.declared_countries or [])
                       | set(legal.recorded_countries or []) | set(scan_countries(integration)))
    subs = tuple(transfer.SubProcessor(country=sp.country, dpf=sp.dpf_status, name=sp.name)
                 for sp in SubProcessor.objects.filter(vendor=vendor).order_by("name", "country"))
    return transfer.TransferInput(
        our_role=legal.our_role, vendor_role=legal.vendor_role, vendor_country=vendor.country,
        processing_countries=tuple(countries), parent_country=vlegal.parent_country or None,
        dpf=vlegal.dpf_status, canada_pipeda=vlegal.canada_pipeda,
        data_categories=tuple(integration.data_categories or ()), sub_processors=subs,
    )


def inputs_as_dict(inp: transfer.TransferInput) -> dict:
    return {
        "our_role": inp.our_role, "vendor_role": inp.vendor_role, "vendor_country": inp.vendor_country,
        "processing_countries": list(inp.processing_countries), "parent_country": inp.parent_country,
        "dpf": inp.dpf, "canada_pipeda": inp.canada_pipeda, "data_categories": list(inp.data_categories),
        "sub_processors": [{"country": s.country, "dpf": s.dpf, "name": s.name} for s in inp.sub_processors],
    }


def run_assessment(integration: Integration, trigger: str = TransferAssessment.Trigger.MANUAL) -> TransferAssessment:
    """Run the engine on the integration's recorded facts and store the answer (needs ``add``)."""
    roles.require(roles.ADD)
    inp = engine_input(integration)
    result = transfer.check(inp)
    data = result.to_dict("en")
    assessment = TransferAssessment(
        integration=integration, tenant=integration.tenant, trigger=trigger, inputs=inputs_as_dict(inp),
        result=data, reasoning_de=result.to_dict("de")["reasoning"],
        third_country_transfer=result.third_country_transfer, basis=result.basis, scc_module=result.scc_module,
        tia_required=result.tia_required, onward_scc=any(o.basis == "scc" for o in result.onward_transfers),
        content_version=result.content_version,
    )
    assessment.full_clean()
    assessment.save()
    return assessment


def latest_assessment(integration: Integration) -> TransferAssessment | None:
    return TransferAssessment.objects.filter(integration=integration).order_by("-created", "-pk").first()


@transaction.atomic
def save_sub_processor(sub: SubProcessor) -> tuple[SubProcessor, list[TransferAssessment]]:
    """Save a sub-processor; a new one triggers a transfer check of each of the vendor's integrations.

    A new or changed sub-processor is a monitoring change event (``subprocessor_changed``)."""
    from vendorvet.web.legal import subprocessor_events

    creating = sub._state.adding
    before = None if creating else subprocessor_events.facts(SubProcessor.objects.filter(pk=sub.pk).first())
    save_object(sub, creating=creating)
    subprocessor_events.record_change(sub, before)
    assessments = []
    if creating:
        for integration in Integration.objects.filter(vendor=sub.vendor).select_related("vendor"):
            try:
                assessments.append(run_assessment(integration, TransferAssessment.Trigger.SUB_PROCESSOR))
            except transfer.TransferInputError:
                continue  # vendor country unknown: nothing to assess yet
    return sub, assessments


# ----------------------------------------------------------------------------- AVV/DPA checklist
@dataclass
class DpaRow:
    key: str
    article: str
    text: str
    item: DpaItem | None

    @property
    def state(self) -> str:
        return self.item.state if self.item else DpaItem.State.OPEN


def dpa_rows(vendor: Vendor) -> list[DpaRow]:
    items = {i.key: i for i in DpaItem.objects.filter(vendor=vendor)}
    from vendorvet.web.core.texts import citation

    return [DpaRow(p.key, citation(f"{p.article} GDPR"), str(p.text), items.get(p.key)) for p in DPA_POINTS]


def dpa_status(vendor: Vendor) -> dict:
    rows = dpa_rows(vendor)
    met = sum(r.state == DpaItem.State.MET for r in rows)
    missing = sum(r.state == DpaItem.State.MISSING for r in rows)
    state = "complete" if met == len(rows) else "gaps" if missing else "open"
    return {"met": met, "missing": missing, "open": len(rows) - met - missing, "total": len(rows), "state": state}


def set_dpa_item(vendor: Vendor, key: str, state: str, clause: str = "", note: str = "") -> DpaItem:
    item = DpaItem.objects.filter(vendor=vendor, key=key).first()
    if item is None:
        item = DpaItem(vendor=vendor, key=key, tenant=vendor.tenant)
    item.state, item.clause, item.note = state, clause.strip(), note.strip()
    return save_object(item, creating=item.pk is None)


# ----------------------------------------------------------------------------- for other apps
def due_reminders(horizon_days: int = 90) -> list[dict]:
    """Notice deadlines, expiries and renewals of the active tenant's contracts within the horizon
    (for the monitoring alerts): ``{"kind", "date", "days", "contract"}``, soonest first."""
    from vendorvet.web.legal.models import Contract

    due = []
    for contract in Contract.objects.select_related("vendor").exclude(end=None):
        due += [{**r, "contract": contract} for r in contract.reminders(horizon_days=horizon_days)]
    return sorted(due, key=lambda r: r["date"])


def legal_facts(integration: Integration) -> dict:
    """What the review (points 7 and 8, legal items) can read: transfer verdict and AVV/DPA state."""
    assessment = latest_assessment(integration)
    return {
        "transfer_basis": assessment.basis if assessment else None,
        "third_country_transfer": assessment.third_country_transfer if assessment else None,
        "scc_module": assessment.scc_module if assessment else None,
        "tia_required": assessment.tia_required if assessment else None,
        "onward_scc": assessment.onward_scc if assessment else None,
        "tia_completed": integration.tias.filter(state="completed").exists(),
        "dpa": dpa_status(integration.vendor),
        "location_mismatch": location(integration).mismatch,
    }

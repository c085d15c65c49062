"""Third-country transfer engine (GDPR Chapter V) — pure Python, no Django, no database.

Given our role and the vendor's, the vendor's country, where it processes the data, its parent
company's country, its DPF status and the data categories, :func:`check` states for the transfer
(and for each sub-processor, as an onward transfer):

* no third-country transfer (all destinations in the EEA, or no personal data),
* covered by an adequacy decision (with the decision, from ``content/eea_adequacy.yaml``),
* US vendor certified under the EU-US Data Privacy Framework (``basis = "dpf"``),
* otherwise standard contractual clauses — which module of Decision (EU) 2021/914 — plus a
  transfer impact assessment (Clause 14; EDPB Recommendations 01/2020).

Every step of the reasoning is kept (as a code with parameters, rendered in English or German),
so the result can be stored with an assessment and shown to a data protection officer.
An unknown DPF or PIPEDA status counts as "no": the law requires a positive finding.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable

from vendorvet import content

# The EEA and adequacy content is reference data with one home (engine.reference); these names stay importable.
from vendorvet.engine.reference import (  # noqa: F401
    ADEQUACY_CONDITIONS, country_in, german_act, Adequacy, TransferContent, is_eea, known_countries, load_content, parse_content,
)

OUR_ROLES = ("controller", "processor")
VENDOR_ROLES = ("processor", "controller", "sub-processor")
TRI_STATE = ("yes", "no", "unknown")
BASES = ("none_needed", "adequacy", "dpf", "scc")  # in order of what each one demands
NON_PERSONAL = frozenset({"none", "internal"})
SPECIAL = frozenset({"special_category", "health"})


class TransferInputError(ValueError):
    """An input the engine cannot reason about (unknown role, country code …)."""


def normalise_country(code: str, tc: TransferContent | None = None) -> str:
    tc = tc or load_content()
    value = (code or "").strip().upper()
    value = tc.aliases.get(value, value)
    if value not in known_countries():
        raise TransferInputError(f"unknown ISO 3166-1 country code {code!r}")
    return value


# ----------------------------------------------------------------------------- messages
# Each reasoning step is a code + parameters; the texts live here in both languages.
MESSAGES: dict[str, dict[str, str]] = {
    "roles": {
        "en": "Roles: we act as {our_role}, the vendor as {vendor_role}.",
        "de": "Rollen: wir handeln als {our_role_de}, der Anbieter als {vendor_role_de}.",
    },
    "roles_onward": {
        "en": "Onward transfer: the vendor, as {role}, passes the data to its sub-processor {country_in} (a processor).",
        "de": "Weiterübermittlung: der Anbieter gibt die Daten als {role} an seinen Unterauftragsverarbeiter {country_in} (Auftragsverarbeiter) weiter.",
    },
    "role_sub_processor_of_controller": {
        "en": "A sub-processor engaged directly by a controller is treated as the controller's processor.",
        "de": "Ein direkt vom Verantwortlichen beauftragter Unterauftragsverarbeiter wird als dessen Auftragsverarbeiter behandelt.",
    },
    "no_personal_data": {
        "en": "The data categories ({categories}) contain no personal data: GDPR Chapter V (Art. 44–50) does not apply.",
        "de": "Die Datenkategorien ({categories}) enthalten keine personenbezogenen Daten: Kapitel V DSGVO (Art. 44–50) ist nicht anwendbar.",
    },
    "categories_assumed": {
        "en": "No data categories given: personal data is assumed.",
        "de": "Keine Datenkategorien angegeben: es wird von personenbezogenen Daten ausgegangen.",
    },
    "destinations": {
        "en": "Data is located or processed in: {countries}.",
        "de": "Die Daten liegen oder werden verarbeitet in: {countries}.",
    },
    "eea": {
        "en": "{country} is in the EEA: no third-country transfer.",
        "de": "{country}: Mitglied des EWR, keine Drittlandübermittlung.",
    },
    "adequacy": {
        "en": "{country} has an adequacy decision (Art. 45 GDPR): {decision} of {adopted}, scope: {scope}.",
        "de": "{country}: Angemessenheitsbeschluss nach Art. 45 DSGVO – {decision} vom {adopted}, Geltungsbereich: {scope}.",
    },
    "adequacy_unconfirmed": {
        "en": "Note on {country}: {note}",
        "de": "Hinweis ({country}): {note}",
    },
    "adequacy_expired": {
        "en": "The adequacy decision for {country} expired on {until}: it does not cover the transfer.",
        "de": "Der Angemessenheitsbeschluss ({country}) ist am {until} abgelaufen: er deckt die Übermittlung nicht.",
    },
    "adequacy_sector_ok": {
        "en": "The decision for {country} covers only part of the country ({scope}); a commercial vendor normally falls within it — confirm this for the vendor.",
        "de": "Der Beschluss ({country}) gilt nur für einen Teil des Landes ({scope}); ein gewerblicher Anbieter fällt in der Regel darunter — für den Anbieter bestätigen.",
    },
    "canada_pipeda_yes": {
        "en": "The importer in Canada is recorded as subject to PIPEDA: the adequacy decision applies.",
        "de": "Der Empfänger in Kanada unterliegt laut Erfassung dem PIPEDA: der Angemessenheitsbeschluss greift.",
    },
    "canada_pipeda_no": {
        "en": "The importer in Canada is not recorded as subject to PIPEDA ({status}): the adequacy decision does not cover it.",
        "de": "Der Empfänger in Kanada unterliegt laut Erfassung nicht dem PIPEDA ({status}): der Angemessenheitsbeschluss deckt ihn nicht.",
    },
    "dpf_yes": {
        "en": "The US importer is recorded as certified under the EU-US Data Privacy Framework: {decision} applies. Re-check its entry on the DPF List regularly.",
        "de": "Der US-Empfänger ist laut Erfassung nach dem EU-US Data Privacy Framework zertifiziert: {decision} greift. Den Eintrag auf der DPF-Liste regelmäßig prüfen.",
    },
    "dpf_no": {
        "en": "The US importer is not recorded as DPF-certified (recorded: {status}; unknown counts as not certified): the adequacy decision for the US does not cover it.",
        "de": "Der US-Empfänger ist laut Erfassung nicht DPF-zertifiziert (erfasst: {status}; „unbekannt“ gilt als nicht zertifiziert): der Angemessenheitsbeschluss für die USA deckt ihn nicht.",
    },
    "no_adequacy": {
        "en": "{country} is a third country without an adequacy decision: appropriate safeguards under Art. 46 GDPR are needed.",
        "de": "{country}: Drittland ohne Angemessenheitsbeschluss; geeignete Garantien nach Art. 46 DSGVO sind erforderlich.",
    },
    "scc_module": {
        "en": "Standard contractual clauses ({decision}), {module}, from the roles: {exporter} exports, {importer} imports.",
        "de": "Standardvertragsklauseln ({decision}), {module}, aus den Rollen: {exporter_de} exportiert, {importer_de} importiert.",
    },
    "vendor_exports": {
        "en": "The vendor is established in the EEA ({country}) and processes outside it: the vendor is the data exporter; our contract must require a valid transfer tool for its processing abroad (Art. 28(3)(a), 44 GDPR).",
        "de": "Der Anbieter sitzt im EWR ({country}) und verarbeitet außerhalb: er ist Datenexporteur; unser Vertrag muss ein gültiges Transferinstrument für seine Verarbeitung im Ausland verlangen (Art. 28 Abs. 3 lit. a, Art. 44 DSGVO).",
    },
    "tia": {
        "en": "A transfer impact assessment is required (Clause 14 of the SCCs; EDPB Recommendations 01/2020): assess the law and practice of {countries} and decide on supplementary measures.",
        "de": "Eine Transfer-Folgenabschätzung (TIA) ist erforderlich (Klausel 14 der SCC; EDSA-Empfehlungen 01/2020): Recht und Praxis der Zielländer ({countries}) bewerten und über ergänzende Maßnahmen entscheiden.",
    },
    "special_categories": {
        "en": "Special categories of personal data (Art. 9 GDPR) go to {countries} without an adequacy decision: the transfer must not start before SCCs and strong supplementary measures (e.g. encryption with keys held in the EEA) are in place.",
        "de": "Besondere Kategorien personenbezogener Daten (Art. 9 DSGVO) gehen in Drittländer ohne Angemessenheitsbeschluss ({countries}): die Übermittlung darf erst beginnen, wenn SCC und starke ergänzende Maßnahmen (z. B. Verschlüsselung mit Schlüsseln im EWR) bestehen.",
    },
    "jurisdiction": {
        "en": "Jurisdiction risk: the {whom} is established {country_in}; {law} can compel it to disclose data under its control even when the data is stored in the EEA.",
        "de": "Jurisdiktionsrisiko: {whom} ist {country_in} ansässig; nach {law} können Behörden die Herausgabe von Daten erzwingen, die unter der Kontrolle des Unternehmens stehen, auch wenn sie im EWR gespeichert sind.",
    },
    "basis": {
        "en": "Result: {basis_text}.",
        "de": "Ergebnis: {basis_text_de}.",
    },
    "onward": {
        "en": "Sub-processor {country_in}: an onward transfer, assessed on its own below.",
        "de": "Unterauftragsverarbeiter {country_in}: eine Weiterübermittlung, unten gesondert bewertet.",
    },
}

BASIS_TEXT = {
    "none_needed": {"en": "no third-country transfer — no transfer tool needed",
                    "de": "keine Drittlandübermittlung — kein Transferinstrument nötig"},
    "adequacy": {"en": "covered by an adequacy decision", "de": "durch einen Angemessenheitsbeschluss gedeckt"},
    "dpf": {"en": "covered by the EU-US Data Privacy Framework (certification recorded)",
            "de": "durch das EU-US Data Privacy Framework gedeckt (Zertifizierung erfasst)"},
    "scc": {"en": "standard contractual clauses and a transfer impact assessment required",
            "de": "Standardvertragsklauseln und Transfer-Folgenabschätzung erforderlich"},
}
TRI = {"yes": {"en": "yes", "de": "ja"}, "no": {"en": "no", "de": "nein"},
       "unknown": {"en": "unknown", "de": "unbekannt"}}
ROLE_DE = {"controller": "Verantwortlicher", "processor": "Auftragsverarbeiter",
           "sub-processor": "Unterauftragsverarbeiter"}
WHOM = {"vendor": {"en": "vendor", "de": "der Anbieter"},
        "parent": {"en": "vendor's parent company", "de": "die Muttergesellschaft des Anbieters"}}


@dataclass(frozen=True)
class Step:
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, language: str = "en") -> str:
        lang = "de" if language == "de" else "en"
        params = {k: (v.get(lang) or v.get("en")) if isinstance(v, dict) else v for k, v in self.params.items()}
        if "country_in" not in params and "country_code" in self.params:
            params["country_in"] = country_in(self.params["country_code"], lang, with_code=True)
        if lang == "de":  # legal acts by their German names, dates as 16.08.2027
            params = {k: _german_value(v) for k, v in params.items()}
        return MESSAGES[self.code][lang].format(**params)


def _german_value(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if len(value) == 10 and value[4] == "-" and value[7] == "-" and value.replace("-", "").isdigit():
        return f"{value[8:10]}.{value[5:7]}.{value[:4]}"
    return german_act(value)


# ----------------------------------------------------------------------------- input / output
@dataclass(frozen=True)
class SubProcessor:
    country: str
    dpf: str = "unknown"
    canada_pipeda: str = "unknown"
    name: str = ""


@dataclass(frozen=True)
class TransferInput:
    our_role: str
    vendor_role: str
    vendor_country: str
    processing_countries: tuple[str, ...] = ()
    parent_country: str | None = None
    dpf: str = "unknown"
    canada_pipeda: str = "unknown"
    data_categories: tuple[str, ...] = ()
    sub_processors: tuple[SubProcessor, ...] = ()
    today: dt.date | None = None


@dataclass
class TransferResult:
    third_country_transfer: bool
    basis: str
    adequacy_country: str | None
    adequacy_decision: str | None
    scc_module: int | None
    tia_required: bool
    jurisdiction_warning: str | None
    steps: list[Step]
    destinations: list[dict[str, Any]]
    special_categories: bool
    country: str | None = None
    name: str = ""
    onward_transfers: list["TransferResult"] = field(default_factory=list)
    content_version: str = ""
    jurisdiction_step: Step | None = None

    def to_dict(self, language: str = "en") -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.country is not None:
            data["country"] = self.country
            if self.name:
                data["name"] = self.name
        data.update({
            "third_country_transfer": self.third_country_transfer,
            "basis": self.basis,
            "adequacy_country": self.adequacy_country,
            "adequacy_decision": self.adequacy_decision,
            "scc_module": self.scc_module,
            "tia_required": self.tia_required,
            "jurisdiction_warning": self.jurisdiction_step.render(language) if self.jurisdiction_step else None,
            "special_categories": self.special_categories,
            "destinations": self.destinations,
            "reasoning": [s.render(language) for s in self.steps],
        })
        if self.country is None:
            data["onward_transfers"] = [o.to_dict(language) for o in self.onward_transfers]
            data["content_version"] = self.content_version
        return data

    @property
    def needs_action(self) -> bool:
        return self.basis == "scc" or any(o.basis == "scc" for o in self.onward_transfers)


# ----------------------------------------------------------------------------- the engine
def scc_module(exporter_role: str, importer_role: str) -> int:
    """Module of Decision (EU) 2021/914 for an exporter and importer role."""
    importer = "processor" if importer_role == "sub-processor" else importer_role
    return {
        ("controller", "controller"): 1,
        ("controller", "processor"): 2,
        ("processor", "processor"): 3,
        ("processor", "controller"): 4,
    }[(exporter_role, importer)]


def _cname(code: str) -> dict[str, str]:
    """A country's name in both languages, with its code (rendered per language by :class:`Step`)."""
    entry = content.load("countries")["countries"].get(code) or {}
    return {lang: f"{entry.get(lang) or entry.get('en') or code} ({code})" for lang in ("en", "de")}


def _cnames(codes: Iterable[str]) -> dict[str, str]:
    names = [_cname(c) for c in codes]
    return {lang: ", ".join(n[lang] for n in names) for lang in ("en", "de")}


def _tri(value: str | None, what: str) -> str:
    value = (value or "unknown").strip().lower()
    if value not in TRI_STATE:
        raise TransferInputError(f"{what} must be yes, no or unknown, not {value!r}")
    return value


def _assess_country(code: str, *, dpf: str, pipeda: str, today: dt.date, tc: TransferContent,
                    steps: list[Step]) -> dict[str, Any]:
    """Basis for one destination country; appends its reasoning steps."""
    name = _cname(code)
    if code in tc.eea:
        steps.append(Step("eea", {"country": name}))
        return {"country": code, "basis": "none_needed", "decision": None}
    decision = tc.adequacy.get(code)
    if decision is not None and not decision.in_force(today):
        steps.append(Step("adequacy_expired", {"country": name, "until": decision.valid_until.isoformat()}))
        decision = None
    if decision is not None:
        covered, basis = True, "adequacy"
        if decision.condition == "dpf":
            covered, basis = dpf == "yes", "dpf"
        elif decision.condition == "canada_pipeda":
            covered = pipeda == "yes"
        if decision.condition == "dpf":
            steps.append(Step("dpf_yes" if covered else "dpf_no", {"decision": decision.decision, "status": TRI[dpf]}))
        elif decision.condition == "canada_pipeda":
            steps.append(Step("adequacy", {"country": name, "decision": decision.decision,
                                           "adopted": decision.adopted.isoformat(),
                                           "scope": decision.scope}))
            steps.append(Step("canada_pipeda_yes" if covered else "canada_pipeda_no", {"status": TRI[pipeda]}))
        else:
            steps.append(Step("adequacy", {"country": name, "decision": decision.decision,
                                           "adopted": decision.adopted.isoformat(),
                                           "scope": decision.scope}))
            if decision.condition in ("private_sector", "pipa"):
                steps.append(Step("adequacy_sector_ok", {"country": name, "scope": decision.scope}))
        if not decision.verified and decision.note:
            steps.append(Step("adequacy_unconfirmed", {"country": name, "note": decision.note}))
        if covered:
            return {"country": code, "basis": basis, "decision": decision.decision, "verified": decision.verified}
    else:
        steps.append(Step("no_adequacy", {"country": name}))
    return {"country": code, "basis": "scc", "decision": None}


def _jurisdiction(vendor_country: str, parent_country: str | None, tc: TransferContent) -> Step | None:
    for whom, code in (("vendor", vendor_country), ("parent", parent_country)):
        if code and code in tc.extraterritorial:
            law = tc.extraterritorial[code]["law"]
            return Step("jurisdiction", {"whom": WHOM[whom], "country": _cname(code), "country_code": code, "law": law})
    return None


def _evaluate(*, exporter_role: str, importer_role: str, importer_country: str, countries: list[str],
              dpf: str, pipeda: str, categories: tuple[str, ...], parent_country: str | None,
              today: dt.date, tc: TransferContent, steps: list[Step]) -> TransferResult:
    special = bool(SPECIAL & set(categories))
    if categories and set(categories) <= NON_PERSONAL:
        steps.append(Step("no_personal_data", {"categories": ", ".join(categories)}))
        steps.append(Step("basis", {"basis_text": BASIS_TEXT["none_needed"]["en"],
                                    "basis_text_de": BASIS_TEXT["none_needed"]["de"]}))
        return TransferResult(False, "none_needed", None, None, None, False, None, steps, [], False,
                              jurisdiction_step=_jurisdiction(importer_country, parent_country, tc))
    if not categories:
        steps.append(Step("categories_assumed"))
    steps.append(Step("destinations", {"countries": _cnames(countries)}))
    destinations = [_assess_country(c, dpf=dpf, pipeda=pipeda, today=today, tc=tc, steps=steps) for c in countries]
    basis = max((d["basis"] for d in destinations), key=BASES.index)
    third = any(d["basis"] != "none_needed" for d in destinations)
    covered = [d for d in destinations if d["basis"] in ("adequacy", "dpf")]
    adequacy_country = adequacy_decision = None
    if basis in ("adequacy", "dpf") and covered:
        first = next((d for d in covered if d["country"] == importer_country), covered[0])
        adequacy_country, adequacy_decision = first["country"], first["decision"]
    module = None
    if basis == "scc":
        if importer_country in tc.eea:
            steps.append(Step("vendor_exports", {"country": _cname(importer_country)}))
            # the EEA vendor exports to its own processing abroad: it acts as controller or processor
            module = scc_module("processor" if importer_role != "controller" else "controller", "processor")
            exp, imp = ("processor" if importer_role != "controller" else "controller"), "processor"
        else:
            module = scc_module(exporter_role, importer_role)
            exp, imp = exporter_role, ("processor" if importer_role == "sub-processor" else importer_role)
        steps.append(Step("scc_module", {"decision": tc.scc_decision, "module": tc.scc_modules[module],
                                         "exporter": exp, "importer": imp, "exporter_de": ROLE_DE[exp],
                                         "importer_de": ROLE_DE[imp]}))
        scc_countries = _cnames(d["country"] for d in destinations if d["basis"] == "scc")
        steps.append(Step("tia", {"countries": scc_countries}))
        if special:
            steps.append(Step("special_categories", {"countries": scc_countries}))
    jurisdiction = _jurisdiction(importer_country, parent_country, tc)
    if jurisdiction is not None:
        steps.append(jurisdiction)
    steps.append(Step("basis", {"basis_text": BASIS_TEXT[basis]["en"], "basis_text_de": BASIS_TEXT[basis]["de"]}))
    return TransferResult(
        third_country_transfer=third, basis=basis, adequacy_country=adequacy_country,
        adequacy_decision=adequacy_decision, scc_module=module, tia_required=basis == "scc",
        jurisdiction_warning=None, steps=steps, destinations=destinations, special_categories=special,
        jurisdiction_step=jurisdiction,
    )


def _countries(values: Iterable[str], tc: TransferContent) -> list[str]:
    return list(dict.fromkeys(normalise_country(v, tc) for v in values if v and v.strip()))


def check(inp: TransferInput, tc: TransferContent | None = None) -> TransferResult:
    """Assess the transfer to the vendor and each onward transfer to its sub-processors."""
    tc = tc or load_content()
    if inp.our_role not in OUR_ROLES:
        raise TransferInputError(f"our role must be one of {', '.join(OUR_ROLES)}")
    if inp.vendor_role not in VENDOR_ROLES:
        raise TransferInputError(f"vendor role must be one of {', '.join(VENDOR_ROLES)}")
    today = inp.today or dt.date.today()
    vendor_country = normalise_country(inp.vendor_country, tc)
    parent = normalise_country(inp.parent_country, tc) if inp.parent_country else None
    categories = tuple(dict.fromkeys(c.strip() for c in inp.data_categories if c and c.strip()))
    dpf, pipeda = _tri(inp.dpf, "dpf"), _tri(inp.canada_pipeda, "canada-pipeda")
    steps = [Step("roles", {"our_role": inp.our_role, "vendor_role": inp.vendor_role,
                            "our_role_de": ROLE_DE[inp.our_role], "vendor_role_de": ROLE_DE[inp.vendor_role]})]
    if inp.our_role == "controller" and inp.vendor_role == "sub-processor":
        steps.append(Step("role_sub_processor_of_controller"))
    countries = _countries([vendor_country, *inp.processing_countries], tc)
    result = _evaluate(exporter_role=inp.our_role, importer_role=inp.vendor_role, importer_country=vendor_country,
                       countries=countries, dpf=dpf, pipeda=pipeda, categories=categories,
                       parent_country=parent, today=today, tc=tc, steps=steps)
    result.content_version = tc.version
    # Onward transfers: the vendor (processor) hands data to its sub-processors (processors).
    vendor_as_exporter = "controller" if inp.vendor_role == "controller" else "processor"
    for sub in inp.sub_processors:
        code = normalise_country(sub.country, tc)
        result.steps.append(Step("onward", {"country": _cname(code), "country_code": code}))
        sub_steps = [Step("roles_onward", {"role": {"en": vendor_as_exporter, "de": ROLE_DE[vendor_as_exporter]},
                                           "country": _cname(code), "country_code": code})]
        onward = _evaluate(exporter_role=vendor_as_exporter, importer_role="sub-processor", importer_country=code,
                           countries=[code], dpf=_tri(sub.dpf, "dpf"), pipeda=_tri(sub.canada_pipeda, "pipeda"),
                           categories=categories, parent_country=None, today=today, tc=tc, steps=sub_steps)
        onward.country, onward.name = code, sub.name
        result.onward_transfers.append(onward)
    return result


def parse_sub_processor(text: str) -> SubProcessor:
    """``CC`` or ``CC:dpf=yes|no|unknown`` (also ``pipeda=…``, ``name=…``), as the CLI takes them."""
    country, *options = [p.strip() for p in (text or "").split(":")]
    values: dict[str, str] = {}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or key not in ("dpf", "pipeda", "name"):
            raise TransferInputError(f"sub-processor option {option!r} not understood (use dpf=yes|no|unknown)")
        values[key] = value
    return SubProcessor(country=country, dpf=_tri(values.get("dpf"), "dpf"),
                        canada_pipeda=_tri(values.get("pipeda"), "pipeda"), name=values.get("name", ""))

"""The record of processing activities (Art. 30 GDPR) generated from the inventory — only what is on file.

Controller view (Art. 30(1)): one row per integration where we are the controller. Processor view
(Art. 30(2)): one row per integration where we process on behalf of a controller. Exported as XLSX, CSV,
DOCX and a printable page, in German (German citation style: "Art. 30 Abs. 1 lit. b DSGVO") or English.

Truthfulness rules: a safeguard is named only when it is on file (SCCs only where a signed SCC contract is
recorded for the vendor; otherwise "none recorded", marked as a gap); the categories of *personal* data are
kept apart from other data classes (internal, credentials, financial); the legal basis (Art. 6(1), and
Art. 9(2) where special categories are processed) is required and a missing one is a gap that is counted.
Rejected and retired integrations and discovered apps nobody accepted yet are left out unless the filter
``all`` asks for them, and then each is marked in the status column.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _, ngettext

from vendorvet.engine.reference import is_eea
from vendorvet.web.inventory.choices import DataCategory, DataSubject, Status, country_name
from vendorvet.web.inventory.models import Integration
from vendorvet.web.legal.models import (
    Contract, IntegrationLegal, OurRole, RopaSettings, SubProcessor, TransferAssessment,
)

VIEWS = ("controller", "processor")
FILTERS = ("current", "all")
PERSONAL_CATEGORIES = ("personal", "special_category", "health")
SPECIAL_CATEGORIES = ("special_category", "health")  # Art. 9(1) GDPR
CLOSED = (Status.REJECTED, Status.RETIRED)
DISCOVERED_SOURCES = ("oauth_grant", "proxy_log")


def cite(article: int, paragraph: int | None = None, letter: str = "", language: str | None = None) -> str:
    """A GDPR citation: "Art. 46(2)(c) GDPR" in English, "Art. 46 Abs. 2 lit. c DSGVO" in German."""
    from vendorvet.web.core import texts

    lang = "de" if (language or translation.get_language() or "en")[:2] == "de" else "en"
    return texts.cite(article, paragraph or None, letter or None, law="GDPR", language=lang)


@dataclass
class Column:
    key: str
    article: tuple = ()

    def label(self) -> str:
        return str(LABELS[self.key]())


LABELS = {
    "activity": lambda: _("Processing activity"),
    "status": lambda: _("Status"),
    "controller": lambda: _("Controller on whose behalf we process"),
    "purpose": lambda: _("Purposes of the processing"),
    "legal_basis": lambda: _("Legal basis"),
    "subjects": lambda: _("Categories of data subjects"),
    "data": lambda: _("Categories of personal data"),
    "other_data": lambda: _("Other data classes (not personal data)"),
    "recipients": lambda: _("Recipients (processor and sub-processors)"),
    "countries": lambda: _("Countries of storage and processing"),
    "transfers": lambda: _("Third-country transfers and safeguards"),
    "erasure": lambda: _("Erasure periods"),
    "toms": lambda: _("Technical and organisational measures"),
    "department": lambda: _("Department"),
}
CONTROLLER_COLUMNS = [
    Column("activity", (30, 1, "b")), Column("status"), Column("purpose", (30, 1, "b")),
    Column("legal_basis", (6, 1, "")), Column("subjects", (30, 1, "c")), Column("data", (30, 1, "c")),
    Column("other_data"), Column("recipients", (30, 1, "d")), Column("countries", (30, 1, "d")),
    Column("transfers", (30, 1, "e")), Column("erasure", (30, 1, "f")), Column("toms", (30, 1, "g")),
    Column("department"),
]
PROCESSOR_COLUMNS = [
    Column("controller", (30, 2, "a")), Column("activity", (30, 2, "b")), Column("status"),
    Column("purpose", (30, 2, "b")), Column("data", (30, 2, "b")), Column("recipients", (30, 2, "a")),
    Column("countries", (30, 2, "c")), Column("transfers", (30, 2, "c")), Column("toms", (30, 2, "d")),
]


def columns(view: str) -> list[Column]:
    return PROCESSOR_COLUMNS if view == "processor" else CONTROLLER_COLUMNS


def unreviewed_discovery(integration: Integration) -> bool:
    """Created by a discovery import and never accepted by a person (accepting removes the tag)."""
    return (integration.status == Status.PROPOSED and integration.discovery_source in DISCOVERED_SOURCES
            and "discovered" in (integration.tags or []))


def lawful_basis_text(legal: IntegrationLegal | None, special: bool) -> tuple[str, bool]:
    """The legal basis as cited, and whether something required is missing."""
    parts, gap = [], False
    if legal is not None and legal.lawful_basis:
        parts.append(cite(6, 1, legal.lawful_basis))
    else:
        parts.append(_("none recorded (%(article)s)") % {"article": cite(6, 1)})
        gap = True
    if special:
        if legal is not None and legal.special_basis:
            parts.append(cite(9, 2, legal.special_basis))
        else:
            parts.append(_("special categories: no exception recorded (%(article)s)") % {"article": cite(9, 2)})
            gap = True
    if legal is not None and legal.legal_basis:
        parts.append(legal.legal_basis)
    return "; ".join(parts), gap


def _scc_on_file(contracts: list[Contract]) -> Contract | None:
    return next((c for c in contracts if c.type == Contract.Type.SCC), None)


def safeguards(integration: Integration, assessment: TransferAssessment | None,
               contracts: list[Contract], countries: list[str]) -> tuple[str, bool]:
    """Third-country transfers with the safeguard *on file*; ``True`` when one is missing."""
    if assessment is None:
        outside = [c for c in countries if not is_eea(c)]
        if not countries:
            return _("countries not recorded – transfers not assessed"), True
        if outside:
            return _("%(countries)s: no transfer check on file – safeguard: none recorded") % {
                "countries": ", ".join(country_name(c) for c in outside)}, True
        return _("no third-country transfer"), False
    result, parts, gap = assessment.result, [], False
    scc = _scc_on_file(contracts)
    entries = [(d, False) for d in result.get("destinations", [])]
    entries += [(o, True) for o in result.get("onward_transfers", [])]
    for dest, onward in entries:
        basis = dest.get("basis")
        if basis == "none_needed":
            continue
        if basis in ("adequacy", "dpf"):
            name = _("EU-US Data Privacy Framework") if basis == "dpf" else _("adequacy decision")
            text = f"{name} ({cite(45)})"
            if dest.get("decision"):
                text += f", {dest['decision']}"
        elif basis == "scc" and scc is not None:
            text = _("standard contractual clauses (%(article)s) on file: %(title)s") % {
                "article": cite(46, 2, "c"), "title": scc.title}
            if scc.signed:
                text += ", " + _("signed %(date)s") % {"date": scc.signed.isoformat()}
            if result.get("scc_module"):
                text += ", " + _("module %(module)s") % {"module": result["scc_module"]}
        else:
            text = _("safeguard: none recorded (standard contractual clauses needed, %(article)s)") % {
                "article": cite(46, 2, "c")}
            gap = True
        where = country_name(dest.get("country", ""))
        prefix = _("onward to %(country)s") % {"country": where} if onward else where
        parts.append(f"{prefix}: {text}")
    return "; ".join(parts) or _("no third-country transfer"), gap


def activities(view: str = "controller", include: str = "current") -> tuple[list[Integration], dict]:
    """The tenant's integrations for the view, with legal profile, sub-processors, contracts, latest
    assessment; and how many were left out by the filter."""
    role = OurRole.PROCESSOR if view == "processor" else OurRole.CONTROLLER
    legal_by_integration = {lg.integration_id: lg for lg in IntegrationLegal.objects.all()}
    subs_by_vendor: dict[int, list[SubProcessor]] = {}
    for sp in SubProcessor.objects.order_by("name"):
        subs_by_vendor.setdefault(sp.vendor_id, []).append(sp)
    contracts_by_vendor: dict[int, list[Contract]] = {}
    for c in Contract.objects.filter(type=Contract.Type.SCC).order_by("-signed", "-pk"):
        contracts_by_vendor.setdefault(c.vendor_id, []).append(c)
    latest: dict[int, TransferAssessment] = {}
    for a in TransferAssessment.objects.order_by("integration_id", "-created", "-pk"):
        latest.setdefault(a.integration_id, a)
    result, left_out = [], {"closed": 0, "discovered": 0}
    for integration in Integration.objects.select_related("vendor").order_by("name", "pk"):
        categories = integration.data_categories or []
        if categories and not any(c in PERSONAL_CATEGORIES for c in categories):
            continue  # no personal data: not a processing activity in the sense of Art. 30
        legal = legal_by_integration.get(integration.pk)
        if (legal.our_role if legal else OurRole.CONTROLLER) != role:
            continue
        if include != "all":
            if integration.status in CLOSED:
                left_out["closed"] += 1
                continue
            if unreviewed_discovery(integration):
                left_out["discovered"] += 1
                continue
        integration.legal_profile = legal
        integration.subs = subs_by_vendor.get(integration.vendor_id, [])
        integration.scc_contracts = contracts_by_vendor.get(integration.vendor_id, [])
        integration.assessment = latest.get(integration.pk)
        result.append(integration)
    return result, left_out


def _status(integration: Integration) -> tuple[str, bool]:
    if unreviewed_discovery(integration):
        return _("discovered, not reviewed – not part of the register"), True
    if integration.status in CLOSED:
        return _("%(status)s – not part of the register") % {"status": integration.get_status_display()}, True
    return str(integration.get_status_display()), False


def row(integration: Integration, view: str) -> tuple[dict[str, str], set[str]]:
    """The row's values by column key, and the keys of the cells that show a gap."""
    legal = integration.legal_profile
    labels, subjects = dict(DataCategory.choices), dict(DataSubject.choices)
    order = list(labels)
    categories = sorted(integration.data_categories or [], key=lambda c: order.index(c) if c in order else len(order))
    countries = sorted(set(integration.processing_countries or [])
                       | set(legal.declared_countries if legal else []) | set(legal.recorded_countries if legal else []))
    vendor_role = _("controller") if legal and legal.vendor_role == "controller" else _("processor")
    recipients = [f"{integration.vendor.name} ({vendor_role})"]
    recipients += [f"{sp.name} ({country_name(sp.country)})" for sp in integration.subs]
    special = any(c in SPECIAL_CATEGORIES for c in categories)
    personal = [str(labels[c]) + (f" ({cite(9, 1)})" if c in SPECIAL_CATEGORIES and c != "special_category" else "")
                for c in categories if c in PERSONAL_CATEGORIES]
    other = [str(labels.get(c, c)) for c in categories if c not in PERSONAL_CATEGORIES and c != "none"]
    basis, basis_gap = lawful_basis_text(legal, special)
    transfers, transfer_gap = safeguards(integration, integration.assessment, integration.scc_contracts, countries)
    status, closed = _status(integration)
    values = {
        "activity": f"{integration.name} – {integration.vendor.name}",
        "status": status,
        "controller": legal.controller_name if legal else "",
        "purpose": integration.purpose,
        "legal_basis": basis,
        "subjects": ", ".join(str(subjects.get(s, s)) for s in integration.data_subjects or []),
        "data": ", ".join(personal) or _("not recorded"),
        "other_data": ", ".join(other),
        "recipients": "; ".join(recipients),
        "countries": ", ".join(country_name(c) for c in countries),
        "transfers": transfers,
        "erasure": legal.erasure_period if legal else "",
        "toms": legal.security_measures if legal else "",
        "department": integration.department,
    }
    gaps = {key for key, missing in (("legal_basis", basis_gap), ("transfers", transfer_gap),
                                     ("data", not personal), ("status", closed)) if missing}
    keys = {c.key for c in columns(view)}
    return {k: values[k] or "" for k in keys}, gaps & keys


def build(view: str, language: str, include: str = "current") -> dict:
    """Everything the exports and the printable page need, rendered in ``language``."""
    view = view if view in VIEWS else "controller"
    include = include if include in FILTERS else "current"
    with translation.override(language):
        settings = RopaSettings.objects.first()
        cols = columns(view)
        found, left_out = activities(view, include)
        rows = [row(i, view) for i in found]
        counts = {"legal_basis": 0, "transfers": 0, "data": 0}
        for _values, gaps in rows:
            for key in gaps & set(counts):
                counts[key] += 1
        return {
            "view": view,
            "language": language,
            "include": include,
            "columns": [{"key": c.key, "label": c.label(), "article": cite(*c.article) if c.article else ""}
                        for c in cols],
            "rows": [[values[c.key] for c in cols] for values, _gaps in rows],
            "gaps": [sorted(gaps) for _values, gaps in rows],
            "gap_counts": counts,
            "gap_messages": gap_messages(counts),
            "left_out": left_out,
            "left_out_messages": left_out_messages(left_out),
            "settings": settings,
            "title": (_("Record of processing (processor, %(article)s)") % {"article": cite(30, 2)}
                      if view == "processor" else
                      _("Record of processing activities (%(article)s)") % {"article": cite(30, 1)}),
        }


def gap_messages(counts: dict) -> list[str]:
    messages = []
    if counts["legal_basis"]:
        messages.append(ngettext("%(count)d entry lacks a legal basis", "%(count)d entries lack a legal basis",
                                 counts["legal_basis"]) % {"count": counts["legal_basis"]})
    if counts["transfers"]:
        messages.append(ngettext("%(count)d entry has no safeguard on file for a third-country transfer",
                                 "%(count)d entries have no safeguard on file for a third-country transfer",
                                 counts["transfers"]) % {"count": counts["transfers"]})
    if counts["data"]:
        messages.append(ngettext("%(count)d entry has no categories of personal data recorded",
                                 "%(count)d entries have no categories of personal data recorded",
                                 counts["data"]) % {"count": counts["data"]})
    return messages


def left_out_messages(left_out: dict) -> list[str]:
    messages = []
    if left_out["closed"]:
        messages.append(ngettext("%(count)d rejected or retired integration not shown",
                                 "%(count)d rejected or retired integrations not shown",
                                 left_out["closed"]) % {"count": left_out["closed"]})
    if left_out["discovered"]:
        messages.append(ngettext("%(count)d discovered app nobody has reviewed yet not shown",
                                 "%(count)d discovered apps nobody has reviewed yet not shown",
                                 left_out["discovered"]) % {"count": left_out["discovered"]})
    return messages

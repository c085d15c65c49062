"""The legal half answers the review: what is on file about contracts, the AVV, transfers and the register.

Registered as the ``legal`` review-evidence provider. Each legal fact answers only the checklist points it
really covers:

* the AVV/DPA checklist (Art. 28 DSGVO) and a signed AVV on file → ``legal.avv`` (Art. 28 Abs. 3 Satz 1,
  Abs. 9), ``legal.avv.processor_duties`` (lit. a–h), ``legal.avv.subprocessors`` (Abs. 2, 4 and the
  sub-processor list), ``contract.security_measures`` (lit. c), ``contract.audit_right`` (lit. h and the
  contract's audit rights), ``contract.termination_exit`` (lit. g and the contract's exit terms);
  the contract register → ``contract.remediation`` and ``contract.liability`` (facts only);
* the recorded countries and sub-processors → ``location.declared``; the parent company and the transfer
  check's jurisdiction finding → ``location.jurisdiction`` (facts only);
* the transfer check → ``legal.transfer.basis``; SCCs on file → ``legal.transfer.scc``; the TIA →
  ``legal.transfer.tia``;
* the register entry (Art. 30 Abs. 1 DSGVO) → ``legal.ropa``.

Nothing on file is *could not check* (with what is missing), never "not met": absence of a record is not
evidence that the vendor fails. A recorded "missing" in the AVV checklist is.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy as _

from vendorvet.web.core.review import CHECKED, COULD_NOT_CHECK, NOT_APPLICABLE, Problem, Suggestion

DPA_REQUIREMENTS = {
    "legal.avv": ("28_3_subject", "28_9"),
    "legal.avv.processor_duties": ("28_3_a", "28_3_b", "28_3_c", "28_3_d", "28_3_e", "28_3_f", "28_3_g",
                                   "28_3_h", "28_3_infringe"),
    "legal.avv.subprocessors": ("28_2", "28_4"),
    "contract.security_measures": ("28_3_c",),
    "contract.audit_right": ("28_3_h",),
    "contract.termination_exit": ("28_3_g",),
}
AVV_ONLY = {"legal.avv", "legal.avv.processor_duties", "legal.avv.subprocessors"}
CONTRACT_TEXT = {  # requirement -> the contract register's field that speaks to it
    "contract.audit_right": "audit_rights",
    "contract.termination_exit": "termination_exit",
    "contract.remediation": "remediation_duty",
    "contract.liability": "liability_cap",
}
TRANSFER_REQUIREMENTS = ("legal.transfer.basis", "legal.transfer.scc", "legal.transfer.tia")
LOCATION_REQUIREMENTS = ("location.declared", "location.jurisdiction")
REQUIREMENTS = tuple(sorted({*DPA_REQUIREMENTS, *CONTRACT_TEXT, *TRANSFER_REQUIREMENTS, *LOCATION_REQUIREMENTS,
                             "legal.ropa"}))


def _strictest(*answers):
    for value in ("not_met", "partly_met", "met"):
        if value in answers:
            return value
    return None


class LegalEvidence:
    key = "legal"
    label = _("Legal")
    order = 40

    def requirement_ids(self):
        return REQUIREMENTS

    def evidence(self, integration, requirement_ids) -> dict[str, Suggestion]:
        facts = _Facts(integration)
        out = {}
        for requirement_id in requirement_ids:
            if requirement_id in AVV_ONLY and facts.vendor_is_controller:
                out[requirement_id] = Suggestion(
                    self.key, NOT_APPLICABLE, source=_("legal profile"), link=facts.integration_url,
                    facts=("vendor-controller",), reason=gettext(
                        "The vendor is recorded as a controller, not as a processor: no AVV is needed."))
            elif requirement_id in DPA_REQUIREMENTS or requirement_id in CONTRACT_TEXT:
                out[requirement_id] = self._contract(facts, requirement_id)
            elif requirement_id in TRANSFER_REQUIREMENTS:
                out[requirement_id] = self._transfer(facts, requirement_id)
            elif requirement_id == "location.declared":
                out[requirement_id] = self._countries(facts)
            elif requirement_id == "location.jurisdiction":
                out[requirement_id] = self._jurisdiction(facts)
            elif requirement_id == "legal.ropa":
                out[requirement_id] = self._ropa(facts)
        return out

    # -- AVV checklist and contracts ---------------------------------------------------------------

    def _contract(self, facts, requirement_id) -> Suggestion:
        from vendorvet.web.legal.dpa import DPA_POINTS

        keys = DPA_REQUIREMENTS.get(requirement_id, ())
        items = [facts.dpa.get(k) for k in keys]
        reviewed = [i for i in items if i is not None and i.state != "open"]
        lines, problems, answers, basis = [], [], [], []
        articles = {p.key: p.article for p in DPA_POINTS}
        if keys:
            basis.append(tuple((k, facts.dpa[k].state if k in facts.dpa else "open") for k in keys))
            if reviewed:
                met = sum(1 for i in reviewed if i.state == "met")
                lines.append(gettext("AVV checklist: %(met)d of %(total)d points met, %(open)d not reviewed.")
                             % {"met": met, "total": len(keys), "open": len(keys) - len(reviewed)})
                for item in reviewed:
                    if item.state == "missing":
                        problems.append(Problem(gettext("Missing in the AVV: %(article)s")
                                                % {"article": _article_de_aware(articles.get(item.key, item.key))},
                                                item.note))
                if any(i.state == "missing" for i in reviewed):
                    answers.append("not_met")
                elif len(reviewed) == len(keys):
                    answers.append("met")
        avv = facts.signed_avv
        if requirement_id == "legal.avv":
            basis.append(("avv", avv.pk if avv else None, str(avv.signed) if avv else ""))
            if avv is not None:
                lines.append(gettext("Signed AVV on file: %(title)s (signed on %(date)s).")
                             % {"title": avv.title, "date": _date(avv.signed)})
            elif reviewed:
                problems.append(Problem(gettext("No signed AVV with its document is on file.")))
                answers.append("partly_met")
        field = CONTRACT_TEXT.get(requirement_id)
        if field:
            texts = [(c, getattr(c, field).strip()) for c in facts.contracts if getattr(c, field).strip()]
            basis.append((field, tuple((c.pk, t) for c, t in texts)))
            for contract, text in texts:
                lines.append(gettext("%(contract)s: %(text)s") % {"contract": contract.title, "text": text[:300]})
        if not lines:
            return Suggestion(self.key, COULD_NOT_CHECK, source=_("contract register"), link=facts.vendor_url,
                              link_label=gettext("Legal details of %(vendor)s") % {"vendor": facts.vendor.name},
                              facts=tuple(basis), reason=gettext(
                                  "Nothing on file yet: the AVV checklist is not filled in and no contract "
                                  "records this point."))
        suggested = _strictest(*answers) if answers else None
        if requirement_id == "legal.avv" and suggested == "met" and avv is None:
            suggested = "partly_met"
        when = max([i.last_updated for i in reviewed] + [c.last_updated for c in facts.contracts], default=None)
        return Suggestion(self.key, CHECKED, source=_("document"), at=when, link=facts.vendor_url + "#dpa",
                          link_label=gettext("AVV checklist and contracts of %(vendor)s") % {"vendor": facts.vendor.name},
                          suggested=suggested, lines=tuple(lines), problems=tuple(problems), facts=tuple(basis),
                          comment=gettext("From the AVV checklist and the contract register.") if suggested else "")

    # -- transfers ------------------------------------------------------------------------------

    def _transfer(self, facts, requirement_id) -> Suggestion:
        check = facts.transfer
        if check is None:
            return Suggestion(self.key, COULD_NOT_CHECK, source=_("transfer check"), link=facts.integration_url,
                              facts=("no-transfer-check",),
                              reason=gettext("The transfer check has not been run for this integration."))
        common = dict(source=_("transfer check"), at=check.created, link=facts.integration_url,
                      link_label=gettext("Transfer check of %(date)s") % {"date": _date(check.created)})
        basis_text = _basis_text(check.basis)
        if requirement_id == "legal.transfer.basis":
            if not check.third_country_transfer:
                return Suggestion(self.key, CHECKED, suggested="not_applicable", **common,
                                  lines=(gettext("Transfer check: %(basis)s.") % {"basis": basis_text},),
                                  facts=(check.pk, check.basis, False),
                                  comment=gettext("From the transfer check: no third-country transfer."))
            return Suggestion(self.key, CHECKED, suggested="met", **common,
                              lines=(gettext("Transfer check: %(basis)s.") % {"basis": basis_text},),
                              facts=(check.pk, check.basis, True),
                              comment=gettext("From the transfer check: %(basis)s.") % {"basis": basis_text})
        if requirement_id == "legal.transfer.scc":
            needs = check.basis == "scc" or check.onward_scc
            if not needs:
                return Suggestion(self.key, CHECKED, suggested="not_applicable", **common, facts=(check.pk, False),
                                  lines=(gettext("Transfer check: no standard contractual clauses needed."),),
                                  comment=gettext("From the transfer check: no standard contractual clauses needed."))
            scc = facts.contract_of("scc")
            if scc is None:
                return Suggestion(self.key, COULD_NOT_CHECK, **{**common, "link": facts.vendor_url + "#contracts"},
                                  facts=(check.pk, True, None), reason=gettext(
                                      "The transfer check requires standard contractual clauses, but none are on file."))
            signed = bool(scc.signed and scc.file)
            return Suggestion(self.key, CHECKED, suggested="met" if signed else "partly_met",
                              **{**common, "link": facts.vendor_url + "#contracts", "at": scc.last_updated,
                                 "source": _("document")},
                              lines=(gettext("Standard contractual clauses on file: %(title)s.") % {"title": scc.title},),
                              problems=() if signed else (Problem(gettext("Not recorded as signed with its document.")),),
                              facts=(check.pk, True, scc.pk, signed),
                              comment=gettext("Standard contractual clauses on file: %(title)s.") % {"title": scc.title})
        # legal.transfer.tia
        if not check.tia_required:
            return Suggestion(self.key, CHECKED, suggested="not_applicable", **common, facts=(check.pk, False),
                              lines=(gettext("Transfer check: no transfer impact assessment needed."),),
                              comment=gettext("From the transfer check: no transfer impact assessment needed."))
        tia = facts.tia
        if tia is None:
            return Suggestion(self.key, COULD_NOT_CHECK, **common, facts=(check.pk, True, None), reason=gettext(
                "The transfer check requires a transfer impact assessment, but none is on file."))
        completed = tia.state == "completed"
        return Suggestion(
            self.key, CHECKED, suggested="met" if completed else "partly_met", source=_("document"),
            at=tia.last_updated, link=reverse("legal:tia", args=[tia.pk]), link_label=tia.title,
            lines=(gettext("Transfer impact assessment “%(title)s”: %(state)s.")
                   % {"title": tia.title, "state": tia.get_state_display()},),
            facts=(check.pk, True, tia.pk, tia.state, str(tia.step6_reevaluation or "")),
            comment=gettext("Transfer impact assessment on file: %(title)s.") % {"title": tia.title})

    # -- location and jurisdiction --------------------------------------------------------------

    def _countries(self, facts) -> Suggestion:
        from vendorvet.web.inventory.choices import country_name

        profile = facts.profile
        declared = list(profile.declared_countries) if profile else []
        recorded = list(profile.recorded_countries) if profile else []
        subs = sorted({s.country for s in facts.sub_processors})
        if not (declared or recorded or subs):
            return Suggestion(self.key, COULD_NOT_CHECK, source=_("legal profile"), link=facts.integration_url,
                              facts=("no-countries",),
                              reason=gettext("No countries are recorded in the integration's legal profile."))
        names = lambda codes: ", ".join(str(country_name(c)) for c in codes)  # noqa: E731
        lines = []
        if declared:
            lines.append(gettext("Declared by the vendor: %(countries)s.") % {"countries": names(declared)})
        if recorded:
            lines.append(gettext("Recorded by us: %(countries)s.") % {"countries": names(recorded)})
        if subs:
            lines.append(gettext("Sub-processors in: %(countries)s.") % {"countries": names(subs)})
        return Suggestion(self.key, CHECKED, source=_("legal profile"), at=profile.last_updated if profile else None,
                          link=facts.integration_url, lines=tuple(lines),
                          facts=(tuple(declared), tuple(recorded), tuple(subs)))

    def _jurisdiction(self, facts) -> Suggestion:
        from vendorvet.web.inventory.choices import country_name

        vendor_legal = facts.vendor_legal
        lines, basis = [], []
        if facts.vendor.country:
            lines.append(gettext("Seat of the vendor: %(country)s.") % {"country": country_name(facts.vendor.country)})
            basis.append(facts.vendor.country)
        if vendor_legal and (vendor_legal.parent_company or vendor_legal.parent_country):
            lines.append(gettext("Parent company: %(name)s (%(country)s).") % {
                "name": vendor_legal.parent_company or "–",
                "country": country_name(vendor_legal.parent_country) if vendor_legal.parent_country else "–"})
            basis.append((vendor_legal.parent_company, vendor_legal.parent_country))
        problems = ()
        if facts.transfer is not None and facts.transfer.result.get("jurisdiction"):
            problems = (Problem(gettext("The transfer check found a jurisdiction risk (foreign disclosure law).")),)
            basis.append("jurisdiction-risk")
        if not lines:
            return Suggestion(self.key, COULD_NOT_CHECK, source=_("legal profile"), link=facts.vendor_url,
                              facts=("no-jurisdiction",),
                              reason=gettext("Neither the vendor's seat nor its parent company is recorded."))
        return Suggestion(self.key, CHECKED, source=_("legal profile"), link=facts.vendor_url,
                          at=vendor_legal.last_updated if vendor_legal else None, lines=tuple(lines),
                          problems=problems, facts=tuple(basis))

    # -- register entry (Art. 30) ---------------------------------------------------------------

    def _ropa(self, facts) -> Suggestion:
        integration, profile = facts.integration, facts.profile
        fields = {
            _("purposes"): integration.purpose,
            _("legal basis"): profile.legal_basis if profile else "",
            _("categories of data subjects"): integration.data_subjects,
            _("erasure period"): profile.erasure_period if profile else "",
            _("technical and organisational measures"): profile.security_measures if profile else "",
        }
        missing = [str(label) for label, value in fields.items() if not value]
        basis = tuple(sorted(str(label) for label, value in fields.items() if value))
        link = reverse("legal:ropa")
        if profile is None and not integration.purpose:
            return Suggestion(self.key, COULD_NOT_CHECK, source=_("record of processing"), link=link,
                              facts=basis, reason=gettext("No register entry details are recorded yet."))
        lines = [gettext("The integration is listed in the record of processing activities.")]
        problems = tuple(Problem(gettext("Missing in the register entry: %(field)s") % {"field": m}) for m in missing)
        return Suggestion(self.key, CHECKED, source=_("record of processing"), link=link,
                          link_label=gettext("Record of processing activities"),
                          at=profile.last_updated if profile else integration.last_updated,
                          suggested="partly_met" if missing else "met", lines=tuple(lines), problems=problems,
                          facts=basis, comment=gettext("From the record of processing activities."))


class _Facts:
    """What is on file for one integration, read once per page."""

    def __init__(self, integration):
        from vendorvet.web.legal.models import (
            Contract,
            DpaItem,
            IntegrationLegal,
            SubProcessor,
            TransferAssessment,
            TransferImpactAssessment,
            VendorLegal,
        )

        self.integration = integration
        self.vendor = integration.vendor
        self.profile = IntegrationLegal.objects.filter(integration=integration).first()
        self.vendor_legal = VendorLegal.objects.filter(vendor=self.vendor).first()
        self.dpa = {i.key: i for i in DpaItem.objects.filter(vendor=self.vendor)}
        self.contracts = list(Contract.objects.filter(vendor=self.vendor).order_by("pk"))
        self.sub_processors = list(SubProcessor.objects.filter(vendor=self.vendor))
        self.transfer = TransferAssessment.objects.filter(integration=integration).order_by("-created", "-pk").first()
        tias = list(TransferImpactAssessment.objects.filter(integration=integration).order_by("-created", "-pk"))
        self.tia = next((t for t in tias if t.state == "completed"), tias[0] if tias else None)
        self.integration_url = reverse("legal:integration", args=[integration.pk])
        self.vendor_url = reverse("legal:vendor", args=[self.vendor.pk])

    @property
    def vendor_is_controller(self) -> bool:
        return self.profile is not None and self.profile.vendor_role == "controller"

    def contract_of(self, type_: str):
        """The signed one with a document first, else the newest of that type."""
        mine = [c for c in self.contracts if c.type == type_]
        return next((c for c in mine if c.signed and c.file), mine[-1] if mine else None)

    @property
    def signed_avv(self):
        avv = self.contract_of("dpa")
        return avv if avv is not None and avv.signed and avv.file else None


def _basis_text(basis: str) -> str:
    return {
        "none_needed": gettext("no third-country transfer"),
        "adequacy": gettext("covered by an adequacy decision"),
        "dpf": gettext("covered by the EU-US Data Privacy Framework"),
        "scc": gettext("standard contractual clauses and a transfer impact assessment required"),
    }.get(basis, basis)


def _article_de_aware(article: str) -> str:
    """The AVV checklist's article reference in the reader's citation style (core.texts.citation)."""
    from vendorvet.web.core.texts import citation

    return citation(f"{article} GDPR")


def _date(value) -> str:
    from django.utils.formats import date_format

    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def register() -> None:
    from vendorvet.web.core.registry import registry

    registry.evidence_providers.register(LegalEvidence.key, LegalEvidence())

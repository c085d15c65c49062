"""Point 1 of the review (certifications) from the certification register, as review evidence.

A register entry of the integration's vendor suggests an answer: current → met, expiring → met (with the date),
expired or an ISO/IEC 27001:2013 certificate → not met, no date → partly met. Each line says where the entry came
from: a confirmed document (“from document …, page N, confirmed by … on …”) or entered by hand. Without an entry
the provider says nothing (the assessor answers from what is on file).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy as _

from vendorvet.engine import scoring_review
from vendorvet.web.core.review import CHECKED, Suggestion

REQUIREMENTS = {"cert.iso27001": ("iso27001",), "cert.soc2_type2": ("soc2_type2",), "cert.bsi_c5": ("bsi_c5",),
                "cert.recognised": ("iso27001", "soc2_type2", "bsi_c5", "tisax")}
ANSWER = {scoring_review.VALID: "met", scoring_review.EXPIRING: "met", scoring_review.EXPIRED: "not_met",
          scoring_review.UNKNOWN_STATE: "partly_met"}
RANK = {"met": 0, "partly_met": 1, "not_met": 2}


def _answer(cert) -> str:
    if cert.kind == "iso27001" and cert.standard.strip().endswith(":2013"):
        return "not_met"
    return ANSWER[cert.state()]


def _line(cert) -> str:
    doc = cert.documents.filter(state="confirmed").order_by("-pk").first()
    expires = cert.expires_on.isoformat() if cert.expires_on else gettext("no date")
    field = "expiry_date" if cert.kind == "iso27001" else "period_end"
    where = doc.provenance(field) if doc else gettext("entered by hand in the register")
    return gettext("%(entry)s, valid until %(date)s (%(where)s)") % {"entry": cert, "date": expires, "where": where}


class CertificationEvidence:
    key = "certifications"
    label = _("Certification register")
    order = 5

    def requirement_ids(self):
        return list(REQUIREMENTS)

    def evidence(self, integration, requirement_ids) -> dict[str, Suggestion]:
        from vendorvet.web.assessments.models import Certification

        certs = list(Certification.objects.filter(vendor_id=integration.vendor_id))
        out = {}
        for requirement_id in requirement_ids:
            mine = [c for c in certs if c.kind in REQUIREMENTS.get(requirement_id, ())]
            if not mine:
                continue
            answers = [_answer(c) for c in mine]
            best = min(answers, key=RANK.__getitem__)  # one current certificate is enough
            lines = tuple(_line(c) for c in mine)
            out[requirement_id] = Suggestion(
                self.key, CHECKED, source=_("certification register"), at=max(c.last_updated for c in mine),
                link=reverse("assessments:vendor_certifications", args=[integration.vendor_id]),
                link_label=gettext("Certification register of the vendor"), suggested=best, lines=lines,
                comment="; ".join(lines), facts=tuple((c.pk, c.kind, c.standard, str(c.expires_on), a)
                                                      for c, a in zip(mine, answers)))
        return out


def register() -> None:
    from vendorvet.web.core.registry import registry

    registry.evidence_providers.register(CertificationEvidence.key, CertificationEvidence())

"""The AVV/DPA checklist: the mandatory contents of a processor contract under GDPR Art. 28.

Keys are stable (stored in ``DpaItem.key``); texts are translated. Source: Regulation (EU)
2016/679, Art. 28(2), (3), (4) and (9) — https://eur-lex.europa.eu/eli/reg/2016/679/oj
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DpaPoint:
    key: str
    article: str
    text: Promise


DPA_POINTS: tuple[DpaPoint, ...] = (
    DpaPoint("28_3_subject", "Art. 28(3) sentence 1",
             _("Subject matter and duration, nature and purpose of the processing, type of personal data, "
               "categories of data subjects, and the controller's obligations and rights are set out.")),
    DpaPoint("28_3_a", "Art. 28(3)(a)",
             _("The processor acts only on documented instructions, including on transfers to third countries.")),
    DpaPoint("28_3_b", "Art. 28(3)(b)",
             _("Persons authorised to process the data are bound to confidentiality.")),
    DpaPoint("28_3_c", "Art. 28(3)(c)",
             _("The processor takes all security measures required by Art. 32.")),
    DpaPoint("28_3_d", "Art. 28(3)(d)",
             _("The processor respects the conditions of Art. 28(2) and (4) for engaging sub-processors.")),
    DpaPoint("28_3_e", "Art. 28(3)(e)",
             _("The processor assists with data subjects' requests (Chapter III).")),
    DpaPoint("28_3_f", "Art. 28(3)(f)",
             _("The processor assists with Arts. 32–36: security, breach notification, DPIA, prior consultation.")),
    DpaPoint("28_3_g", "Art. 28(3)(g)",
             _("At the end of the services the processor deletes or returns all personal data.")),
    DpaPoint("28_3_h", "Art. 28(3)(h)",
             _("The processor provides the information needed to demonstrate compliance and allows audits and "
               "inspections.")),
    DpaPoint("28_3_infringe", "Art. 28(3) last subparagraph",
             _("The processor informs the controller immediately if an instruction infringes data protection "
               "law.")),
    DpaPoint("28_2", "Art. 28(2)",
             _("No sub-processor without prior specific or general written authorisation; with a general "
               "authorisation, notice of changes and a right to object.")),
    DpaPoint("28_4", "Art. 28(4)",
             _("The same obligations flow down to sub-processors; the processor remains fully liable for them.")),
    DpaPoint("28_9", "Art. 28(9)",
             _("The contract is in writing, which includes electronic form.")),
)
DPA_KEYS = frozenset(p.key for p in DPA_POINTS)

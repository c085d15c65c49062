"""Model choices and labels of the engine's one severity scale (``vendorvet.engine.severity``).

Monitoring events and alert rules choose from the finding severities, supply-chain findings from the advisory
severities; both are built from the engine's enum with its one rank map, so stored values stay what they were.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vendorvet.engine.severity import ADVISORY_SEVERITIES, FINDING_SEVERITIES, RANK, Severity

LABELS = {
    Severity.CRITICAL: _("critical"), Severity.HIGH: _("high"), Severity.MEDIUM: _("medium"), Severity.LOW: _("low"),
    Severity.INFO: _("info"), Severity.NONE: _("none"), Severity.UNKNOWN: _("unknown"),
}
SEVERITY_LABELS = {s.value: label for s, label in LABELS.items()}
SEVERITY_RANK = RANK


def _choices(name: str, members) -> type[models.TextChoices]:
    return models.TextChoices(name, [(s.name, (s.value, LABELS[s])) for s in members])


# Most severe first, as the forms and filters list them.
FindingSeverity = _choices("FindingSeverity", tuple(reversed(FINDING_SEVERITIES)))
AdvisorySeverity = _choices("AdvisorySeverity", ADVISORY_SEVERITIES)

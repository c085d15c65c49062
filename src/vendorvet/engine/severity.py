"""The one severity scale of vendorvet, with its one rank map.

Findings (scan checks, the OpenAPI audit), monitoring events and alert rules use the five finding severities
``info`` … ``critical``. Vulnerability advisories (OSV, supply chain) are rated on the CVSS qualitative scale,
which names the same levels and adds ``none`` (CVSS 0.0) and ``unknown`` (no rating given); those two belong
to the same enum, so an advisory and a finding compare on one scale. The stored values are these strings
(and supply chain's stored ``severity_rank`` is :data:`RANK`), so no stored data changes with this module.
Pure Python, no Django; the web's model choices are built from it (``vendorvet.web.core.severity``).
"""

from __future__ import annotations

import enum


class Severity(str, enum.Enum):
    UNKNOWN = "unknown"  # advisories only: no rating given
    NONE = "none"  # advisories only: CVSS "None" (0.0)
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return RANK[self.value]


# Higher is more severe. ``none`` and ``info`` both mean "no security impact" and rank alike.
RANK: dict[str, int] = {"unknown": 0, "none": 1, "info": 1, "low": 2, "medium": 3, "high": 4, "critical": 5}

# The scale of findings, events and alert rules (mildest first), and that of vulnerability advisories
# (most severe first, as shown).
FINDING_SEVERITIES: tuple[Severity, ...] = (Severity.INFO, Severity.LOW, Severity.MEDIUM, Severity.HIGH,
                                            Severity.CRITICAL)
ADVISORY_SEVERITIES: tuple[Severity, ...] = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW,
                                             Severity.NONE, Severity.UNKNOWN)
FINDING_VALUES: tuple[str, ...] = tuple(s.value for s in FINDING_SEVERITIES)


def rank(value: "Severity | str | None") -> int:
    """The rank of a severity or its stored string; an unknown or empty value ranks lowest (0)."""
    if isinstance(value, Severity):
        return value.rank
    return RANK.get(str(value or "").lower(), 0)

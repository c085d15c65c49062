"""What the scan pages show: findings grouped by status with the check's explanation, labels, counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from vendorvet.web.core.checktexts import check_text, finding_title
from vendorvet.web.core.severity import SEVERITY_LABELS  # noqa: F401 - shown labels of the one severity scale
from vendorvet.web.scans.models import Finding, ScanRun

STATUS_LABELS = {
    "fail": _("Failed"),
    "error": _("Could not be checked"),
    "warn": _("Warnings"),
    "info": _("Information"),
    "pass": _("Passed"),
    "not_applicable": _("Not applicable"),
}
STATUS_SHORT = {
    "fail": _("fail"), "error": _("error"), "warn": _("warning"), "info": _("info"), "pass": _("pass"),
    "not_applicable": _("n/a"),
}
OPEN_BY_DEFAULT = ("fail", "error", "warn")


@dataclass
class ShownFinding:
    finding: Finding
    risk: str = ""
    remediation: str = ""
    sources: tuple[str, ...] = ()
    title: str = ""  # the stored title, or the check's title in the reader's language (see checktexts)

    @property
    def severity_label(self) -> str:
        return str(SEVERITY_LABELS.get(self.finding.severity, self.finding.severity))


@dataclass
class StatusGroup:
    status: str
    label: str
    findings: list[ShownFinding] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return self.status in OPEN_BY_DEFAULT


@dataclass
class ShownTarget:
    target: object  # ScanTarget
    groups: list[StatusGroup]
    counts: dict[str, int]


def _specs() -> dict:
    from vendorvet.engine import registry

    return registry.all_checks()


def shown_targets(run: ScanRun) -> list[ShownTarget]:
    specs = _specs()
    out = []
    for target in run.targets.prefetch_related("findings"):
        findings = sorted(target.findings.all(), key=lambda f: (_rank(f.severity), f.check_id))
        groups = []
        for status in Finding.STATUSES:
            members = [f for f in findings if f.status == status]
            if not members:
                continue
            shown = []
            for f in members:
                spec = specs.get(f.check_id)
                shown.append(ShownFinding(
                    f, check_text(f.check_id, "risk") if spec else "",
                    check_text(f.check_id, "remediation") if spec else "", spec.sources if spec else (),
                    finding_title(f.check_id, f.title)))
            groups.append(StatusGroup(status, str(STATUS_LABELS[status]), shown))
        counts = {g.status: len(g.findings) for g in groups}
        out.append(ShownTarget(target, groups, counts))
    return out


def _rank(severity: str) -> int:
    order = ["critical", "high", "medium", "low", "info"]
    return order.index(severity) if severity in order else len(order)

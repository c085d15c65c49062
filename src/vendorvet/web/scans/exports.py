"""A stored scan run in the ecosystem's formats: SARIF 2.1.0 (code-scanning dashboards) and OCSF 1.x JSON
(security data lakes, SIEMs) — the engine's writers, fed with the run's stored targets and findings."""

from __future__ import annotations

from vendorvet.engine.models import Finding as EngineFinding
from vendorvet.engine.models import Severity, Status, Target, TargetError, TargetResult, parse_target
from vendorvet.engine.outputs import ocsf, sarif
from vendorvet.web.scans.models import ScanRun

WRITERS = {"sarif": (sarif, "application/sarif+json", "sarif"), "ocsf": (ocsf, "application/json", "ocsf.json")}


def _target(row) -> Target:
    try:
        return parse_target(row.target)
    except TargetError:
        return Target(raw=row.target, host=row.host or row.target, port=row.port or 443)


def _status(value: str) -> Status:
    try:
        return Status(value)
    except ValueError:
        return Status.ERROR


def _severity(value: str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        return Severity.UNKNOWN


def results_of(run: ScanRun) -> list[TargetResult]:
    out = []
    for row in run.targets.prefetch_related("findings").order_by("target", "pk"):
        findings = [EngineFinding(f.check_id, _status(f.status), _severity(f.severity), f.title, f.detail,
                                  f.evidence or {}) for f in row.findings.order_by("check_id", "pk")]
        out.append(TargetResult(target=_target(row), addresses=list(row.addresses or []), findings=findings,
                                grade=row.grade or None, score=row.score))
    return out


def render(run: ScanRun, fmt: str) -> tuple[str, str, str]:
    """(text, content type, file name) of the run in ``fmt`` (sarif | ocsf)."""
    writer, content_type, suffix = WRITERS[fmt]
    results = results_of(run)
    text = writer.render(results, run.finished) if fmt == "ocsf" and run.finished else writer.render(results)
    return text, content_type, f"vendorvet-scan-{run.pk}.{suffix}"

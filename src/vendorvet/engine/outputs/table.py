"""Human-readable text table: one block per target, the grade and its reasons, then the findings."""

from __future__ import annotations

from vendorvet.engine.models import Status, TargetResult

ORDER = {Status.FAIL: 0, Status.ERROR: 1, Status.WARN: 2, Status.INFO: 3, Status.PASS: 4, Status.NOT_APPLICABLE: 5}


def _clip(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render(results: list[TargetResult], width: int = 120) -> str:
    lines: list[str] = []
    for result in results:
        addresses = ", ".join(result.addresses) or "unresolved"
        grade = f"grade {result.grade}, score {result.score}" if result.grade else "no grade"
        lines.append(f"{result.target.raw}  ({result.target.host}:{result.target.port}, {addresses})  {grade}")
        for deduction in result.deductions:
            points = f"-{deduction.points:g} " if deduction.points else ""
            lines.append(f"  · {points}{deduction.reason}")
        lines.append(f"  {'STATUS':<15}{'SEVERITY':<10}{'CHECK':<28}DETAIL")
        for f in sorted(result.findings, key=lambda f: (ORDER[f.status], -f.severity.rank, f.check_id)):
            detail_width = max(20, width - 55)
            lines.append(f"  {f.status.value:<15}{f.severity.value:<10}{f.check_id:<28}{_clip(f.detail, detail_width)}")
        counts = {s: sum(1 for f in result.findings if f.status == s) for s in Status}
        lines.append("  " + ", ".join(f"{n} {s.value}" for s, n in counts.items() if n))
        lines.append("")
    return "\n".join(lines)

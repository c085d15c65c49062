"""One finding per check from per-address findings: a name with several addresses is several servers.

TLS is scanned on every vetted address of a target (up to a limit); the report keeps one
finding per check id. The worst status wins, and the evidence says which address it came
from: ``addresses`` lists every address the finding covers, and when the addresses disagree
``address`` names the one(s) with the winning status and ``per_address`` gives each
address's status and detail.
"""

from __future__ import annotations

from vendorvet.engine.models import Finding, Status

# Worst first. An error beats a pass: a check that could not run on one address must never
# look clean because another address passed.
STATUS_ORDER = (Status.FAIL, Status.ERROR, Status.WARN, Status.INFO, Status.PASS, Status.NOT_APPLICABLE)


def status_rank(status: Status) -> int:
    return STATUS_ORDER.index(status)


def merge_address_findings(per_address: list[tuple[str, Finding]],
                           not_scanned: dict[str, str] | None = None) -> Finding:
    """Combine one check's findings from several addresses (in scan order) into one finding.

    ``not_scanned`` maps addresses of the name that were not TLS-scanned to the reason why.
    """
    if not per_address:
        raise ValueError("no findings to merge")
    addresses = [address for address, _ in per_address]
    extra = {"not_scanned": dict(not_scanned)} if not_scanned else {}
    worst_rank = min(status_rank(f.status) for _, f in per_address)
    worst = [(a, f) for a, f in per_address if status_rank(f.status) == worst_rank]
    address, chosen = max(worst, key=lambda pair: pair[1].severity.rank)
    agree = len({(f.status, f.detail) for _, f in per_address}) == 1
    if len(per_address) == 1 or agree:
        evidence = {**chosen.evidence, "addresses": addresses, **extra}
        return Finding(chosen.check_id, chosen.status, chosen.severity, chosen.title, chosen.detail, evidence,
                       chosen.caps)
    worst_addresses = [a for a, f in worst]
    others = "; ".join(f"{a}: {f.status.value}" for a, f in per_address if a not in worst_addresses)
    detail = f"on {', '.join(worst_addresses)}: {chosen.detail}" + (f" (other addresses — {others})" if others else "")
    evidence = {
        **chosen.evidence,
        "addresses": addresses,
        "address": worst_addresses if len(worst_addresses) > 1 else worst_addresses[0],
        "per_address": {a: {"status": f.status.value, "detail": f.detail} for a, f in per_address},
        **extra,
    }
    return Finding(chosen.check_id, chosen.status, chosen.severity, chosen.title, detail, evidence, chosen.caps)


def grade_addresses(result, facts, per_address: list, other_findings: list[Finding],
                    by_address: dict[str, list[Finding]]) -> None:
    """Grade each address with its own TLS findings; the target gets the worst (an ungradable one wins).

    With one address this is exactly ``grade_target``. With several, the deductions of the
    address that set the grade are listed with the address in front.
    """
    from dataclasses import replace

    from vendorvet.engine.models import Deduction, TargetResult
    from vendorvet.engine import grades
    from vendorvet.engine.scoring import grade_target

    candidates = []
    for address, attempt in per_address:
        graded = TargetResult(target=result.target, findings=list(other_findings) + list(by_address[address]))
        grade_target(graded, replace(facts, tls=attempt))
        candidates.append((address, graded))
    if len(candidates) == 1:
        _, only = candidates[0]
        result.grade, result.score, result.deductions = only.grade, only.score, only.deductions
        return
    ungradable = [(a, r) for a, r in candidates if r.grade is None]
    address, chosen = ungradable[0] if ungradable else max(
        candidates, key=lambda pair: (grades.rank(pair[1].grade), -(pair[1].score or 0)))
    result.grade, result.score = chosen.grade, chosen.score
    result.deductions = [Deduction(f"on {address}: {d.reason}", d.points, d.cap,
                                   f"auf {address}: {d.reason_de}" if d.reason_de else "")
                         for d in chosen.deductions]
    if not ungradable:
        others = ", ".join(f"{a}: {r.grade} ({r.score})" for a, r in candidates if a != address)
        result.deductions.append(Deduction(f"the worst of {len(candidates)} addresses counts (others — {others})"))

"""Grade A–F and a 0–100 score per target, every deduction a readable line.

The published rubric (docs: ``vendorvet scan`` help and this module):

1. **TLS score** — SSL Labs rating guide, as implemented by testssl.sh ``run_rating``:
   ``0.3 × protocol + 0.3 × key exchange + 0.4 × cipher strength``; protocol is the mean of the best and the
   worst offered version (TLS 1.2/1.3 = 100, 1.1 = 95, 1.0 = 90, SSL 3.0 = 80, SSL 2.0 = 0); key exchange from
   the weakest RSA/DH size (< 512 → 20, < 1024 → 40, < 2048 → 80, < 4096 → 90, else 100) or EC size (< 110 →
   20, < 123 → 40, < 163 → 80, < 225 → 90, else 100); cipher strength is the mean of the strongest and the
   weakest symmetric key (0 → 0, < 128 → 20, < 256 → 80, else 100). Any category at 0 makes the score 0.
2. **Header score** — the Mozilla HTTP Observatory score (algorithm v6) from ``http.headers``.
3. **Overall score** = ``0.7 × TLS + 0.3 × headers`` (TLS alone when the header score is unknown).
   Letter from the score: A ≥ 80, B ≥ 65, C ≥ 50, D ≥ 35, E ≥ 20, F below.
4. **Caps** — reported by the checks that judge the weakness (``Verdict.caps``; see each check module), never
   re-derived here from raw facts. The final grade is the worse of that letter and every cap: legacy protocols, no forward secrecy,
   RC4 or chain problems cap at B; no TLS 1.2, 3DES with TLS 1.1+ or TLS compression cap at C; SSL 2.0,
   export/NULL/anonymous suites, MD5 signatures, key exchange ≤ 1024 bits, Heartbleed, CCS injection or ROBOT
   give F; an expired, self-signed, untrusted or SHA-1-signed certificate or a name mismatch gives F (SSL Labs'
   T and M: no pass grade).
"""

from __future__ import annotations

from vendorvet.engine.facts import ScanFacts, TlsFacts
from vendorvet.engine import grades
from vendorvet.engine.models import GRADES, Deduction, Status, TargetResult  # noqa: F401 - GRADES kept importable

PROTOCOL_POINTS = {"TLS 1.3": 100, "TLS 1.2": 100, "TLS 1.1": 95, "TLS 1.0": 90, "SSL 3.0": 80, "SSL 2.0": 0}
TLS_WEIGHT, HEADER_WEIGHT = 0.7, 0.3


def letter(score: float) -> str:
    return grades.letter(score, grades.SCAN_THRESHOLDS)


worse = grades.worse


def _rsa_points(bits: int) -> int:
    return 20 if bits < 512 else 40 if bits < 1024 else 80 if bits < 2048 else 90 if bits < 4096 else 100


def _ec_points(bits: int) -> int:
    return 20 if bits < 110 else 40 if bits < 123 else 80 if bits < 163 else 90 if bits < 225 else 100


def _cipher_points(bits: int) -> int:
    return 0 if bits <= 0 else 20 if bits < 128 else 80 if bits < 256 else 100


def tls_score(tls: TlsFacts) -> tuple[float, list[Deduction]]:
    lines: list[Deduction] = []
    offered = tls.offered()
    if not offered or not tls.ciphers:
        return 0.0, [Deduction("no protocol or cipher suite could be negotiated", 100.0)]
    points = [PROTOCOL_POINTS[p] for p in offered]
    protocol = (max(points) + min(points)) / 2
    if protocol < 100:
        lines.append(Deduction(f"protocol support {protocol:.0f}/100 (best {offered[-1]}, worst {offered[0]})",
                               round(0.3 * (100 - protocol), 1)))

    kex_candidates: list[tuple[int, str]] = []
    leaf = tls.leaf
    if leaf and leaf.key_type in ("RSA", "DSA"):
        kex_candidates.append((_rsa_points(leaf.key_bits), f"{leaf.key_type} {leaf.key_bits}-bit certificate key"))
    if leaf and leaf.key_type == "EC":
        kex_candidates.append((_ec_points(leaf.key_bits), f"EC {leaf.key_bits}-bit certificate key"))
    dh = [c.dh_bits for c in tls.ciphers if c.dh_bits]
    ec = [c.ec_bits for c in tls.ciphers if c.ec_bits]
    if dh:
        kex_candidates.append((_rsa_points(min(dh)), f"DH group of {min(dh)} bits"))
    if ec:
        kex_candidates.append((_ec_points(min(ec)), f"EC group of {min(ec)} bits"))
    kex, kex_why = min(kex_candidates) if kex_candidates else (100, "")
    if kex < 100:
        lines.append(Deduction(f"key exchange {kex}/100 ({kex_why})", round(0.3 * (100 - kex), 1)))

    sizes = [c.key_size for c in tls.ciphers]
    cipher = (_cipher_points(max(sizes)) + _cipher_points(min(sizes))) / 2
    if cipher < 100:
        lines.append(Deduction(f"cipher strength {cipher:.0f}/100 (strongest {max(sizes)}, weakest {min(sizes)} bits)",
                               round(0.4 * (100 - cipher), 1)))
    if 0 in (min(points), kex, _cipher_points(min(sizes))):
        lines.append(Deduction("a category scored 0 (SSL 2.0 or a cipher without encryption): TLS score is 0", 0))
        return 0.0, lines
    return 0.3 * protocol + 0.3 * kex + 0.4 * cipher, lines


def reported_caps(findings) -> list[Deduction]:
    """The grade caps the checks reported, as deduction lines: the checks judge, scoring only combines."""
    return [Deduction(f"capped at {cap.grade}: {cap.reason}", 0.0, cap.grade,
                      f"begrenzt auf {cap.grade}: {cap.reason_de}" if cap.reason_de else "")
            for finding in findings for cap in finding.caps]


def grade_target(result: TargetResult, facts: ScanFacts) -> None:
    """Fill ``grade``, ``score`` and ``deductions`` of ``result``; leaves them empty when TLS was not scanned."""
    if facts.tls is None or not facts.tls.ok:
        why = facts.tls.error if facts.tls is not None else "the TLS checks were not selected"
        result.deductions = [Deduction(f"no grade: TLS could not be scanned ({why})")]
        result.grade, result.score = None, None
        return
    tls_points, lines = tls_score(facts.tls.value)
    header = next((f for f in result.findings if f.check_id == "http.headers"), None)
    header_score = header.evidence.get("score") if header and header.status != Status.ERROR else None
    if isinstance(header_score, (int, float)):
        combined = TLS_WEIGHT * tls_points + HEADER_WEIGHT * max(0, min(100, header_score))
        if header_score < 100:
            lines.append(Deduction(f"HTTP header score {header_score}/100 (Mozilla Observatory v6)",
                                   round(HEADER_WEIGHT * (100 - header_score), 1)))
    else:
        combined = tls_points
        lines.append(Deduction("HTTP header score unavailable: the overall score is the TLS score alone"))
    grade = letter(combined)
    for line in reported_caps(result.findings):
        lines.append(line)
        grade = worse(grade, line.cap)
    result.score = int(round(combined))
    result.grade = grade
    result.deductions = lines

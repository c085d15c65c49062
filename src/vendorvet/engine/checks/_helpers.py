"""Small helpers shared by checks (not a check: the leading underscore keeps it out of the registry)."""

from __future__ import annotations

from vendorvet.engine.facts import TlsFacts
from vendorvet.engine.models import GradeCap, Verdict, errored

ISO_CRYPTO = {"iso27001_2022": ["A.8.24"], "owasp_asvs_4": ["9.1.2", "9.1.3"]}
ISO_TRANSPORT = {"iso27001_2022": ["A.8.20", "A.8.24"], "owasp_asvs_4": ["9.1.1"]}


def unknown(what: str, facts: TlsFacts, *commands: str) -> Verdict:
    """An ``error`` verdict naming the scan commands that failed and why."""
    reasons = {c: facts.errors[c] for c in commands if c in facts.errors}
    why = "; ".join(f"{c}: {r}" for c, r in reasons.items()) or "no data was returned"
    return errored(f"could not determine {what}: {why}", failed_commands=reasons)


def key_exchange_caps(bits: int) -> tuple[GradeCap, ...]:
    """SSL Labs: key exchange ≤ 1024 bits gives F, under 2048 bits caps at B (RSA keys and DH groups alike)."""
    if bits <= 1024:
        return (GradeCap("F", f"key exchange of {bits} bits", f"Schlüsselaustausch mit {bits} Bit"),)
    if bits < 2048:
        return (GradeCap("B", f"key exchange of {bits} bits (< 2048)", f"Schlüsselaustausch mit {bits} Bit (< 2048)"),)
    return ()

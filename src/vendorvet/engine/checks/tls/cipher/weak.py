"""tls.cipher.weak — no NULL, anonymous, EXPORT, RC4, DES/3DES or other < 128-bit suites."""

from __future__ import annotations

from vendorvet.engine.checks._helpers import ISO_CRYPTO, unknown
from vendorvet.engine.facts import CipherFacts, ScanFacts
from vendorvet.engine.models import Severity, Verdict, failed, passed

METADATA = {
    "id": "tls.cipher.weak",
    "severity": "high",
    "title": "No weak cipher suites",
    "risk": "NULL and anonymous suites give no confidentiality or authentication; EXPORT, RC4, DES and 3DES "
            "(SWEET32) are broken or too weak to protect data in transit.",
    "remediation": "Offer only AEAD suites with 128-bit or stronger keys (AES-GCM, ChaCha20-Poly1305).",
    "requires": ["tls"],
    "mappings": {**ISO_CRYPTO, "ssl_labs": "RC4/3DES cap at B/C; export and < 112-bit suites cap at F"},
    "sources": ["badssl.com rc4, 3des, null", "RFC 7465 (RC4)", "SSL Labs SSL/TLS Server Rating Guide"],
    "scored": True,
}


def weakness(cipher: CipherFacts) -> str | None:
    name = cipher.name.upper()
    if cipher.anonymous or cipher.kex == "ANON" or "_ANON_" in name:
        return "anonymous (no server authentication)"
    if "_WITH_NULL_" in name or name.endswith("_NULL_SHA") or "NULL" in name.split("_WITH_")[-1].split("_"):
        return "NULL encryption"
    if "EXPORT" in name:
        return "EXPORT-grade"
    if "RC4" in name:
        return "RC4"
    if "3DES" in name or "DES_EDE" in name or "DES_192" in name:
        return "3DES (64-bit block, SWEET32)"
    if "_DES_" in name or "DES40" in name or "DES_64" in name or name.endswith("_DES_CBC_SHA"):
        return "DES"
    if "RC2" in name or "IDEA" in name:
        return "obsolete 64-bit block cipher"
    if cipher.key_size < 128:
        return f"{cipher.key_size}-bit key"
    return None


def check(facts: ScanFacts) -> Verdict:
    tls = facts.tls.value
    weak = [{"protocol": c.protocol, "suite": c.name, "weakness": w} for c in tls.ciphers
            if (w := weakness(c))]
    if weak:
        broken = any(w["weakness"].startswith(("anonymous", "NULL", "EXPORT")) for w in weak)
        names = sorted({w["suite"] for w in weak})
        return failed(f"{len(names)} weak cipher suite(s) accepted: {', '.join(names[:5])}"
                      + (" …" if len(names) > 5 else ""),
                      Severity.CRITICAL if broken else None, weak_suites=weak)
    missing = tls.unknown_protocols()
    if missing:
        from vendorvet.engine.collectors.tls import PROTOCOL_COMMANDS

        return unknown(f"the cipher suites of {', '.join(missing)}", tls, *(PROTOCOL_COMMANDS[p] for p in missing))
    return passed(f"all {len(tls.ciphers)} accepted suites use 128-bit or stronger ciphers",
                  accepted_suites=len(tls.ciphers))

"""tls.cipher.weak — no NULL, anonymous, EXPORT, RC4, DES/3DES or other < 128-bit suites."""

from __future__ import annotations

from vendorvet.engine.checks._helpers import ISO_CRYPTO, unknown
from vendorvet.engine.facts import CipherFacts, ScanFacts
from vendorvet.engine.models import GradeCap, Severity, Verdict, failed, passed

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

ANONYMOUS, NULL, EXPORT, RC4 = "anonymous (no server authentication)", "NULL encryption", "EXPORT-grade", "RC4"
TRIPLE_DES = "3DES (64-bit block, SWEET32)"


def weaknesses(cipher: CipherFacts) -> list[str]:
    """Every weakness of a suite, most serious first (one string matching for the verdict and the caps)."""
    name = cipher.name.upper()
    found = []
    if cipher.anonymous or cipher.kex == "ANON" or "_ANON_" in name:
        found.append(ANONYMOUS)
    if "_WITH_NULL_" in name or name.endswith("_NULL_SHA") or "NULL" in name.split("_WITH_")[-1].split("_"):
        found.append(NULL)
    if "EXPORT" in name:
        found.append(EXPORT)
    if "RC4" in name:
        found.append(RC4)
    if "3DES" in name or "DES_EDE" in name or "DES_192" in name:
        found.append(TRIPLE_DES)
    elif "_DES_" in name or "DES40" in name or "DES_64" in name or name.endswith("_DES_CBC_SHA"):
        found.append("DES")
    if "RC2" in name or "IDEA" in name:
        found.append("obsolete 64-bit block cipher")
    if cipher.key_size < 128:
        found.append(f"{cipher.key_size}-bit key")
    return found


def weakness(cipher: CipherFacts) -> str | None:
    found = weaknesses(cipher)
    return found[0] if found else None


def caps(ciphers) -> tuple[GradeCap, ...]:
    """SSL Labs: export, anonymous, NULL and < 112-bit suites give F; RC4 caps at B; 3DES with TLS 1.1+ at C."""
    flagged = [(c, set(weaknesses(c))) for c in ciphers]
    found = []
    if any({EXPORT, ANONYMOUS} & w for _, w in flagged):
        found.append(GradeCap("F", "export-grade or anonymous cipher suites offered",
                              "Export- oder anonyme Cipher-Suites angeboten"))
    if any(NULL in w for _, w in flagged):
        found.append(GradeCap("F", "cipher suites without encryption (NULL) offered",
                              "Cipher-Suites ohne Verschlüsselung (NULL) angeboten"))
    if any(0 < c.key_size < 112 for c, _ in flagged):
        found.append(GradeCap("F", "cipher suites under 112 bits offered", "Cipher-Suites unter 112 Bit angeboten"))
    if any(RC4 in w for _, w in flagged):
        found.append(GradeCap("B", "RC4 offered", "RC4 angeboten"))
    if any(TRIPLE_DES in w and c.protocol in ("TLS 1.1", "TLS 1.2") for c, w in flagged):
        found.append(GradeCap("C", "64-bit block cipher (3DES, SWEET32) with TLS 1.1+",
                              "64-Bit-Blockchiffre (3DES, SWEET32) mit TLS 1.1+"))
    return tuple(found)


def check(facts: ScanFacts) -> Verdict:
    tls = facts.tls.value
    weak = [{"protocol": c.protocol, "suite": c.name, "weakness": w} for c in tls.ciphers
            if (w := weakness(c))]
    if weak:
        broken = any(w["weakness"].startswith(("anonymous", "NULL", "EXPORT")) for w in weak)
        names = sorted({w["suite"] for w in weak})
        return failed(f"{len(names)} weak cipher suite(s) accepted: {', '.join(names[:5])}"
                      + (" …" if len(names) > 5 else ""),
                      Severity.CRITICAL if broken else None, weak_suites=weak).capped(*caps(tls.ciphers))
    missing = tls.unknown_protocols()
    if missing:
        from vendorvet.engine.collectors.tls import PROTOCOL_COMMANDS

        return unknown(f"the cipher suites of {', '.join(missing)}", tls, *(PROTOCOL_COMMANDS[p] for p in missing))
    return passed(f"all {len(tls.ciphers)} accepted suites use 128-bit or stronger ciphers",
                  accepted_suites=len(tls.ciphers))

"""TLS check verdicts from hand-built facts of vulnerable servers this machine's OpenSSL cannot reproduce."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from vendorvet.engine import registry
from vendorvet.engine.facts import CertFacts, CipherFacts, ScanFacts, TlsFacts
from vendorvet.engine.models import Attempt, Status, TargetResult, parse_target
from vendorvet.engine.runner import evaluate
from vendorvet.engine.scoring import grade_target

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)
GOOD_SUITES = (
    CipherFacts("TLS 1.3", "TLS_AES_128_GCM_SHA256", 128, kex="TLS13", ec_bits=253, curve="X25519"),
    CipherFacts("TLS 1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 128, kex="ECDHE", ec_bits=256, curve="secp256r1"),
)
LEAF = CertFacts(subject="CN=api.vendor.example", issuer="CN=Public CA", not_before=NOW - dt.timedelta(days=30),
                 not_after=NOW + dt.timedelta(days=300), serial="1", sha256="00", san_dns=("api.vendor.example",),
                 signature_hash="sha256", key_type="RSA", key_bits=2048, rsa_exponent=65537)
SAFE = TlsFacts(
    host="api.vendor.example", port=443, address="203.0.113.10", checked_at=NOW,
    protocols={"SSL 2.0": False, "SSL 3.0": False, "TLS 1.0": False, "TLS 1.1": False, "TLS 1.2": True,
               "TLS 1.3": True},
    ciphers=GOOD_SUITES, chain=(LEAF,), trusted=True, chain_in_order=True, hostname_matches=True,
    heartbleed=False, robot="NOT_VULNERABLE_RSA_NOT_SUPPORTED", ccs_injection=False, secure_renegotiation=True,
    client_renegotiation_dos=False, compression=False, fallback_scsv=True,
)


def judge(tls: TlsFacts, check_id: str):
    facts = ScanFacts(target=parse_target("api.vendor.example"), tls=Attempt.success(tls), now=NOW)
    [finding] = evaluate(facts, [registry.all_checks()[check_id]])
    return finding


def grade(tls: TlsFacts) -> TargetResult:
    facts = ScanFacts(target=parse_target("api.vendor.example"), tls=Attempt.success(tls), now=NOW)
    result = TargetResult(target=facts.target, findings=evaluate(facts, registry.select(["tls"])))
    grade_target(result, facts)
    return result


def test_safe_facts_pass_everything_and_grade_a():
    result = grade(SAFE)
    assert {f.check_id: f.status for f in result.findings if f.status != Status.PASS} == {}
    assert result.grade == "A"


@pytest.mark.parametrize("change, check_id, status", [
    ({"heartbleed": True}, "tls.vuln.heartbleed", "fail"),
    ({"ccs_injection": True}, "tls.vuln.ccs_injection", "fail"),
    ({"robot": "VULNERABLE_STRONG_ORACLE"}, "tls.vuln.robot", "fail"),
    ({"robot": "VULNERABLE_WEAK_ORACLE"}, "tls.vuln.robot", "fail"),
    ({"robot": "UNKNOWN_INCONSISTENT_RESULTS"}, "tls.vuln.robot", "error"),
    ({"secure_renegotiation": False}, "tls.vuln.renegotiation", "fail"),
    ({"client_renegotiation_dos": True}, "tls.vuln.renegotiation", "warn"),
    ({"compression": True}, "tls.vuln.compression", "fail"),
    ({"protocols": {**SAFE.protocols, "SSL 3.0": True}}, "tls.protocol.legacy", "fail"),
    ({"protocols": {**SAFE.protocols, "TLS 1.3": False}}, "tls.protocol.tls13", "warn"),
    ({"ciphers": GOOD_SUITES + (CipherFacts("TLS 1.2", "TLS_RSA_WITH_RC4_128_SHA", 128, kex="RSA"),)},
     "tls.cipher.weak", "fail"),
    ({"ciphers": GOOD_SUITES + (CipherFacts("TLS 1.2", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", 168, kex="RSA"),)},
     "tls.cipher.weak", "fail"),
    ({"ciphers": GOOD_SUITES + (CipherFacts("TLS 1.0", "TLS_RSA_EXPORT_WITH_RC4_40_MD5", 40, kex="RSA"),)},
     "tls.cipher.weak", "fail"),
    ({"ciphers": GOOD_SUITES + (CipherFacts("TLS 1.2", "TLS_DH_anon_WITH_AES_128_CBC_SHA", 128, True, "ANON"),)},
     "tls.cipher.weak", "fail"),
    ({"ciphers": GOOD_SUITES + (CipherFacts("TLS 1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256", 128, kex="RSA"),)},
     "tls.cipher.forward_secrecy", "warn"),
    ({"ciphers": (CipherFacts("TLS 1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 128, kex="ECDHE", ec_bits=192,
                              curve="prime192v1"),)}, "tls.kex.weak_dh", "fail"),
    ({"chain": (replace(LEAF, key_type="EC", key_bits=224),)}, "tls.cert.key", "fail"),
    ({"chain": (replace(LEAF, rsa_exponent=1),)}, "tls.cert.key", "fail"),
    ({"chain": (LEAF, replace(LEAF, subject="CN=Intermediate", signature_hash="md5"))}, "tls.cert.signature", "fail"),
    ({"chain": (replace(LEAF, not_before=NOW + dt.timedelta(days=2)),)}, "tls.cert.expired", "fail"),
    ({"trusted": False, "trust_error": "incomplete chain or unknown root"}, "tls.cert.trust", "fail"),
])
def test_vulnerable_facts_fail_their_check(change, check_id, status):
    assert judge(SAFE, check_id).status.value == "pass"
    finding = judge(replace(SAFE, **change), check_id)
    assert finding.status.value == status, finding.detail


@pytest.mark.parametrize("change, cap", [
    ({"heartbleed": True}, "F"), ({"ccs_injection": True}, "F"), ({"robot": "VULNERABLE_STRONG_ORACLE"}, "F"),
    ({"protocols": {**SAFE.protocols, "TLS 1.0": True}}, "B"),
    ({"ciphers": GOOD_SUITES + (CipherFacts("TLS 1.2", "TLS_RSA_WITH_RC4_128_SHA", 128, kex="RSA"),)}, "B"),
    ({"ciphers": GOOD_SUITES + (CipherFacts("TLS 1.2", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", 168, kex="RSA"),)}, "C"),
    ({"compression": True}, "C"),
    ({"trusted": False, "trust_error": "self-signed"}, "F"),
    ({"hostname_matches": False}, "F"),
])
def test_caps_follow_the_ssl_labs_guide(change, cap):
    result = grade(replace(SAFE, **change))
    assert result.grade == cap
    assert any(d.cap == cap for d in result.deductions), [d.reason for d in result.deductions]


def test_unknown_fact_is_an_error_with_the_reason():
    facts = replace(SAFE, heartbleed=None, errors={"heartbleed": "CONNECTIVITY_ISSUE: timed out"})
    finding = judge(facts, "tls.vuln.heartbleed")
    assert finding.status == Status.ERROR and "timed out" in finding.detail


def test_a_crashing_check_reports_error_not_pass():
    broken = replace(SAFE, chain=("not a certificate",))
    finding = judge(broken, "tls.cert.key")
    assert finding.status == Status.ERROR and "the check failed" in finding.detail

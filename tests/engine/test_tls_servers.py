"""TLS checks against real TLS servers on 127.0.0.1, each with one flaw, certificates from a test CA."""

from __future__ import annotations

import ssl
import subprocess

import pytest

from tests.engine.conftest import by_id, scan_local
from tests.engine.servers import serve, server_context

pytestmark = pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")


def _scan(pki, ctx, **kw):
    with serve(context=ctx) as (port, _site):
        return scan_local(port, ca_file=pki.ca_pem, checks=["tls"], **kw)


def test_good_tls13_server_passes_every_tls_check(pki):
    result = _scan(pki, server_context(*pki.good))
    found = by_id(result)
    assert set(found) >= {"tls.protocol.legacy", "tls.protocol.tls12", "tls.protocol.tls13", "tls.cipher.weak",
                          "tls.cipher.forward_secrecy", "tls.kex.weak_dh", "tls.cert.expired", "tls.cert.expiring",
                          "tls.cert.hostname", "tls.cert.trust", "tls.cert.signature", "tls.cert.key",
                          "tls.vuln.heartbleed", "tls.vuln.robot", "tls.vuln.ccs_injection",
                          "tls.vuln.renegotiation", "tls.vuln.compression"}
    not_passing = {k: (f.status.value, f.detail) for k, f in found.items() if f.status.value != "pass"}
    assert not_passing == {}
    assert found["tls.protocol.tls13"].evidence["offered"] == ["TLS 1.2", "TLS 1.3"]
    assert result.grade == "A" and result.score >= 80
    assert result.addresses == ["127.0.0.1"]


def test_without_ca_file_the_test_ca_is_untrusted(pki):
    with serve(context=server_context(*pki.good)) as (port, _):
        result = scan_local(port, checks=["tls.cert"])
    trust = by_id(result)["tls.cert.trust"]
    assert trust.status.value == "fail"
    assert "incomplete chain or unknown root" in trust.detail
    assert result.grade is None or result.grade == "F"


def test_legacy_only_server_fails_legacy_and_tls12(pki):
    ctx = server_context(*pki.good, minimum=ssl.TLSVersion.TLSv1, maximum=ssl.TLSVersion.TLSv1_1,
                         ciphers="DEFAULT:@SECLEVEL=0")
    result = _scan(pki, ctx)
    found = by_id(result)
    assert found["tls.protocol.legacy"].status.value == "fail"
    assert found["tls.protocol.legacy"].evidence["accepted"] == ["TLS 1.0", "TLS 1.1"]
    assert found["tls.protocol.tls12"].status.value == "fail"
    assert found["tls.protocol.tls13"].status.value == "warn"
    assert result.grade == "C"
    assert any(d.cap == "C" and "no TLS 1.2" in d.reason for d in result.deductions)


def test_dh_1024_fails_weak_dh_and_grades_f(pki, tmp_path):
    dh = tmp_path / "dh1024.pem"
    subprocess.run(["openssl", "dhparam", "-out", str(dh), "1024"], check=True, capture_output=True, timeout=120)
    ctx = server_context(*pki.good, maximum=ssl.TLSVersion.TLSv1_2, ciphers="DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0")
    ctx.load_dh_params(str(dh))
    result = _scan(pki, ctx)
    weak = by_id(result)["tls.kex.weak_dh"]
    assert weak.status.value == "fail" and weak.evidence["min_dh_bits"] == 1024
    assert weak.severity.value == "critical"
    assert result.grade == "F"


def test_null_cipher_and_static_rsa_fail(pki):
    ctx = server_context(*pki.good, maximum=ssl.TLSVersion.TLSv1_2, ciphers="NULL-SHA256:AES128-SHA:@SECLEVEL=0")
    result = _scan(pki, ctx)
    found = by_id(result)
    assert found["tls.cipher.weak"].status.value == "fail"
    assert {w["suite"] for w in found["tls.cipher.weak"].evidence["weak_suites"]} == {"TLS_RSA_WITH_NULL_SHA256"}
    assert found["tls.cipher.forward_secrecy"].status.value == "fail"
    assert result.score == 0 and result.grade == "F"


@pytest.mark.parametrize("cert_name, check_id, words", [
    ("expired", "tls.cert.expired", "expired on"),
    ("wrong_host", "tls.cert.hostname", "is not among the certificate's names"),
    ("self_signed", "tls.cert.trust", "self-signed"),
    ("untrusted", "tls.cert.trust", "unknown root"),
    ("sha1", "tls.cert.signature", "SHA1"),
    ("rsa1024", "tls.cert.key", "1024 bits"),
])
def test_each_bad_certificate_fails_its_check(pki, cert_name, check_id, words):
    result = _scan(pki, server_context(*getattr(pki, cert_name), ciphers="DEFAULT:@SECLEVEL=0"), )
    finding = by_id(result)[check_id]
    assert finding.status.value == "fail", finding.detail
    assert words in finding.detail
    assert result.grade == "F" or check_id == "tls.cert.key"


def test_expiring_certificate_warns(pki):
    result = _scan(pki, server_context(*pki.expiring))
    finding = by_id(result)["tls.cert.expiring"]
    assert finding.status.value == "warn" and finding.evidence["days_left"] <= 10
    assert by_id(result)["tls.cert.expired"].status.value == "pass"


def test_safe_server_collects_vulnerability_facts(pki):
    """Heartbleed, CCS injection, ROBOT cannot be reproduced with this OpenSSL; the collector must still
    answer each question for a safe server (a ``None`` would turn into an error finding)."""
    from vendorvet.engine.collectors.tls import TlsJob, collect_tls

    ctx = server_context(*pki.good, maximum=ssl.TLSVersion.TLSv1_2, ciphers="AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256")
    with serve(context=ctx) as (port, _):
        attempt = collect_tls([TlsJob("k", "api.vendor.test", port, "127.0.0.1")], timeout=5, ca_file=pki.ca_pem)["k"]
    facts = attempt.value
    assert attempt.ok and facts.errors == {}
    assert facts.heartbleed is False and facts.ccs_injection is False and facts.compression is False
    assert facts.robot in ("NOT_VULNERABLE_NO_ORACLE", "NOT_VULNERABLE_RSA_NOT_SUPPORTED")
    assert facts.secure_renegotiation is True
    assert facts.trusted is True and facts.hostname_matches is True


def test_unreachable_tls_port_is_an_error_not_a_pass(pki):
    with serve() as (port, _):  # plain HTTP server: the TLS handshake cannot succeed
        result = scan_local(port, checks=["tls"], timeout=3)
    assert {f.status.value for f in result.findings} == {"error"}
    assert all("could not" in f.detail for f in result.findings)
    assert result.grade is None

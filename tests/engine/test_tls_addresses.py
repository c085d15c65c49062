"""Every resolved address is TLS-scanned; findings are folded per check (worst status wins, the evidence
names the address). Also: a server that sends only its leaf fails tls.cert.trust as an incomplete chain,
and legacy protocol versions are enumerated only when a probe handshake shows the server accepts them."""

from __future__ import annotations

import socket
import ssl
from contextlib import ExitStack, contextmanager

import pytest

from tests.engine.conftest import HOST, by_id, scan_local
from tests.engine.servers import serve, server_context
from tests.engine.servers.dns import dns_server
from vendorvet.engine.aggregate import merge_address_findings
from vendorvet.engine.models import Finding, Severity, Status, parse_target
from vendorvet.engine.runner import ScanOptions, scan

pytestmark = pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning",
                                        "ignore::DeprecationWarning")


def _free_port_on_both() -> int:
    for _ in range(50):
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        other = socket.socket()
        try:
            other.bind(("127.0.0.2", port))
            return port
        except OSError:
            continue
        finally:
            probe.close()
            other.close()
    raise RuntimeError("no port free on both 127.0.0.1 and 127.0.0.2")


@contextmanager
def two_address_servers(first_ctx, second_ctx):
    """The same port on 127.0.0.1 and 127.0.0.2, each address with its own TLS configuration."""
    port = _free_port_on_both()
    with ExitStack() as stack:
        stack.enter_context(serve(context=first_ctx, host="127.0.0.1", port=port))
        stack.enter_context(serve(context=second_ctx, host="127.0.0.2", port=port))
        yield port


def _scan_name(pki, port, dns_port, **extra):
    options = ScanOptions(timeout=3, concurrency=4, ca_file=pki.ca_pem, checks=["tls", "location"],
                          nameserver=f"127.0.0.1:{dns_port}", allow_private=True, **extra)
    [result] = scan([parse_target(f"https://{HOST}:{port}/")], options)
    return result


def test_each_resolved_address_is_scanned_and_the_worst_wins(pki):
    modern = server_context(*pki.good)
    legacy = server_context(*pki.good, minimum=ssl.TLSVersion.TLSv1, maximum=ssl.TLSVersion.TLSv1_2,
                            ciphers="DEFAULT:@SECLEVEL=0")
    records = {(HOST, "A"): ["127.0.0.1", "127.0.0.2"]}
    with two_address_servers(modern, legacy) as port, dns_server(records) as dns_port:
        result = _scan_name(pki, port, dns_port)
    found = by_id(result)
    assert sorted(result.addresses) == ["127.0.0.1", "127.0.0.2"]  # DNS answers come in any order

    legacy_finding = found["tls.protocol.legacy"]
    assert legacy_finding.status == Status.FAIL
    assert legacy_finding.evidence["address"] == "127.0.0.2"
    assert legacy_finding.evidence["addresses"] == ["127.0.0.1", "127.0.0.2"]  # address order, not DNS order
    assert legacy_finding.evidence["accepted"] == ["TLS 1.0", "TLS 1.1"]
    assert legacy_finding.evidence["per_address"]["127.0.0.1"]["status"] == "pass"
    assert legacy_finding.detail.startswith("on 127.0.0.2: the server accepts TLS 1.0, TLS 1.1")
    assert "127.0.0.1: pass" in legacy_finding.detail

    # 127.0.0.1 offers TLS 1.3, 127.0.0.2 does not: the warning wins and says where
    tls13 = found["tls.protocol.tls13"]
    assert tls13.status == Status.WARN and tls13.evidence["address"] == "127.0.0.2"

    # where both addresses agree, the finding is the same as for one address and lists both
    trust = found["tls.cert.trust"]
    assert trust.status == Status.PASS
    assert trust.evidence["addresses"] == ["127.0.0.1", "127.0.0.2"] and "per_address" not in trust.evidence

    # the grade is the worse address's: legacy protocols cap at B, and the deduction names the address
    assert result.grade == "B"
    assert any(d.cap == "B" and d.reason.startswith("on 127.0.0.2:") for d in result.deductions)
    assert "location.country" in found and found["location.country"].evidence


def test_max_addresses_limits_the_tls_scan_and_says_so(pki):
    modern = server_context(*pki.good)
    records = {(HOST, "A"): ["127.0.0.1", "127.0.0.2"]}
    with two_address_servers(modern, modern) as port, dns_server(records) as dns_port:
        result = _scan_name(pki, port, dns_port, max_addresses=1)
    legacy = by_id(result)["tls.protocol.legacy"]
    assert sorted(result.addresses) == ["127.0.0.1", "127.0.0.2"]
    assert legacy.evidence["addresses"] == ["127.0.0.1"]
    assert legacy.evidence["not_scanned"] == {"127.0.0.2": "beyond the first 1 address(es)"}


def test_one_unreachable_address_is_an_error_not_a_pass(pki):
    """127.0.0.2 has nothing listening on the port: its TLS checks cannot run, so no check passes."""
    records = {(HOST, "A"): ["127.0.0.1", "127.0.0.2"]}
    port = _free_port_on_both()
    with serve(context=server_context(*pki.good), port=port), dns_server(records) as dns_port:
        result = _scan_name(pki, port, dns_port)
    found = by_id(result)
    tls = {k: f for k, f in found.items() if k.startswith("tls.")}
    assert {f.status for f in tls.values()} == {Status.ERROR}
    assert all(f.evidence["address"] == "127.0.0.2" for f in tls.values())
    assert all(f.evidence["per_address"]["127.0.0.1"]["status"] == "pass" for f in tls.values())
    assert result.grade is None and result.deductions[0].reason.startswith("on 127.0.0.2: no grade")


def test_an_address_the_scanner_has_no_route_to_is_set_aside_and_named(pki, monkeypatch):
    """An IPv6 address on an IPv4-only scanner host: connecting fails with ENETUNREACH, which no loopback server
    can produce, so the routing failure is injected for 127.0.0.2 only; 127.0.0.1 is a real server."""
    import errno

    from vendorvet.engine.collectors import tls_sched

    real = socket.create_connection

    def no_route_to_second(address, *args, **kwargs):
        if address[0] == "127.0.0.2":
            raise OSError(errno.ENETUNREACH, "Network is unreachable")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(tls_sched.socket, "create_connection", no_route_to_second)
    records = {(HOST, "A"): ["127.0.0.1", "127.0.0.2"]}
    port = _free_port_on_both()
    with serve(context=server_context(*pki.good), port=port), dns_server(records) as dns_port:
        result = _scan_name(pki, port, dns_port)
    legacy = by_id(result)["tls.protocol.legacy"]
    assert legacy.status == Status.PASS
    assert legacy.evidence["addresses"] == ["127.0.0.1"]
    assert legacy.evidence["not_scanned"] == {
        "127.0.0.2": "this scanner has no route to 127.0.0.2: Network is unreachable"}
    assert result.grade == "A"

    # when no address is reachable at all, the error stands: nothing passes
    records = {(HOST, "A"): ["127.0.0.2"]}
    with dns_server(records) as dns_port:
        result = _scan_name(pki, port, dns_port)
    tls = [f for f in result.findings if f.check_id.startswith("tls.")]
    assert {f.status for f in tls} == {Status.ERROR}
    assert all(f.evidence["reason"] == "no_route_from_scanner" for f in tls)


def test_merge_orders_fail_before_error_before_pass():
    def finding(status, detail="d", severity=Severity.HIGH):
        return Finding("tls.x", status, severity, "t", detail, {"k": status.value})

    merged = merge_address_findings([("a", finding(Status.PASS)), ("b", finding(Status.ERROR)),
                                     ("c", finding(Status.FAIL))])
    assert merged.status == Status.FAIL and merged.evidence["address"] == "c" and merged.evidence["k"] == "fail"
    merged = merge_address_findings([("a", finding(Status.PASS)), ("b", finding(Status.ERROR))])
    assert merged.status == Status.ERROR and merged.evidence["address"] == "b"
    merged = merge_address_findings([("a", finding(Status.FAIL, "x")), ("b", finding(Status.FAIL, "y"))])
    assert merged.evidence["address"] == ["a", "b"]
    with pytest.raises(ValueError):
        merge_address_findings([])


# --------------------------------------------------------------------------- incomplete chain

@pytest.fixture(scope="module")
def chained(tmp_path_factory):
    """Root → intermediate (trustme) → leaf. Files: the leaf alone, and leaf + intermediate."""
    import trustme

    from tests.engine.servers import make_leaf

    tmp = tmp_path_factory.mktemp("chain")
    root = trustme.CA()
    intermediate = root.create_child_ca()
    root_pem = tmp / "root.pem"
    root.cert_pem.write_to_path(str(root_pem))
    leaf_only, key = make_leaf(intermediate, tmp, "leaf", [HOST])
    full = tmp / "full-chain.pem"
    full.write_bytes(leaf_only.read_bytes() + intermediate.cert_pem.bytes())
    return root_pem, leaf_only, full, key


def test_server_sending_only_the_leaf_fails_trust_as_incomplete_chain(chained):
    root_pem, leaf_only, _full, key = chained
    with serve(context=server_context(leaf_only, key)) as (port, _):
        result = scan_local(port, ca_file=root_pem, checks=["tls.cert"])
    trust = by_id(result)["tls.cert.trust"]
    assert trust.status == Status.FAIL
    assert "incomplete chain" in trust.detail
    assert trust.evidence["chain"] == [f"CN={HOST}"]
    assert by_id(result)["tls.cert.hostname"].status == Status.PASS  # only the chain is wrong
    assert result.grade == "F"


def test_server_sending_the_intermediate_is_trusted(chained):
    root_pem, _leaf_only, full, key = chained
    with serve(context=server_context(full, key)) as (port, _):
        result = scan_local(port, ca_file=root_pem, checks=["tls.cert"])
    trust = by_id(result)["tls.cert.trust"]
    assert trust.status == Status.PASS, trust.detail
    assert len(trust.evidence["chain"]) == 2


# --------------------------------------------------------------------------- legacy probe

def test_legacy_suites_are_enumerated_when_the_probe_is_accepted(pki):
    from vendorvet.engine.collectors.tls import TlsJob, collect_tls

    ctx = server_context(*pki.good, minimum=ssl.TLSVersion.TLSv1, maximum=ssl.TLSVersion.TLSv1_2,
                         ciphers="ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0")
    with serve(context=ctx) as (port, _):
        facts = collect_tls([TlsJob("k", HOST, port, "127.0.0.1")], timeout=5, ca_file=pki.ca_pem)["k"].value
    assert facts.protocols == {"SSL 2.0": False, "SSL 3.0": False, "TLS 1.0": True, "TLS 1.1": True,
                               "TLS 1.2": True, "TLS 1.3": False}
    by_protocol = {p: sorted(c.name for c in facts.ciphers if c.protocol == p) for p in ("TLS 1.0", "TLS 1.1")}
    assert by_protocol["TLS 1.0"] == ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"]
    assert by_protocol["TLS 1.1"] == by_protocol["TLS 1.0"]
    assert facts.errors == {}


def test_modern_server_skips_legacy_enumeration_with_few_connections(pki):
    """A TLS 1.2/1.3 server: four probe handshakes answer the legacy question instead of ~370."""
    from vendorvet.engine.collectors.tls import TlsJob, collect_tls

    accepted = []

    ctx = server_context(*pki.good)
    with serve(context=ctx) as (port, site):
        import tests.engine.servers as servers

        original = servers._Server.get_request

        def counting(self):
            accepted.append(1)
            return original(self)

        servers._Server.get_request = counting
        try:
            facts = collect_tls([TlsJob("k", HOST, port, "127.0.0.1")], timeout=5, ca_file=pki.ca_pem)["k"].value
        finally:
            servers._Server.get_request = original
    assert [p for p, ok in facts.protocols.items() if ok] == ["TLS 1.2", "TLS 1.3"]
    assert all(facts.protocols[p] is False for p in ("SSL 2.0", "SSL 3.0", "TLS 1.0", "TLS 1.1"))
    from sslyze.plugins.openssl_cipher_suites.cipher_suites import CipherSuitesRepository
    from sslyze.server_connectivity import TlsVersionEnum

    legacy_suites = sum(len(CipherSuitesRepository.get_all_cipher_suites(v)) for v in (
        TlsVersionEnum.SSL_2_0, TlsVersionEnum.SSL_3_0, TlsVersionEnum.TLS_1_0, TlsVersionEnum.TLS_1_1))
    modern_suites = sum(len(CipherSuitesRepository.get_all_cipher_suites(v))
                        for v in (TlsVersionEnum.TLS_1_2, TlsVersionEnum.TLS_1_3))
    assert legacy_suites > 300
    assert len(accepted) < modern_suites + 60, len(accepted)  # no legacy enumeration happened


# --------------------------------------------------------------------------- enumeration by elimination

FFDHE2048 = """-----BEGIN DH PARAMETERS-----
MIIBCAKCAQEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz
+8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a
87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7
YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi
7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaD
ssbzSibBsu/6iGtCOGEoXJf//////////wIBAg==
-----END DH PARAMETERS-----
"""  # RFC 7919 ffdhe2048
MIXED_CIPHERS = ("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES256-GCM-SHA384:"
                 "AES128-SHA:ECDHE-RSA-AES256-SHA:DHE-RSA-AES128-SHA:@SECLEVEL=0")


def _reference(server_info_port, protocol):
    """sslyze's own suite-by-suite enumeration of one version (its test utility, no scheduler)."""
    from sslyze import ServerNetworkConfiguration, ServerNetworkLocation
    from sslyze.plugins.scan_commands import ScanCommand, ScanCommandsRepository
    from sslyze.server_connectivity import ServerConnectivityInfo, check_connectivity_to_server

    from vendorvet.engine.collectors.tls import PROTOCOL_COMMANDS

    location = ServerNetworkLocation(hostname=HOST, port=server_info_port, ip_address="127.0.0.1")
    network = ServerNetworkConfiguration(tls_server_name_indication=HOST, network_timeout=5)
    info = ServerConnectivityInfo(location, network, check_connectivity_to_server(location, network))
    implementation = ScanCommandsRepository.get_implementation_cls(ScanCommand(PROTOCOL_COMMANDS[protocol]))
    result = implementation.scan_server(info)
    return sorted((a.cipher_suite.name, getattr(a.ephemeral_key, "size", None)) for a in result.accepted_cipher_suites)


def _mixed_context(pki, tmp_path):
    dh = tmp_path / "ffdhe2048.pem"
    dh.write_text(FFDHE2048)
    ctx = server_context(*pki.good, minimum=ssl.TLSVersion.TLSv1, ciphers=MIXED_CIPHERS)
    ctx.load_dh_params(str(dh))
    return ctx


def test_elimination_finds_exactly_what_suite_by_suite_enumeration_finds(pki, tmp_path):
    from vendorvet.engine.collectors.tls import TlsJob, collect_tls

    ctx = _mixed_context(pki, tmp_path)
    with serve(context=ctx) as (port, _):
        facts = collect_tls([TlsJob("k", HOST, port, "127.0.0.1")], timeout=5, ca_file=pki.ca_pem)["k"].value
        for protocol in ("TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3"):
            ours = sorted((c.name, c.dh_bits or c.ec_bits) for c in facts.ciphers if c.protocol == protocol)
            assert ours == _reference(port, protocol), protocol
    tls12 = {c.name for c in facts.ciphers if c.protocol == "TLS 1.2"}
    assert "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" in tls12  # only the modern OpenSSL client offers it
    assert "TLS_RSA_WITH_AES_128_CBC_SHA" in tls12 and len(tls12) == 6
    assert {c.dh_bits for c in facts.ciphers if c.kex == "DHE"} == {2048}


def test_when_elimination_declines_sslyze_enumerates_suite_by_suite(pki, monkeypatch, tmp_path):
    from vendorvet.engine.collectors import tls_enum
    from vendorvet.engine.collectors.tls import TlsJob, collect_tls

    calls = []

    def declines(server_info, group):
        calls.append(group.protocol)
        return None

    monkeypatch.setattr(tls_enum, "eliminate", declines)
    ctx = _mixed_context(pki, tmp_path)
    with serve(context=ctx) as (port, _):
        facts = collect_tls([TlsJob("k", HOST, port, "127.0.0.1")], timeout=5, ca_file=pki.ca_pem)["k"].value
        reference = _reference(port, "TLS 1.2")
    assert {"TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3"} <= set(calls)
    assert sorted((c.name, c.dh_bits or c.ec_bits) for c in facts.ciphers if c.protocol == "TLS 1.2") == reference
    assert facts.errors == {}

"""DNS collector and checks against a real loopback DNS server."""

from __future__ import annotations

import pytest

from tests.engine.servers.dns import dns_server
from vendorvet.engine.collectors.dns import collect_dns, registrable_domain
from vendorvet.engine.models import parse_target
from vendorvet.engine.runner import ScanOptions, scan

DNSKEY = "257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="
GOOD = {
    ("vendor.example", "TXT"): ['"v=spf1 include:_spf.mail.example -all"'],
    ("_spf.mail.example", "TXT"): ['"v=spf1 ip4:198.51.100.0/24 -all"'],
    ("_dmarc.vendor.example", "TXT"): ['"v=DMARC1; p=reject; rua=mailto:dmarc@vendor.example"'],
    ("vendor.example", "CAA"): ['0 issue "letsencrypt.org"'],
    ("vendor.example", "DNSKEY"): [DNSKEY],
    ("api.vendor.example", "A"): ["198.51.100.20"],
}


def dns_scan(records, checks=("dns",), **kw):
    with dns_server(records, **kw) as port:
        options = ScanOptions(timeout=2, nameserver=f"127.0.0.1:{port}", checks=list(checks))
        [result] = scan([parse_target("api.vendor.example")], options)
    return {f.check_id: f for f in result.findings}, result


def test_registrable_domain():
    assert registrable_domain("api.eu.vendor.example") == "vendor.example"
    assert registrable_domain("portal.vendor.co.uk") == "vendor.co.uk"


def test_well_configured_domain():
    found, result = dns_scan(GOOD, ad=True)
    assert {k: f.status.value for k, f in found.items()} == {
        "dns.spf": "pass", "dns.dmarc": "pass", "dns.caa": "info", "dns.dnssec": "pass"}
    assert found["dns.spf"].evidence["dns_lookups"] == 1
    assert found["dns.caa"].evidence["issuers"] == ["letsencrypt.org"]
    assert found["dns.caa"].evidence["owner"] == "vendor.example"


def test_name_resolution_uses_the_nameserver_and_the_ssrf_guard():
    # 198.51.100.20 is documentation space: the guard refuses to connect (proving the lookup went to our
    # server), while the DNS checks, which only ask the name server, still run.
    found, result = dns_scan(GOOD, checks=("dns", "http.hsts"))
    assert result.addresses == ["198.51.100.20"]
    assert found["http.hsts"].status.value == "error" and "documentation" in found["http.hsts"].detail
    assert found["dns.spf"].status.value == "pass"


@pytest.mark.parametrize("changes, check_id, status", [
    ({("vendor.example", "TXT"): ['"v=spf1 mx ~all"']}, "dns.spf", "warn"),
    ({("vendor.example", "TXT"): ['"v=spf1 +all"']}, "dns.spf", "fail"),
    ({("vendor.example", "TXT"): ['"some-verification=abc"']}, "dns.spf", "fail"),
    ({("vendor.example", "TXT"): ['"v=spf1 -all"', '"v=spf1 mx -all"']}, "dns.spf", "fail"),
    ({("vendor.example", "TXT"): ['"v=spf1 ' + " ".join(f"a:h{i}.example" for i in range(11)) + ' -all"']},
     "dns.spf", "fail"),
    ({("_dmarc.vendor.example", "TXT"): ['"v=DMARC1; p=none"']}, "dns.dmarc", "warn"),
    ({("_dmarc.vendor.example", "TXT"): ['"v=DMARC1; p=quarantine; pct=20"']}, "dns.dmarc", "warn"),
    ({("_dmarc.vendor.example", "TXT"): None}, "dns.dmarc", "fail"),
    ({("vendor.example", "CAA"): None}, "dns.caa", "info"),
    ({("vendor.example", "DNSKEY"): None}, "dns.dnssec", "info"),
])
def test_each_misconfiguration(changes, check_id, status):
    records = {k: v for k, v in {**GOOD, **changes}.items() if v is not None}
    with dns_server(records) as port:
        facts = collect_dns(parse_target("api.vendor.example"), nameserver=f"127.0.0.1:{port}", timeout=2)
    from vendorvet.engine import registry
    from vendorvet.engine.facts import ScanFacts
    from vendorvet.engine.runner import evaluate

    [finding] = evaluate(ScanFacts(target=parse_target("api.vendor.example"), dns=facts),
                         [registry.all_checks()[check_id]])
    assert finding.status.value == status, finding.detail


def test_unanswered_queries_are_errors_not_missing_records():
    with dns_server(GOOD, silent={"_dmarc.vendor.example"}) as port:
        facts = collect_dns(parse_target("api.vendor.example"), nameserver=f"127.0.0.1:{port}", timeout=1)
    assert facts.ok and facts.value.dmarc is None and "dmarc" in facts.value.errors
    from vendorvet.engine import registry
    from vendorvet.engine.facts import ScanFacts
    from vendorvet.engine.runner import evaluate

    [finding] = evaluate(ScanFacts(target=parse_target("api.vendor.example"), dns=facts),
                         [registry.all_checks()["dns.dmarc"]])
    assert finding.status.value == "error" and "could not look up DMARC" in finding.detail

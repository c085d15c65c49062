"""SSRF guard: address vetting, pinned resolution, --resolve and --nameserver parsing."""

from __future__ import annotations

import pytest

from vendorvet.engine.net import (
    PolicyRefused, Resolver, parse_nameserver, parse_resolve_pins, refusal_reason,
)


@pytest.mark.parametrize("address, words", [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("172.20.0.1", "private"), ("192.168.1.1", "private"),
    ("169.254.169.254", "cloud metadata"), ("fd00:ec2::254", "cloud metadata"),
    ("100.100.100.200", "cloud metadata"), ("169.254.1.1", "link-local"), ("fe80::1", "link-local"),
    ("100.64.0.1", "carrier-grade NAT"), ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
    ("240.0.0.1", "reserved"), ("0.0.0.0", "unspecified"), ("fc00::1", "unique local"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:169.254.169.254", "cloud metadata"),
    ("::ffff:10.0.0.1", "private"), ("64:ff9b::7f00:1", "loopback"), ("2002:7f00:1::", "loopback"),
    ("198.51.100.7", "documentation"), ("2001:db8::1", "documentation"),
])
def test_internal_addresses_are_refused_with_a_reason(address, words):
    reason = refusal_reason(address)
    assert reason is not None and words in reason


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8"])
def test_public_addresses_pass(address):
    assert refusal_reason(address) is None


def test_pinned_name_is_vetted_and_refused():
    resolver = Resolver(pins={("api.vendor.test", 443): ["10.0.0.5"]})
    with pytest.raises(PolicyRefused, match="api.vendor.test → 10.0.0.5 is private"):
        resolver.vetted("api.vendor.test", 443)


def test_one_internal_address_refuses_the_whole_name():
    resolver = Resolver(pins={("mixed.test", 443): ["8.8.8.8", "127.0.0.1"]})
    with pytest.raises(PolicyRefused):
        resolver.vetted("mixed.test", 443)


def test_allow_private_and_allowed_networks_lift_the_guard():
    pins = {("api.vendor.test", 443): ["127.0.0.2"]}
    assert Resolver(allow_private=True, pins=pins).vetted("api.vendor.test", 443) == ["127.0.0.2"]
    resolver = Resolver(pins=pins, allowed_networks=("127.0.0.2/32",))
    assert resolver.vetted("api.vendor.test", 443) == ["127.0.0.2"]
    with pytest.raises(PolicyRefused):
        resolver.vetted("127.0.0.1", 443)


def test_resolution_happens_once_per_name():
    resolver = Resolver(allow_private=True)
    first = resolver.resolve("localhost", 443)
    resolver.pins[("localhost", 443)] = ["127.0.0.9"]  # a later change must not be seen: the answer is pinned
    assert resolver.resolve("localhost", 443) == first


def test_ip_literal_targets_are_vetted_too():
    with pytest.raises(PolicyRefused, match="cloud metadata"):
        Resolver().vetted("169.254.169.254", 80)


def test_parse_resolve_pins_like_curl():
    assert parse_resolve_pins(["Api.Vendor.test:8443:127.0.0.1", "v6.test:443:[::1]"]) == {
        ("api.vendor.test", 8443): ["127.0.0.1"], ("v6.test", 443): ["::1"]}
    for bad in ["nohost", "a:b:1.2.3.4", "a:443:not-an-ip", "a:70000:1.2.3.4"]:
        with pytest.raises(ValueError):
            parse_resolve_pins([bad])


def test_parse_nameserver():
    assert parse_nameserver("127.0.0.1") == ("127.0.0.1", 53)
    assert parse_nameserver("127.0.0.1:5353") == ("127.0.0.1", 5353)
    assert parse_nameserver("[::1]:5353") == ("::1", 5353)
    assert parse_nameserver("::1") == ("::1", 53)
    with pytest.raises(ValueError):
        parse_nameserver("dns.example")


def test_a_pinned_name_keeps_its_address_on_other_ports():
    resolver = Resolver(allow_private=True, pins={("api.vendor.test", 8443): ["127.0.0.3"]})
    assert resolver.vetted("api.vendor.test", 80) == ["127.0.0.3"]

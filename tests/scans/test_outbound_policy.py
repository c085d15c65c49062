"""The outbound network policy is the operator's: no tenant lifts it; loopback and cloud metadata never; a target
refused by its name or literal address sends no DNS query."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import translation

from tests.conftest import acting
from tests.engine.servers.dns import dns_server
from tests.scans.test_scan_runs import findings_of, start
from tests.web.conftest import login  # noqa: F401  (fixture)
from vendorvet.engine.models import parse_target
from vendorvet.engine.net import PolicyRefused, Resolver
from vendorvet.engine.runner import ScanOptions, scan
from vendorvet.web.config import production_report
from vendorvet.web.core import outbound

WEB = {"allow_private": False, "hard_block": True}


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A German page request leaves German active in this thread; later tests here read English messages."""
    yield
    translation.activate("en")


@pytest.mark.parametrize("address", ["127.0.0.1", "127.8.9.10", "::1", "169.254.169.254", "::ffff:169.254.169.254",
                                     "fd00:ec2::254", "100.100.100.200", "0.0.0.0"])
def test_loopback_and_metadata_stay_refused_inside_an_allowed_range(address):
    everything = ("127.0.0.0/8", "::1/128", "169.254.0.0/16", "fd00::/8", "100.64.0.0/10", "0.0.0.0/8", "::/96")
    resolver = Resolver(allowed_networks=everything, **WEB)
    with pytest.raises(PolicyRefused) as caught:
        resolver.vetted(address, 443)
    assert caught.value.before_resolution and "only the operator" in str(caught.value)
    # the CLI's --allow-private (no hard block) still reaches them deliberately
    assert Resolver(allow_private=True).vetted(address, 443)


def test_operator_ranges_open_exactly_those_ranges():
    resolver = Resolver(allowed_networks=("10.20.0.0/16",), **WEB)
    assert resolver.vetted("10.20.3.4", 443) == ["10.20.3.4"]
    with pytest.raises(PolicyRefused, match="private"):
        resolver.vetted("10.21.0.1", 443)
    assert Resolver(**WEB, loopback_for_tests=True).vetted("127.0.0.1", 443) == ["127.0.0.1"]
    with pytest.raises(PolicyRefused, match="metadata"):  # the test override lifts loopback only
        Resolver(**WEB, loopback_for_tests=True).vetted("169.254.169.254", 80)


REFUSED_BY_NAME = ["localhost", "app.localhost", "metadata.google.internal", "metadata", "instance-data",
                   "db.corp.internal", "169.254.169.254", "127.0.0.1", "[::1]"]


@override_settings(VENDORVET_SCAN_ALLOW_NETWORKS=[])
def test_refused_targets_send_no_dns_query():
    queries: list = []
    records = {("public.vendor.example", "A"): ["10.1.2.3"]}
    with dns_server(records, log=queries) as port:
        from vendorvet.web.scans.services import scan_options_from_settings

        with override_settings(VENDORVET_SCAN_OPTIONS={"nameserver": f"127.0.0.1:{port}", "timeout": 2}):
            options = scan_options_from_settings()
        assert options.hard_block and not options.allow_private
        results = scan([parse_target(t) for t in REFUSED_BY_NAME], options)
        assert queries == []  # not one question for any of them (DNS checks included)
        for result in results:  # every connecting check refused (DNS checks of an IP address: not applicable)
            connecting = [f for f in result.findings if not f.check_id.startswith("dns.")]
            assert connecting and {f.evidence.get("reason") for f in connecting} == {"refused_by_policy"}
        # the counting server does count: a name that must be resolved to be judged is asked for
        [resolved] = scan([parse_target("public.vendor.example")], options)
    assert ("public.vendor.example", "A") in queries
    assert any("10.1.2.3" in f.detail and f.evidence.get("reason") == "refused_by_policy" for f in resolved.findings)


def test_cli_scan_keeps_allow_private():
    options = ScanOptions(allow_private=True, checks=["http.hsts"], timeout=1)
    [result] = scan([parse_target("127.0.0.1:9")], options)
    assert all(f.evidence.get("reason") != "refused_by_policy" for f in result.findings)


@pytest.mark.django_db
def test_a_web_scan_of_the_metadata_address_is_refused_whatever_the_operator_allows(
        tenant_a, assessor_a, scan_settings, settings, make_integration):
    from vendorvet.web.inventory.models import Endpoint

    settings.VENDORVET_SCAN_ALLOW_NETWORKS = ["169.254.0.0/16"]
    settings.VENDORVET_SCAN_ALLOW_LOOPBACK_FOR_TESTS = True
    integration = make_integration(tenant_a, name="Cloud", kind="api")
    with acting(tenant_a):
        Endpoint.objects.create(integration=integration, url="https://169.254.169.254/latest/meta-data/")
    run = start(tenant_a, assessor_a, integration)
    found = {k: f for k, f in findings_of(run).items() if not k.startswith("dns.")}
    assert found and all(f.evidence.get("reason") == "refused_by_policy" for f in found.values())
    assert any("cloud metadata service" in f.detail for f in found.values())


@pytest.mark.django_db
@pytest.mark.parametrize("url, override", [("https://169.254.169.254/hook", True), ("https://127.0.0.1:8443/x", False),
                                           ("https://localhost:8443/x", False),
                                           ("https://metadata.google.internal/x", True)])
def test_webhooks_to_loopback_or_metadata_are_refused(login, admin_a, settings, url, override):
    settings.VENDORVET_SCAN_ALLOW_NETWORKS = ["169.254.0.0/16", "127.0.0.0/8"]
    settings.VENDORVET_SCAN_ALLOW_LOOPBACK_FOR_TESTS = override
    refused = login(admin_a).post("/monitoring/rules/new/", {
        "name": "Hook", "enabled": "on", "channel": "webhook", "min_severity": "high", "url": url, "secret": "abc"})
    assert refused.status_code == 400 and "SSRF guard" in refused.content.decode()


def test_operator_setting_is_validated_and_the_test_override_blocks_production():
    def problems(env):
        return [(p.setting, p.level, p.message) for p in production_report(env).problems
                if p.setting.startswith("VENDORVET_SCAN_ALLOW")]

    assert problems({"VENDORVET_SCAN_ALLOW_NETWORKS": "10.20.0.0/16, fd12:3456::/48"}) == []
    [(setting, level, message)] = problems({"VENDORVET_SCAN_ALLOW_NETWORKS": "10.20.0.0/16,intranet"})
    assert level == "error" and "'intranet' is not a network" in message
    assert problems({"VENDORVET_SCAN_ALLOW_NETWORKS": "0.0.0.0/0"})[0][1] == "error"
    assert problems({"VENDORVET_SCAN_ALLOW_NETWORKS": "127.0.0.0/8"})[0][1] == "warning"
    [(setting, level, _)] = problems({"VENDORVET_SCAN_ALLOW_LOOPBACK_FOR_TESTS": "1"})
    assert setting == "VENDORVET_SCAN_ALLOW_LOOPBACK_FOR_TESTS" and level == "error"
    assert not production_report({"VENDORVET_SCAN_ALLOW_LOOPBACK_FOR_TESTS": "1"}).ok


def test_check_config_knows_the_engine_s_always_blocked_ranges():
    from vendorvet.engine.net import ALWAYS_BLOCKED
    from vendorvet.web.config import ALWAYS_BLOCKED_NETWORKS

    assert set(ALWAYS_BLOCKED_NETWORKS) == {net for net, _label in ALWAYS_BLOCKED}


def test_invalid_operator_entries_fail_closed(settings):
    settings.VENDORVET_SCAN_ALLOW_NETWORKS = ["10.0.0.0/8", "nonsense"]
    assert outbound.allowed_networks() == ("10.0.0.0/8",)


@pytest.mark.django_db
def test_settings_page_names_the_operator_in_german_and_lists_the_ranges(login, admin_a, settings):
    settings.VENDORVET_SCAN_ALLOW_NETWORKS = ["10.20.0.0/16"]
    page = login(admin_a, HTTP_ACCEPT_LANGUAGE="de").get("/scans/settings/").content.decode()
    assert "legt der Betreiber dieser Installation fest" in page and "10.20.0.0/16" in page
    assert "Cloud-Metadatendienste sind nie erreichbar" in page and "VENDORVET_" not in page

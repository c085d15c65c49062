"""The operator's outbound network policy for every connection the web application makes.

Web-initiated scans, scheduled re-scans and alert deliveries (webhooks, Slack, Teams) go through the engine's
SSRF guard with this policy: public addresses only, plus the internal ranges the *operator* lists in
``VENDORVET_SCAN_ALLOW_NETWORKS`` (environment, checked by ``vendorvet check-config``). Loopback and cloud
metadata addresses stay refused even inside such a range. No tenant setting can lift any of this; only the
command line's ``vendorvet scan --allow-private`` scans internal systems at will.

``VENDORVET_SCAN_ALLOW_LOOPBACK_FOR_TESTS`` lifts loopback (not metadata) for the test suite's loopback
servers. It is a Django setting only the test settings set; ``check-config`` refuses it in production.
"""

from __future__ import annotations

from django.conf import settings

TEST_OVERRIDE = "VENDORVET_SCAN_ALLOW_LOOPBACK_FOR_TESTS"


def valid_networks(entries) -> tuple[str, ...]:
    """The entries that are networks in CIDR notation, normalised; any other entry is left out (fails closed —
    ``check-config`` names it)."""
    from vendorvet.engine.net import parse_allowed_networks

    networks = []
    for entry in entries or ():
        try:
            networks.extend(parse_allowed_networks([entry]))
        except ValueError:
            continue
    return tuple(networks)


def allowed_networks() -> tuple[str, ...]:
    """The operator's allowed internal ranges for scans and alert deliveries."""
    return valid_networks(getattr(settings, "VENDORVET_SCAN_ALLOW_NETWORKS", ()))


def loopback_for_tests() -> bool:
    return bool(getattr(settings, TEST_OVERRIDE, False))


def internal_reachable() -> bool:
    """Some internal address may be reached under this policy (an allowed range, or the test override)."""
    return bool(allowed_networks()) or loopback_for_tests()


def resolver_options() -> dict:
    """Keyword arguments for :class:`vendorvet.engine.net.Resolver` (and ``ScanOptions``) under this policy."""
    return {"allow_private": False, "allowed_networks": allowed_networks(), "hard_block": True,
            "loopback_for_tests": loopback_for_tests()}

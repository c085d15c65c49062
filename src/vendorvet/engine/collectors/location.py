"""Location facts: the country each resolved address is registered to, from offline data.

The data is the ``iptocc`` package: the delegation statistics of the five Regional Internet
Registries (AFRINIC, APNIC, ARIN, LACNIC, RIPE NCC), embedded in the wheel — no web service
is asked and the target is never contacted. A country here is the one the registry *assigned*
the address block to, which is not always where the machine stands (anycast and CDN edges);
the check says so in its detail.
"""

from __future__ import annotations

import ipaddress
from importlib import metadata
from typing import Iterable

from vendorvet.engine.facts import AddressLocation, LocationFacts
from vendorvet.engine.models import Attempt
from vendorvet.engine.net import refusal_reason

DATA_PACKAGE = "iptocc"


def data_source() -> str:
    try:
        version = metadata.version(DATA_PACKAGE)
    except metadata.PackageNotFoundError:
        return "unavailable"
    return f"RIR delegation data via {DATA_PACKAGE} {version}"


def lookup(addresses: list[str]) -> list[str | None]:
    """Country codes (ISO 3166-1 alpha-2, upper case) for public addresses; ``None`` when unknown."""
    from iptocc import country_code

    codes = country_code(addresses) if addresses else []
    return [c.upper() if isinstance(c, str) and len(c) == 2 and c.isalpha() else None for c in codes]


def collect_location(addresses: Iterable[str]) -> Attempt[LocationFacts]:
    addresses = list(dict.fromkeys(addresses))
    if not addresses:
        return Attempt.failure("dns", "no address was resolved, so there is nothing to locate")
    try:
        import iptocc  # noqa: F401
    except ImportError:
        return Attempt.failure("not_installed", f"the offline IP-to-country data ({DATA_PACKAGE}) is not installed")
    public, located = [], []
    for address in addresses:
        try:
            normalized = str(ipaddress.ip_address(address.split("%", 1)[0]))
        except ValueError:
            located.append(AddressLocation(address, None, public=False, note="not an IP address"))
            continue
        reason = refusal_reason(normalized)
        if reason:
            located.append(AddressLocation(normalized, None, public=False, note=reason))
        else:
            public.append(normalized)
            located.append(AddressLocation(normalized, None))
    try:
        codes = dict(zip(public, lookup(public)))
    except Exception as exc:  # a broken data package must not end the scan
        return Attempt.failure("bug", f"IP-to-country lookup failed: {type(exc).__name__}: {exc}")
    final = tuple(
        AddressLocation(loc.address, codes.get(loc.address), public=True) if loc.public else loc
        for loc in located
    )
    return Attempt.success(LocationFacts(addresses=final, source=data_source()))

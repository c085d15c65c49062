"""Network safety: address vetting (SSRF guard), pinned resolution, deadlines.

Every connection the engine makes goes to an address that :class:`Resolver` resolved
once and :func:`refusal_reason` vetted. The HTTP collector connects through
:class:`PinnedBackend`, so redirects to other hosts are resolved and vetted the same
way, and the name is never looked up a second time (no DNS rebinding between the
check and the connection).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Iterable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Named ranges, most specific first, so the refusal says *why* in words a reader knows.
_NAMED_RANGES: list[tuple[str, str]] = [
    ("169.254.169.254/32", "cloud metadata service"),
    ("fd00:ec2::254/128", "cloud metadata service (AWS IPv6)"),
    ("100.100.100.200/32", "cloud metadata service (Alibaba)"),
    ("127.0.0.0/8", "loopback"),
    ("::1/128", "loopback"),
    ("0.0.0.0/8", "'this network' (unspecified)"),
    ("::/128", "unspecified"),
    ("10.0.0.0/8", "private (RFC 1918)"),
    ("172.16.0.0/12", "private (RFC 1918)"),
    ("192.168.0.0/16", "private (RFC 1918)"),
    ("100.64.0.0/10", "carrier-grade NAT (RFC 6598)"),
    ("169.254.0.0/16", "link-local"),
    ("fe80::/10", "link-local"),
    ("fc00::/7", "unique local (private IPv6)"),
    ("224.0.0.0/4", "multicast"),
    ("ff00::/8", "multicast"),
    ("192.0.0.0/24", "IETF protocol assignments"),
    ("192.0.2.0/24", "documentation (TEST-NET-1)"),
    ("198.51.100.0/24", "documentation (TEST-NET-2)"),
    ("203.0.113.0/24", "documentation (TEST-NET-3)"),
    ("2001:db8::/32", "documentation"),
    ("198.18.0.0/15", "benchmarking"),
    ("240.0.0.0/4", "reserved"),
    ("255.255.255.255/32", "broadcast"),
]
_NETWORKS = [(ipaddress.ip_network(net), label) for net, label in _NAMED_RANGES]

# Blocked for every connection the web application makes (scans, re-scans, webhooks), even inside a range the
# operator allowed: the machine itself and the cloud metadata services (credentials live there).
ALWAYS_BLOCKED: list[tuple[str, str]] = [
    ("169.254.169.254/32", "cloud metadata service"),
    ("fd00:ec2::254/128", "cloud metadata service (AWS IPv6)"),
    ("100.100.100.200/32", "cloud metadata service (Alibaba)"),
    ("127.0.0.0/8", "loopback"),
    ("::1/128", "loopback"),
    ("0.0.0.0/32", "'this host' (reaches loopback)"),
    ("::/128", "unspecified (reaches loopback)"),
]
_ALWAYS_BLOCKED = [(ipaddress.ip_network(net), label) for net, label in ALWAYS_BLOCKED]
LOOPBACK_LABELS = ("loopback", "'this host' (reaches loopback)", "unspecified (reaches loopback)")
# Names refused before any DNS query: they can only mean the machine itself or a cloud-internal service.
METADATA_NAMES = ("metadata", "metadata.google.internal", "instance-data", "instance-data.ec2.internal",
                  "metadata.azure.internal", "metadata.tencentyun.com")
LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
INTERNAL_SUFFIXES = (".internal", ".localhost", ".local", ".home.arpa", ".intranet", ".lan", ".corp")


class PolicyRefused(OSError):
    """A connection the SSRF guard refused. Never retried, never silently skipped.

    ``before_resolution``: refused by its name or literal address alone — no DNS query was sent for it.
    """

    def __init__(self, message: str, before_resolution: bool = False):
        super().__init__(message)
        self.before_resolution = before_resolution


def name_refusal(host: str) -> tuple[str, str] | None:
    """Why a host *name* is refused without asking DNS: ``(reason, kind)`` with kind ``loopback``,
    ``metadata`` or ``internal``; ``None`` for a name that may be public."""
    name = host.lower().rstrip(".")
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return f"{name} is the machine itself (loopback)", "loopback"
    if name in METADATA_NAMES:
        return f"{name} is a cloud metadata service", "metadata"
    if name.endswith(INTERNAL_SUFFIXES) or "." not in name:
        return f"{name} is an internal name (not a public DNS name)", "internal"
    return None


def always_blocked_reason(address: str | IPAddress) -> tuple[str, bool] | None:
    """``(reason, is_loopback)`` if the web application may never connect to this address, else ``None``."""
    try:
        addr = ipaddress.ip_address(str(address).split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address):
        inner = _embedded_ipv4(addr)
        if inner is not None and always_blocked_reason(inner):
            reason, loop = always_blocked_reason(inner)
            return f"IPv6 address embedding {inner}: {reason}", loop
    for network, label in _ALWAYS_BLOCKED:
        if addr.version == network.version and addr in network:
            return f"{addr} is {label}", label in LOOPBACK_LABELS
    return None


def _embedded_ipv4(addr: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if addr.ipv4_mapped:
        return addr.ipv4_mapped
    if addr in ipaddress.ip_network("64:ff9b::/96"):  # NAT64
        return ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
    if addr.sixtofour:
        return addr.sixtofour
    if addr.teredo:
        return addr.teredo[1]
    compat = int(addr)
    if compat >> 32 == 0 and compat > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(compat)
    return None


def refusal_reason(address: str | IPAddress) -> str | None:
    """Why this address must not be scanned by default, or ``None`` if it is a public address."""
    try:
        addr = ipaddress.ip_address(str(address).split("%", 1)[0])
    except ValueError:
        return f"{address!r} is not an IP address"
    if isinstance(addr, ipaddress.IPv6Address):
        inner = _embedded_ipv4(addr)
        if inner is not None:
            inner_reason = refusal_reason(inner)
            if inner_reason:
                return f"IPv6 address embedding {inner}: {inner_reason}"
    for network, label in _NETWORKS:
        if addr.version == network.version and addr in network:
            return f"{addr} is {label}"
    if not addr.is_global:
        return f"{addr} is not a public address (reserved range)"
    return None


@dataclass
class Resolver:
    """Resolves a name once, applies ``--resolve`` pins and the SSRF policy.

    ``pins`` maps ``(host, port)`` to addresses, like curl's ``--resolve``; ``nameserver``
    (``ADDRESS`` or ``ADDRESS:PORT``) sends lookups to that server through dnspython
    instead of the system resolver. Results are cached, so every connection to a
    name in one scan uses the address that was vetted.
    """

    allow_private: bool = False
    allowed_networks: tuple = ()  # ranges lifted deliberately (the operator's setting), not all private ones
    # the web application's policy: loopback and metadata stay refused even inside allowed_networks or with
    # allow_private; ``loopback_for_tests`` lifts loopback only (a test-only operator override)
    hard_block: bool = False
    loopback_for_tests: bool = False
    pins: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    nameserver: str | None = None
    timeout: float = 5.0
    _cache: dict[tuple[str, int], list[str]] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def resolve(self, host: str, port: int) -> list[str]:
        """All addresses for ``host`` (pins first: the exact HOST:PORT, else any pin of HOST).

        Raises ``OSError`` when the name does not resolve.
        """
        name = host.lower().rstrip(".")
        key = (name, port)
        with self._lock:
            if key in self._cache:
                return list(self._cache[key])
            # A name resolves once per scan: other ports of the same host reuse the first answer.
            same_host = next((v for (h, _), v in self._cache.items() if h == name), None)
        pinned = self.pins.get(key) or next((v for (h, _), v in self.pins.items() if h == name), None)
        if pinned:
            addresses = list(pinned)
        elif same_host is not None:
            addresses = list(same_host)
        else:
            try:
                addresses = [str(ipaddress.ip_address(name))]
            except ValueError:
                addresses = self._lookup(name, port)
        with self._lock:
            self._cache[key] = addresses
        return list(addresses)

    def vetted(self, host: str, port: int) -> list[str]:
        """Addresses that may be connected to; raises :class:`PolicyRefused` if any is refused.

        One refused address refuses the whole name: a name that points at both a public
        and an internal address is exactly what a rebinding attack looks like.
        """
        self.refuse_early(host, port)
        addresses = self.resolve(host, port)
        for address in addresses:
            self._refuse_address(host, address)
        return addresses

    def _pinned(self, host: str, port: int) -> bool:
        name = host.lower().rstrip(".")
        return (name, port) in self.pins or any(h == name for h, _ in self.pins)

    def refuse_early(self, host: str, port: int = 443) -> None:
        """Refuse by the name or literal address alone, before any DNS query (``PolicyRefused`` with
        ``before_resolution``). Pinned names (``--resolve``) are judged by their pinned addresses."""
        if self._pinned(host, port):
            return
        name = host.lower().rstrip(".").strip("[]")
        try:
            ipaddress.ip_address(name.split("%", 1)[0])
        except ValueError:
            pass
        else:
            self._refuse_address(host, name, before_resolution=True)
            return
        refused = name_refusal(name)
        if refused is None:
            return
        reason, kind = refused
        if kind == "metadata":
            refuse = self.hard_block or not self.allow_private
        elif kind == "loopback":
            refuse = not self.loopback_for_tests if self.hard_block else not self.allow_private
        else:  # an internal name may lead into a range the operator allowed: judged by its addresses then
            refuse = not self.allow_private and not self.allowed_networks
        if refuse:
            raise PolicyRefused(self._message(host, reason), before_resolution=True)

    def _refuse_address(self, host: str, address: str, before_resolution: bool = False) -> None:
        if self.hard_block:
            blocked = always_blocked_reason(address)
            if blocked is not None and not (blocked[1] and self.loopback_for_tests):
                raise PolicyRefused(self._message(host, blocked[0]), before_resolution=before_resolution)
            if blocked is not None:
                return  # loopback, lifted for tests
        if not self.allow_private:
            reason = refusal_reason(address)
            if reason and not self._explicitly_allowed(address):
                raise PolicyRefused(self._message(host, reason), before_resolution=before_resolution)

    def _message(self, host: str, reason: str) -> str:
        if self.hard_block:
            return (f"refused by the SSRF guard: {host} → {reason}; only the operator can allow internal "
                    "address ranges (loopback and cloud metadata services never)")
        return (f"refused by the SSRF guard: {host} → {reason}; "
                "use --allow-private to scan internal systems deliberately")

    def _explicitly_allowed(self, address: str) -> bool:
        addr = ipaddress.ip_address(address)
        return any(addr.version == net.version and addr in net
                   for net in (ipaddress.ip_network(n) for n in self.allowed_networks))

    def _lookup(self, host: str, port: int) -> list[str]:
        if self.nameserver:
            return self._lookup_dnspython(host)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise OSError(f"{host} does not resolve: {exc.strerror or exc}") from None
        seen: list[str] = []
        for *_, sockaddr in infos:
            if sockaddr[0] not in seen:
                seen.append(sockaddr[0])
        return seen

    def _lookup_dnspython(self, host: str) -> list[str]:
        import dns.exception
        import dns.resolver

        resolver = make_dns_resolver(self.nameserver, self.timeout)
        found: list[str] = []
        for rdtype in ("A", "AAAA"):
            try:
                answer = resolver.resolve(host, rdtype)
            except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
                continue
            except dns.exception.DNSException as exc:
                raise OSError(f"{host}: DNS lookup of {rdtype} failed: {exc}") from None
            found.extend(r.address for r in answer)
        if not found:
            raise OSError(f"{host} does not resolve (no A or AAAA record)")
        return found


def parse_nameserver(text: str) -> tuple[str, int]:
    """``ADDRESS`` or ``ADDRESS:PORT`` or ``[V6]:PORT`` → (address, port)."""
    text = text.strip()
    if text.startswith("["):
        address, _, rest = text[1:].partition("]")
        port = int(rest[1:]) if rest.startswith(":") else 53
    elif text.count(":") == 1:
        address, port_text = text.split(":")
        port = int(port_text)
    else:
        address, port = text, 53
    ipaddress.ip_address(address)
    if not 0 < port < 65536:
        raise ValueError(f"port {port} out of range")
    return address, port


def make_dns_resolver(nameserver: str | None, timeout: float):
    import dns.resolver

    if nameserver:
        address, port = parse_nameserver(nameserver)
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [address]
        resolver.port = port
    else:
        resolver = dns.resolver.Resolver()
    resolver.timeout = timeout
    resolver.lifetime = timeout
    return resolver


def parse_resolve_pins(entries: Iterable[str]) -> dict[tuple[str, int], list[str]]:
    """curl-style ``HOST:PORT:ADDRESS[,ADDRESS…]`` (IPv6 addresses may be in brackets)."""
    pins: dict[tuple[str, int], list[str]] = {}
    for entry in entries:
        host, sep1, rest = entry.partition(":")
        port_text, sep2, addresses = rest.partition(":")
        if not (sep1 and sep2 and host and port_text.isdigit() and addresses):
            raise ValueError(f"{entry!r}: expected HOST:PORT:ADDRESS")
        port = int(port_text)
        if not 0 < port < 65536:
            raise ValueError(f"{entry!r}: port out of range")
        parsed = []
        for address in addresses.split(","):
            address = address.strip().strip("[]")
            try:
                parsed.append(str(ipaddress.ip_address(address)))
            except ValueError:
                raise ValueError(f"{entry!r}: {address!r} is not an IP address") from None
        pins.setdefault((host.lower().rstrip("."), port), []).extend(parsed)
    return pins


class DeadlineExceeded(Exception):
    """A piece of work ran past its :class:`Deadline` (raised by the TLS scheduler, seen by its jobs)."""


class Deadline:
    """An absolute point in time; ``remaining()`` never goes below zero."""

    def __init__(self, seconds: float):
        self.expires = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(0.0, self.expires - time.monotonic())

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0


def connect_vetted(resolver: Resolver, host: str, port: int, timeout: float) -> socket.socket:
    """Open a TCP connection to the first vetted address of ``host`` that answers."""
    last: OSError | None = None
    for address in resolver.vetted(host, port):
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect((address, port))
            return sock
        except OSError as exc:
            sock.close()
            last = exc
    raise last or OSError(f"no address for {host}")


def parse_allowed_networks(text: str | Iterable[str]) -> list[str]:
    """The operator's allowed internal ranges (``10.20.0.0/16, fd12::/48``) as normalised CIDRs.

    Raises ``ValueError`` naming the entry that is no network. Loopback and cloud metadata addresses inside a
    range stay blocked for the web application anyway (see :data:`ALWAYS_BLOCKED`).
    """
    items = text.split(",") if isinstance(text, str) else list(text)
    networks = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ValueError(f"{item!r} is not a network in CIDR notation (e.g. 10.20.0.0/16)") from None
    return networks


def overlaps_always_blocked(network: str) -> list[str]:
    """The always-blocked ranges an allowed network contains or touches (they stay blocked)."""
    net = ipaddress.ip_network(network, strict=False)
    return [label for blocked, label in _ALWAYS_BLOCKED if blocked.version == net.version and net.overlaps(blocked)]

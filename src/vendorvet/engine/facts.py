"""Typed facts that collectors gather and checks judge (Prowler's "collect once, judge many").

Checks only ever see these plain objects — never a socket, an sslyze result or an
httpx response — so every check can be tested with hand-built facts, including facts
of a vulnerable server that no current OpenSSL can reproduce. ``None`` in a fact means
"could not be determined"; the reason is in the matching ``errors`` entry, and a check
that depends on it reports ``error`` instead of guessing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping

from vendorvet.engine.models import Attempt, Target

PROTOCOLS = ("SSL 2.0", "SSL 3.0", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3")
LEGACY_PROTOCOLS = ("SSL 2.0", "SSL 3.0", "TLS 1.0", "TLS 1.1")


@dataclass(frozen=True)
class CipherFacts:
    protocol: str
    name: str  # IANA/RFC name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    key_size: int  # symmetric key bits
    anonymous: bool = False
    kex: str = ""  # RSA, DHE, ECDHE, TLS13 (ephemeral by design), PSK, …
    dh_bits: int | None = None  # negotiated finite-field DH group size
    ec_bits: int | None = None  # negotiated curve size
    curve: str = ""

    @property
    def forward_secret(self) -> bool:
        return self.kex in ("DHE", "ECDHE", "TLS13")


@dataclass(frozen=True)
class CertFacts:
    subject: str
    issuer: str
    not_before: dt.datetime
    not_after: dt.datetime
    serial: str
    sha256: str
    san_dns: tuple[str, ...] = ()
    san_ip: tuple[str, ...] = ()
    common_names: tuple[str, ...] = ()
    signature_hash: str = ""  # sha256, sha1, md5, … ('' for EdDSA and unknown)
    key_type: str = ""  # RSA, EC, Ed25519, Ed448, DSA
    key_bits: int = 0
    rsa_exponent: int | None = None
    self_signed: bool = False
    is_ca: bool = False


@dataclass(frozen=True)
class TlsFacts:
    host: str
    port: int
    address: str
    checked_at: dt.datetime
    protocols: Mapping[str, bool | None] = field(default_factory=dict)
    ciphers: tuple[CipherFacts, ...] = ()
    chain: tuple[CertFacts, ...] = ()  # as sent; [0] is the leaf
    trusted: bool | None = None
    trust_error: str = ""
    trust_stores: tuple[str, ...] = ()
    chain_in_order: bool | None = None
    hostname_matches: bool | None = None
    heartbleed: bool | None = None
    robot: str | None = None  # sslyze RobotScanResultEnum value
    ccs_injection: bool | None = None
    secure_renegotiation: bool | None = None
    client_renegotiation_dos: bool | None = None
    compression: bool | None = None
    fallback_scsv: bool | None = None
    errors: Mapping[str, str] = field(default_factory=dict)

    @property
    def leaf(self) -> CertFacts | None:
        return self.chain[0] if self.chain else None

    def offered(self) -> list[str]:
        return [p for p in PROTOCOLS if self.protocols.get(p)]

    def unknown_protocols(self) -> list[str]:
        return [p for p in PROTOCOLS if self.protocols.get(p) is None]


@dataclass(frozen=True)
class HttpExchange:
    """One request and its (capped) response."""

    method: str
    url: str
    status: int
    headers: tuple[tuple[str, str], ...]  # lower-case names, in order, repeats kept
    body: bytes = b""
    body_truncated: bool = False
    request_headers: tuple[tuple[str, str], ...] = ()

    def header(self, name: str) -> str | None:
        values = self.header_all(name)
        return ", ".join(values) if values else None

    def header_all(self, name: str) -> list[str]:
        name = name.lower()
        return [v for k, v in self.headers if k == name]


@dataclass(frozen=True)
class Fetch:
    """A fetch that may have followed redirects; ``hops`` holds every exchange in order."""

    start_url: str
    hops: tuple[HttpExchange, ...] = ()
    error: str = ""
    error_reason: str = ""  # refused_by_policy, timeout, connectivity, tls, protocol, too_many_redirects

    @property
    def final(self) -> HttpExchange | None:
        return self.hops[-1] if self.hops else None

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.hops)


@dataclass(frozen=True)
class HttpFacts:
    base_url: str
    main: Fetch
    plain: Fetch | None = None  # http:// on the plain port; None when not attempted
    cors_probe: Fetch | None = None
    security_txt: Fetch | None = None
    probe_origin: str = ""
    tls_verified: bool = True
    tls_verify_error: str = ""
    checked_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))

    def all_exchanges(self) -> list[HttpExchange]:
        out: list[HttpExchange] = []
        for fetch in (self.main, self.plain, self.cors_probe, self.security_txt):
            if fetch is not None:
                out.extend(fetch.hops)
        return out


@dataclass(frozen=True)
class DnsFacts:
    name: str
    domain: str  # the registrable domain the e-mail/DNS checks look at
    spf: tuple[str, ...] | None = None
    spf_lookups: int | None = None
    dmarc: tuple[str, ...] | None = None
    caa: tuple[str, ...] | None = None
    caa_owner: str = ""
    dnskey: bool | None = None
    ds: bool | None = None
    authenticated: bool | None = None  # AD flag from a validating resolver
    errors: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AddressLocation:
    """Where one resolved address is registered. ``country`` is ``None`` when the data has no entry."""

    address: str
    country: str | None
    public: bool = True  # False: loopback/private/reserved — such an address has no country
    note: str = ""


@dataclass(frozen=True)
class LocationFacts:
    addresses: tuple[AddressLocation, ...]
    source: str  # the offline data set and its version, for the evidence


@dataclass(frozen=True)
class ScanFacts:
    """Everything collected for one target. Each attempt is ``None`` when the collector was not run."""

    target: Target
    addresses: tuple[str, ...] = ()
    tls: Attempt[TlsFacts] | None = None
    http: Attempt[HttpFacts] | None = None
    dns: Attempt[DnsFacts] | None = None
    location: Attempt[LocationFacts] | None = None
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))

"""Cipher-suite enumeration by elimination: N + 1 handshakes for N accepted suites, not one per suite.

sslyze tests every suite it knows with its own handshake (158 for TLS 1.2, 121 for each of
SSL 3.0, TLS 1.0 and 1.1). Here the client offers every suite of a version at once; the
server picks one, which is recorded (with the ephemeral key it negotiated) and removed from
the offer, until the server rejects what is left — the method testssl.sh uses. Suites are
offered through the same nassl client sslyze would use for them (the legacy OpenSSL for
everything it supports, the modern one for the rest, TLS 1.3 always modern), so the set of
suites that can be found is the same.

Anything unexpected — the server picks a suite that was not offered, a handshake fails in a
way that is not a plain rejection, or no suite is found for the very version the server
negotiated in the connectivity test — returns ``None``, and the caller falls back to
sslyze's suite-by-suite enumeration for that version. The shortcut can make a scan faster,
never less complete.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

VERSION_NAMES = {"SSL 2.0": "SSL_2_0", "SSL 3.0": "SSL_3_0", "TLS 1.0": "TLS_1_0", "TLS 1.1": "TLS_1_1",
                 "TLS 1.2": "TLS_1_2", "TLS 1.3": "TLS_1_3"}
ELIMINATION_PROTOCOLS = ("SSL 3.0", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3")  # SSL 2.0: 7 suites, kept as is


@dataclass
class EnumeratedSuites:
    """Quacks like sslyze's ``CipherSuitesScanResult`` where the TLS collector reads it."""

    accepted_cipher_suites: list = field(default_factory=list)
    handshakes: int = 0


@dataclass(frozen=True)
class SuiteGroup:
    protocol: str
    legacy_client: bool
    names: tuple[str, ...]  # OpenSSL names, offered together


@lru_cache(maxsize=8)
def _client_cipher_names(version_name: str, legacy: bool) -> frozenset[str]:
    from nassl.legacy_ssl_client import LegacySslClient
    from nassl.ssl_client import OpenSslVerifyEnum, OpenSslVersionEnum, SslClient

    from sslyze.server_connectivity import TlsVersionEnum

    version = OpenSslVersionEnum(TlsVersionEnum[version_name].value)
    client = (LegacySslClient if legacy else SslClient)(ssl_version=version, ssl_verify=OpenSslVerifyEnum.NONE)
    client.set_cipher_list("ALL:COMPLEMENTOFALL")
    return frozenset(client.get_cipher_list())


def suite_groups(protocol: str) -> list[SuiteGroup]:
    """The offers to make for ``protocol``: one per nassl client that must carry them."""
    from sslyze.plugins.openssl_cipher_suites.cipher_suites import CipherSuitesRepository
    from sslyze.server_connectivity import TlsVersionEnum

    version_name = VERSION_NAMES[protocol]
    names = sorted({s.openssl_name for s in CipherSuitesRepository.get_all_cipher_suites(TlsVersionEnum[version_name])})
    if protocol == "TLS 1.3":
        return [SuiteGroup(protocol, False, tuple(names))]
    legacy_names = _client_cipher_names(version_name, True)
    legacy = tuple(n for n in names if n in legacy_names)
    groups = [SuiteGroup(protocol, True, legacy)] if legacy else []
    if protocol == "TLS 1.2":  # sslyze's own split (WorkaroundForTls12ForCipherSuites): legacy client first
        modern_names = _client_cipher_names(version_name, False)
        modern = tuple(n for n in names if n not in legacy_names and n in modern_names)
        if modern:
            groups.append(SuiteGroup(protocol, False, modern))
    return groups


def eliminate(server_info, group: SuiteGroup) -> EnumeratedSuites | None:
    """Offer ``group``'s suites, record the server's pick, remove it, repeat. ``None``: fall back."""
    from nassl.ssl_client import ClientCertificateRequested
    from sslyze.errors import ServerRejectedTlsHandshake, TlsHandshakeTimedOut
    from sslyze.plugins.openssl_cipher_suites._test_cipher_suite import CipherSuiteAcceptedByServer
    from sslyze.plugins.openssl_cipher_suites.cipher_suites import CipherSuitesRepository
    from sslyze.server_connectivity import TlsVersionEnum

    from vendorvet.engine.net import DeadlineExceeded

    version = TlsVersionEnum[VERSION_NAMES[group.protocol]]
    by_name = {s.openssl_name: s for s in CipherSuitesRepository.get_all_cipher_suites(version)}
    remaining = list(group.names)
    found = EnumeratedSuites()
    while remaining:
        connection = server_info.get_preconfigured_tls_connection(override_tls_version=version,
                                                                  should_use_legacy_openssl=group.legacy_client)
        found.handshakes += 1
        try:
            if group.protocol == "TLS 1.3":
                connection.ssl_client.set_ciphersuites(":".join(remaining))
            else:
                connection.ssl_client.set_cipher_list(":".join(remaining))
            connection.connect()
            chosen = connection.ssl_client.get_current_cipher_name()
            key = connection.ssl_client.get_ephemeral_key()
        except (ServerRejectedTlsHandshake, TlsHandshakeTimedOut):
            break  # none of the remaining suites is accepted (sslyze reads a single suite's failure the same way)
        except DeadlineExceeded:
            raise
        except (ClientCertificateRequested, Exception):  # not a plain yes/no: let sslyze test suite by suite
            return None
        finally:
            connection.close()
        if chosen not in remaining or chosen not in by_name:
            return None
        remaining.remove(chosen)
        found.accepted_cipher_suites.append(CipherSuiteAcceptedByServer(cipher_suite=by_name[chosen],
                                                                       ephemeral_key=key))
    return found


def combine(protocol: str, parts: list[EnumeratedSuites | None],
            negotiated_version_name: str) -> EnumeratedSuites | None:
    """One result per protocol from its groups; ``None`` if any group needs the fallback, or if nothing
    was found for the version the server itself negotiated in the connectivity test (cannot be right)."""
    if any(part is None for part in parts):
        return None
    combined = EnumeratedSuites()
    for part in parts:
        combined.accepted_cipher_suites.extend(part.accepted_cipher_suites)
        combined.handshakes += part.handshakes
    if not combined.accepted_cipher_suites and VERSION_NAMES[protocol] == negotiated_version_name:
        return None
    combined.accepted_cipher_suites.sort(key=lambda a: a.cipher_suite.name, reverse=True)
    return combined

"""TLS facts through sslyze: protocols, cipher suites, key exchange, certificate chain, known flaws.

Each endpoint (name, port, vetted address) is scanned with sslyze's scan commands, scheduled
by :mod:`.tls_sched` under a total deadline per endpoint: legacy protocol versions are probed
with one handshake before their suites are enumerated, suites are enumerated by elimination
(:mod:`.tls_enum`) with sslyze's suite-by-suite test as the fallback, an endpoint that runs out of time is
abandoned with its sockets closed (``deadline exceeded``, never a partial pass), and sslyze's
result objects are dropped once the typed facts below are extracted. Certificate trust is
judged here with ``cryptography``'s WebPKI verifier against Mozilla's roots (shipped with
sslyze) plus ``--ca-file``, with the host name and the leaf's validity period kept out of
it — those have their own checks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from vendorvet.engine.facts import CertFacts, CipherFacts, TlsFacts
from vendorvet.engine.models import Attempt

PROTOCOL_COMMANDS = {
    "SSL 2.0": "ssl_2_0_cipher_suites",
    "SSL 3.0": "ssl_3_0_cipher_suites",
    "TLS 1.0": "tls_1_0_cipher_suites",
    "TLS 1.1": "tls_1_1_cipher_suites",
    "TLS 1.2": "tls_1_2_cipher_suites",
    "TLS 1.3": "tls_1_3_cipher_suites",
}
OTHER_COMMANDS = ("certificate_info", "heartbleed", "robot", "openssl_ccs_injection",
                  "session_renegotiation", "tls_compression", "tls_fallback_scsv")
DEADLINE_REASON = "deadline_exceeded"
NO_ROUTE_REASON = "no_route_from_scanner"


@dataclass(frozen=True)
class TlsJob:
    key: str
    host: str
    port: int
    address: str


def collect_tls(jobs: Iterable[TlsJob], *, timeout: float = 5.0, ca_file: Path | None = None,
                connections_per_host: int = 4, concurrent_servers: int = 10,
                deadline: float | None = None) -> dict[str, Attempt[TlsFacts]]:
    """TLS facts per job key. ``deadline``: total seconds per endpoint (default 6 × ``timeout``)."""
    from vendorvet.engine.collectors import tls_sched

    jobs = list(jobs)
    if not jobs:
        return {}
    by_key = {job.key: job for job in jobs}
    seconds = deadline if deadline is not None else 6 * timeout
    extra_roots = _load_pem_file(ca_file) if ca_file else ()

    def work(key: str, budget) -> Attempt[TlsFacts]:
        from sslyze.errors import ConnectionToServerFailed

        job = by_key[key]
        try:
            outcomes = tls_sched.scan_endpoint(
                budget, job.host, job.port, job.address, timeout=timeout, connections=connections_per_host,
                protocol_commands=PROTOCOL_COMMANDS, other_commands=OTHER_COMMANDS)
        except tls_sched.DeadlineExceeded:
            return _deadline_failure(job, budget.seconds)
        except ConnectionToServerFailed as exc:
            if budget.expired:
                return _deadline_failure(job, budget.seconds)
            if budget.no_route:
                return Attempt.failure(NO_ROUTE_REASON, f"this scanner has no route to {job.address}: "
                                                        f"{budget.connect_error.strerror or budget.connect_error}")
            return Attempt.failure("connectivity", f"could not complete a TLS handshake with "
                                                   f"{job.address}:{job.port}: {exc.error_message}")
        try:
            return Attempt.success(_to_facts(job, outcomes, extra_roots))
        except Exception as exc:  # a bug converting facts must not look like a clean result
            return Attempt.failure("bug", f"could not interpret the TLS scan: {exc!r}")

    def on_deadline(key: str, budget) -> Attempt[TlsFacts]:
        return _deadline_failure(by_key[key], budget.seconds)

    raw = tls_sched.run_endpoints([job.key for job in jobs], work, concurrent=concurrent_servers,
                                  deadline=seconds, on_deadline=on_deadline)
    results: dict[str, Attempt[TlsFacts]] = {}
    for job in jobs:
        value = raw.get(job.key)
        if isinstance(value, Attempt):
            results[job.key] = value
        elif isinstance(value, BaseException):
            results[job.key] = Attempt.failure("bug", f"TLS scan failed: {type(value).__name__}: {value}")
        else:
            results[job.key] = Attempt.failure("bug", "the TLS scan returned no result for this server")
    return results


def _deadline_failure(job: TlsJob, seconds: float) -> Attempt[TlsFacts]:
    return Attempt.failure(DEADLINE_REASON, f"deadline exceeded: the TLS scan of {job.address}:{job.port} did not "
                                            f"finish within {seconds:g} s and was abandoned")


def _outcome(outcomes: dict, command: str, errors: dict[str, str]):
    outcome = outcomes.get(command)
    if outcome is None:
        errors[command] = "NOT_SCHEDULED"
        return None
    if outcome.error:
        errors[command] = outcome.error
        return None
    return outcome.result


def _to_facts(job: TlsJob, outcomes: dict, extra_roots) -> TlsFacts:
    errors: dict[str, str] = {}
    protocols: dict[str, bool | None] = {}
    ciphers: list[CipherFacts] = []
    for protocol, command in PROTOCOL_COMMANDS.items():
        if outcomes.get(command) is not None and outcomes[command].skipped_not_accepted:
            protocols[protocol] = False  # one handshake offering every suite of the version was rejected
            continue
        result = _outcome(outcomes, command, errors)
        if result is None:
            protocols[protocol] = None
            continue
        protocols[protocol] = bool(result.accepted_cipher_suites)
        for accepted in result.accepted_cipher_suites:
            ciphers.append(_cipher_facts(protocol, accepted))

    chain: tuple[CertFacts, ...] = ()
    trusted, trust_error, in_order, hostname_ok = None, "", None, None
    stores: tuple[str, ...] = ()
    cert_info = _outcome(outcomes, "certificate_info", errors)
    if cert_info is not None and cert_info.certificate_deployments:
        deployment = cert_info.certificate_deployments[0]
        received = deployment.received_certificate_chain
        chain = tuple(cert_facts(c) for c in received)
        in_order = deployment.received_chain_has_valid_order
        hostname_ok = hostname_matches(chain[0], job.host)
        trusted, trust_error, stores = verify_trust(received, extra_roots)

    heartbleed = _outcome(outcomes, "heartbleed", errors)
    robot = _outcome(outcomes, "robot", errors)
    ccs = _outcome(outcomes, "openssl_ccs_injection", errors)
    reneg = _outcome(outcomes, "session_renegotiation", errors)
    compression = _outcome(outcomes, "tls_compression", errors)
    fallback = _outcome(outcomes, "tls_fallback_scsv", errors)
    return TlsFacts(
        host=job.host, port=job.port, address=job.address, checked_at=dt.datetime.now(dt.timezone.utc),
        protocols=protocols, ciphers=tuple(ciphers), chain=chain, trusted=trusted, trust_error=trust_error,
        trust_stores=stores, chain_in_order=in_order, hostname_matches=hostname_ok,
        heartbleed=heartbleed.is_vulnerable_to_heartbleed if heartbleed else None,
        robot=robot.robot_result.value if robot else None,
        ccs_injection=ccs.is_vulnerable_to_ccs_injection if ccs else None,
        secure_renegotiation=reneg.supports_secure_renegotiation if reneg else None,
        client_renegotiation_dos=reneg.is_vulnerable_to_client_renegotiation_dos if reneg else None,
        compression=compression.supports_compression if compression else None,
        fallback_scsv=fallback.supports_fallback_scsv if fallback else None,
        errors=errors,
    )


def kex_of(name: str) -> str:
    """Key-exchange family from an IANA suite name."""
    if name.startswith("SSL_CK_"):
        return "RSA"
    body = name.removeprefix("TLS_")
    if "_WITH_" not in body:
        return "TLS13"  # TLS 1.3 suites carry no key exchange in the name; it is always (EC)DHE
    kex = body.split("_WITH_", 1)[0]
    if "anon" in kex:
        return "ANON"
    for family in ("ECDHE", "DHE", "ECDH", "DH", "PSK", "SRP", "KRB5", "RSA"):
        if kex == family or kex.startswith(family + "_"):
            return "RSA_PSK" if kex.startswith("RSA_PSK") else family
    return kex


def _cipher_facts(protocol: str, accepted) -> CipherFacts:
    from nassl.ephemeral_key_info import DhEphemeralKeyInfo, EcDhEphemeralKeyInfo

    suite = accepted.cipher_suite
    key = accepted.ephemeral_key
    dh_bits = ec_bits = None
    curve = ""
    if isinstance(key, EcDhEphemeralKeyInfo):
        ec_bits, curve = key.size, key.curve_name
    elif isinstance(key, DhEphemeralKeyInfo):
        dh_bits = key.size
    return CipherFacts(protocol=protocol, name=suite.name, key_size=suite.key_size,
                       anonymous=suite.is_anonymous, kex=kex_of(suite.name),
                       dh_bits=dh_bits, ec_bits=ec_bits, curve=curve)


def cert_facts(cert) -> CertFacts:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import Encoding

    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        san_dns = tuple(san.get_values_for_type(x509.DNSName))
        san_ip = tuple(str(a) for a in san.get_values_for_type(x509.IPAddress))
    except x509.ExtensionNotFound:
        san_dns, san_ip = (), ()
    try:
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    try:
        algo = cert.signature_hash_algorithm
        signature_hash = algo.name if algo else ""
    except Exception:  # unsupported algorithm (e.g. MD2): report what the OID says
        signature_hash = cert.signature_algorithm_oid._name.lower()
    key = cert.public_key()
    exponent = None
    if isinstance(key, rsa.RSAPublicKey):
        key_type, bits, exponent = "RSA", key.key_size, key.public_numbers().e
    elif isinstance(key, ec.EllipticCurvePublicKey):
        key_type, bits = "EC", key.curve.key_size
    elif isinstance(key, ed25519.Ed25519PublicKey):
        key_type, bits = "Ed25519", 256
    elif isinstance(key, ed448.Ed448PublicKey):
        key_type, bits = "Ed448", 456
    elif isinstance(key, dsa.DSAPublicKey):
        key_type, bits = "DSA", key.key_size
    else:
        key_type, bits = type(key).__name__, 0
    cns = tuple(a.value for a in cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME))
    return CertFacts(
        subject=cert.subject.rfc4514_string(), issuer=cert.issuer.rfc4514_string(),
        not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc,
        serial=format(cert.serial_number, "x"),
        sha256=hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest(),
        san_dns=san_dns, san_ip=san_ip, common_names=tuple(str(c) for c in cns),
        signature_hash=signature_hash, key_type=key_type, key_bits=bits, rsa_exponent=exponent,
        self_signed=cert.issuer == cert.subject and _signed_by(cert, cert), is_ca=is_ca,
    )


def _signed_by(cert, issuer) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
        return True
    except Exception:
        return False


def hostname_matches(leaf: CertFacts, host: str) -> bool:
    """RFC 6125 / CA/B Forum: subjectAltName only; a wildcard covers exactly one left-most label."""
    try:
        ip = ipaddress.ip_address(host)
        return any(ipaddress.ip_address(a) == ip for a in leaf.san_ip)
    except ValueError:
        pass
    host = host.lower().rstrip(".")
    for name in leaf.san_dns:
        name = name.lower().rstrip(".")
        if name == host:
            return True
        if name.startswith("*.") and "." in host:
            first, rest = host.split(".", 1)
            if rest == name[2:] and first and rest.count(".") >= 1:
                return True
    return False


@lru_cache(maxsize=1)
def _mozilla_roots() -> tuple:
    from sslyze.plugins.certificate_info.trust_stores.trust_store_repository import TrustStoresRepository

    return _load_pem_file(TrustStoresRepository.get_default().get_main_store().path)


@lru_cache(maxsize=8)
def _load_pem_file(path: Path) -> tuple:
    import warnings

    from cryptography import x509

    with warnings.catch_warnings():  # Mozilla's store has a root with a negative serial; harmless here
        warnings.simplefilter("ignore")
        return tuple(x509.load_pem_x509_certificates(Path(path).read_bytes()))


def verify_trust(received: list, extra_roots: tuple = ()) -> tuple[bool, str, tuple[str, ...]]:
    """Can the received chain be built to a trusted root? Returns (trusted, why-not, stores used).

    Verified at a moment inside the leaf's validity and against a name the leaf carries,
    so that expiry and host-name mismatch — reported by their own checks — do not mask
    or duplicate a chain problem.
    """
    from cryptography import x509
    from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

    stores = ("Mozilla (sslyze)",) + (("--ca-file",) if extra_roots else ())
    leaf, intermediates = received[0], list(received[1:])
    if leaf.issuer == leaf.subject and _signed_by(leaf, leaf):
        if any(leaf == root for root in extra_roots):
            return True, "", stores
        return False, "the certificate is self-signed", stores
    facts = cert_facts(leaf)
    if facts.san_dns:
        subject = x509.DNSName(facts.san_dns[0].replace("*.", "wildcard.", 1))
    elif facts.san_ip:
        subject = x509.IPAddress(ipaddress.ip_address(facts.san_ip[0]))
    else:
        return False, "the leaf certificate has no subjectAltName, so no client can validate it", stores
    moment = facts.not_before + (facts.not_after - facts.not_before) / 2
    verifier = (PolicyBuilder().store(Store(list(_mozilla_roots()) + list(extra_roots)))
                .time(moment).build_server_verifier(subject))
    try:
        verifier.verify(leaf, intermediates)
    except VerificationError as exc:
        issuer_known = any(c.subject == leaf.issuer for c in intermediates) or any(
            r.subject == leaf.issuer for r in (*_mozilla_roots(), *extra_roots))
        if not issuer_known:
            return False, (f"incomplete chain or unknown root: the issuer {leaf.issuer.rfc4514_string()} is "
                           f"neither sent by the server nor a trusted root ({exc})"), stores
        return False, f"the chain does not validate: {exc}", stores
    return True, "", stores

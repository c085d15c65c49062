"""Fixtures for engine tests: a test CA, certificates with each flaw, and a scan helper."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.engine.servers import make_leaf

HOST = "api.vendor.test"


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    """A trustme CA and the certificates the TLS tests serve. ``pki.ca_pem`` goes to ``--ca-file``."""
    import trustme

    tmp: Path = tmp_path_factory.mktemp("pki")
    ca = trustme.CA()
    other_ca = trustme.CA()  # a CA the scanner is never told about → untrusted root
    ca_pem = tmp / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_pem))
    now = dt.datetime.now(dt.timezone.utc)

    class PKI:
        pass

    pki = PKI()
    pki.ca, pki.ca_pem, pki.dir = ca, ca_pem, tmp
    pki.good = make_leaf(ca, tmp, "good", [HOST])
    pki.expired = make_leaf(ca, tmp, "expired", [HOST], not_before=now - dt.timedelta(days=400),
                            not_after=now - dt.timedelta(days=3))
    pki.expiring = make_leaf(ca, tmp, "expiring", [HOST], not_after=now + dt.timedelta(days=10))
    pki.wrong_host = make_leaf(ca, tmp, "wronghost", ["other.vendor.test"])
    pki.self_signed = make_leaf(ca, tmp, "selfsigned", [HOST], self_signed=True)
    pki.untrusted = make_leaf(other_ca, tmp, "untrusted", [HOST])
    pki.sha1 = make_leaf(ca, tmp, "sha1", [HOST], hash_name="sha1")
    pki.rsa1024 = make_leaf(ca, tmp, "rsa1024", [HOST], key_bits=1024)
    return pki


def scan_local(port: int, *, ca_file: Path | None = None, checks: list[str] | None = None,
               plain_http_port: int | None = None, host: str = HOST, path: str = "/", timeout: float = 5.0,
               **extra):
    """Scan ``https://host:port`` with the name pinned to 127.0.0.1 (private addresses allowed)."""
    from vendorvet.engine.models import parse_target
    from vendorvet.engine.runner import ScanOptions, scan

    options = ScanOptions(timeout=timeout, concurrency=4, ca_file=ca_file, checks=checks,
                          pins={(host, port): ["127.0.0.1"]}, allow_private=True,
                          plain_http_port=plain_http_port, **extra)
    if plain_http_port:
        options.pins[(host, plain_http_port)] = ["127.0.0.1"]
    [result] = scan([parse_target(f"https://{host}:{port}{path}")], options)
    return result


def by_id(result) -> dict:
    return {f.check_id: f for f in result.findings}

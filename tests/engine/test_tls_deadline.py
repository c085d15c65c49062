"""The TLS part of a target has a total deadline: a stalling or trickling TLS server is abandoned in time,
its TLS checks are ``error`` with "deadline exceeded" (never a pass), and its connections are closed."""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager

import pytest

from tests.engine.conftest import HOST, by_id, scan_local
from tests.engine.servers import accepting, serve, server_context
from tests.engine.servers.dns import dns_server
from vendorvet.engine.models import parse_target
from vendorvet.engine.runner import ScanOptions, scan

pytestmark = pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")

SLACK = 2.0  # seconds beyond the deadline for the abandoned endpoint's threads to notice and the scan to return


@contextmanager
def stalling_tls_server(behaviour: str):
    """Accepts TCP and reads the ClientHello, then ``silent`` (never answers) or ``trickle`` (starts a
    16 KB handshake record and sends one byte of it every 0.3 s, so no read ever times out).
    Yields (port, stats); ``stats["closed_by_peer"]`` counts connections the scanner closed on it."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.1)
    stop = threading.Event()
    stats = {"accepted": 0, "closed_by_peer": 0, "open": 0}
    lock = threading.Lock()

    def talk(conn: socket.socket) -> None:
        with lock:
            stats["accepted"] += 1
            stats["open"] += 1
        try:
            conn.settimeout(0.3)
            try:
                conn.recv(4096)
            except socket.timeout:
                pass
            if behaviour == "trickle":
                conn.sendall(b"\x16\x03\x03\x40\x00")  # handshake record header: 16384 bytes follow
            while not stop.is_set():
                if behaviour == "trickle":
                    conn.sendall(b"\x00")
                try:
                    if conn.recv(1) == b"":
                        with lock:
                            stats["closed_by_peer"] += 1
                        return
                except socket.timeout:
                    continue
        except OSError:
            with lock:
                stats["closed_by_peer"] += 1
        finally:
            with lock:
                stats["open"] -= 1
            conn.close()

    with accepting(listener, talk, stop):
        yield listener.getsockname()[1], stats


def _tls_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("vendorvet-tls")]


def _wait_until(predicate, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


@pytest.mark.parametrize("behaviour", ["silent", "trickle"])
def test_stalling_tls_server_is_abandoned_at_the_deadline(behaviour):
    deadline = 3.0
    with stalling_tls_server(behaviour) as (port, stats):
        started = time.monotonic()
        result = scan_local(port, checks=["tls"], timeout=1, tls_deadline=deadline)
        elapsed = time.monotonic() - started
        assert elapsed < deadline + SLACK, f"the scan took {elapsed:.1f} s for a {deadline} s deadline"
        assert elapsed >= deadline - 0.2  # it really waited for the server, up to the deadline
        # resources reclaimed: every connection to the server is closed and the scan's threads are gone
        assert stats["accepted"] >= 1
        assert _wait_until(lambda: stats["open"] == 0, SLACK), stats
        assert _wait_until(lambda: not _tls_threads(), SLACK), _tls_threads()

    statuses = {f.status.value for f in result.findings}
    assert statuses == {"error"}, statuses
    for finding in result.findings:
        assert finding.detail.startswith("could not run: deadline exceeded"), finding.detail
        assert finding.evidence["reason"] == "deadline_exceeded"
        assert finding.evidence["addresses"] == ["127.0.0.1"]
    assert result.grade is None and "deadline exceeded" in result.deductions[0].reason


def test_trickling_server_would_hold_a_scan_without_the_deadline():
    """Control: the trickle defeats per-read timeouts — a read with a 1 s timeout keeps getting bytes."""
    with stalling_tls_server("trickle") as (port, _stats):
        sock = socket.create_connection(("127.0.0.1", port), timeout=1)
        sock.sendall(b"\x16\x03\x01\x00\x05hello")
        received = b""
        end = time.monotonic() + 2.5
        while time.monotonic() < end:
            received += sock.recv(100)  # never raises socket.timeout
        sock.close()
    assert received.startswith(b"\x16\x03\x03\x40\x00") and len(received) >= 10


def test_a_stalling_target_does_not_hold_up_the_others(pki):
    deadline = 3.0
    with stalling_tls_server("trickle") as (bad_port, _), serve(context=server_context(*pki.good)) as (good_port, _):
        options = ScanOptions(timeout=1, concurrency=4, ca_file=pki.ca_pem, checks=["tls"], allow_private=True,
                              tls_deadline=deadline,
                              pins={(HOST, bad_port): ["127.0.0.1"], (HOST, good_port): ["127.0.0.1"]})
        started = time.monotonic()
        bad, good = scan([parse_target(f"https://{HOST}:{bad_port}/"), parse_target(f"https://{HOST}:{good_port}/")],
                         options)
        elapsed = time.monotonic() - started
    assert elapsed < deadline + SLACK
    assert {f.status.value for f in bad.findings} == {"error"}
    assert by_id(good)["tls.protocol.tls13"].status.value == "pass"
    assert good.grade == "A"


def test_whole_scan_of_a_stalling_server_respects_the_documented_bound():
    """All checks (TLS, HTTP, security.txt, DNS, location) against a silent server: ``--timeout 1`` means a
    TLS deadline of 6 s; HTTP fetches are bounded on their own, so the whole target ends near that."""
    with stalling_tls_server("silent") as (port, _), dns_server({}) as dns_port:
        started = time.monotonic()
        result = scan_local(port, timeout=1, nameserver=f"127.0.0.1:{dns_port}")
        elapsed = time.monotonic() - started
    assert elapsed < 6 + SLACK, elapsed
    found = by_id(result)
    assert found["tls.protocol.legacy"].status.value == "error"
    assert not any(f.status.value == "pass" for k, f in found.items() if k.startswith(("tls.", "http.")))


def test_cli_help_documents_the_timeout_and_deadline(capsys):
    from vendorvet.cli.main import main

    with pytest.raises(SystemExit):
        main(["scan", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--timeout SECONDS" in text and "deadline" in text and "--max-addresses" in text
    assert "abandoned" in text

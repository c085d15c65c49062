"""Runs sslyze's scan jobs for many TLS endpoints under a total deadline per endpoint.

sslyze's ``Scanner`` cannot be cancelled: once a server is queued, its hundreds of handshakes
run to the end, however slowly the server answers. So the TLS collector schedules sslyze's
own building blocks itself — the connectivity test, and each scan command's ``ScanJob`` list
(one network connection per job) — and owns every socket they open:

- **Deadline per endpoint.** Each endpoint gets a :class:`Budget` when its scan starts. A
  job that starts after the budget ran out fails before connecting; at the deadline the
  scheduler *abandons* the endpoint (its result is ``deadline exceeded``, never a partial
  pass) and shuts down every socket the endpoint still has open, so a server that stalls
  or trickles bytes releases the threads within moments, and the next endpoint starts.
- **Bounded work.** ``concurrent_servers`` endpoints at once, ``connections`` workers (= at
  most that many connections) per endpoint; the sslyze result objects of an endpoint are
  dropped as soon as its typed facts are extracted.
- **Fewer handshakes, same answers.** For SSL 2.0/3.0 and TLS 1.0/1.1 one handshake
  offering every suite of that version decides whether the version is accepted at all, and
  the suites of an accepted version — and of TLS 1.2/1.3 — are enumerated by elimination
  (:mod:`.tls_enum`: N + 1 handshakes for N accepted suites) instead of one handshake per
  suite. On a modern server that is about 30 handshakes instead of 530 — most of sslyze's
  time and of the native memory its legacy OpenSSL keeps. A probe or an elimination that
  ends in anything but a clear answer falls back to sslyze's suite-by-suite enumeration of
  that version, so a shortcut never turns into "not accepted".

Sockets are opened through one hook on sslyze's connection helper (installed once, inert
for threads that are not running a budgeted job).
"""

from __future__ import annotations

import errno
import queue
import socket
import threading
import weakref
from dataclasses import dataclass
from typing import Callable

from vendorvet.engine.net import Deadline, DeadlineExceeded

LEGACY_VERSIONS = {"SSL 2.0": "SSL_2_0", "SSL 3.0": "SSL_3_0", "TLS 1.0": "TLS_1_0", "TLS 1.1": "TLS_1_1"}

# Errors that say the scanner cannot reach that network at all — not that the server is down.
NO_ROUTE_ERRNOS = {errno.ENETUNREACH, errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT}

_local = threading.local()
_hook_lock = threading.Lock()
_hook_installed = False


class Budget:
    """The time one endpoint may take, and the sockets it holds open."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.deadline = Deadline(seconds)
        self.cancelled = False
        self.connect_error: OSError | None = None
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._lock = threading.Lock()

    @property
    def expired(self) -> bool:
        return self.cancelled or self.deadline.expired

    def register(self, sock: socket.socket) -> None:
        with self._lock:
            if self.cancelled:
                sock.close()
                raise socket.timeout("deadline exceeded")
            self._sockets.add(sock)

    def cancel(self) -> None:
        """Stop the endpoint: no new connection, and every open one is shut down (wakes blocked reads)."""
        with self._lock:
            self.cancelled = True
            open_sockets = list(self._sockets)
        for sock in open_sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def open_socket(self, address: str, port: int, network_timeout: float) -> socket.socket:
        remaining = self.deadline.remaining()
        if self.cancelled or remaining <= 0:
            raise socket.timeout("deadline exceeded")
        try:
            sock = socket.create_connection((address, port), timeout=min(network_timeout, remaining))
        except OSError as exc:
            self.connect_error = exc  # sslyze keeps only its own message; the errno tells "no route" apart
            raise
        self.register(sock)
        return sock

    @property
    def no_route(self) -> bool:
        """The scanner's host has no route to the address (e.g. an IPv6 address on an IPv4-only host)."""
        return getattr(self.connect_error, "errno", None) in NO_ROUTE_ERRNOS


def install_socket_hook() -> None:
    """Route sslyze's direct connections through the running job's :class:`Budget` (idempotent)."""
    global _hook_installed
    with _hook_lock:
        if _hook_installed:
            return
        from sslyze.connection_helpers import tls_connection

        original = tls_connection._open_socket_for_direct_connection

        def open_socket(server_location, network_timeout):
            budget: Budget | None = getattr(_local, "budget", None)
            if budget is None:
                return original(server_location, network_timeout)
            return budget.open_socket(server_location.ip_address, server_location.port, network_timeout)

        tls_connection._open_socket_for_direct_connection = open_socket
        _hook_installed = True


def run_in_budget(budget: Budget, func: Callable, *args):
    """Call ``func`` with this thread's sslyze connections bound to ``budget``."""
    if budget.expired:
        raise DeadlineExceeded("deadline exceeded before the job started")
    _local.budget = budget
    try:
        return func(*args)
    finally:
        _local.budget = None


# --------------------------------------------------------------------------- one endpoint

@dataclass
class CommandOutcome:
    """What one sslyze scan command produced: its result object, or why it has none."""

    result: object = None
    error: str = ""
    skipped_not_accepted: bool = False  # a legacy protocol the probe showed is not accepted


def run_jobs(budget: Budget, jobs: list, workers: int) -> list:
    """Run sslyze ``ScanJob`` objects on ``workers`` daemon threads; ScanJobResults in the jobs' order."""
    from sslyze.plugins.plugin_base import ScanJobResult

    results: list = [None] * len(jobs)
    work: queue.Queue = queue.Queue()
    for index, job in enumerate(jobs):
        work.put((index, job))

    def worker() -> None:
        while True:
            try:
                index, job = work.get_nowait()
            except queue.Empty:
                return
            try:
                value = run_in_budget(budget, job.function_to_call, *job.function_arguments)
                results[index] = ScanJobResult(_return_value=value, _exception=None)
            except Exception as exc:  # the plugin decides what an exception means
                results[index] = ScanJobResult(_return_value=None, _exception=exc)

    threads = [threading.Thread(target=worker, daemon=True, name="vendorvet-tls-job")
               for _ in range(max(1, min(workers, len(jobs))))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def probe_version(server_info, protocol: str) -> bool | None:
    """One handshake offering every suite of a legacy ``protocol``: True accepted, False rejected, None unsure."""
    from nassl.ssl_client import ClientCertificateRequested
    from sslyze.errors import ServerRejectedTlsHandshake, ServerTlsConfigurationNotSupported, TlsHandshakeTimedOut
    from sslyze.plugins.openssl_cipher_suites.cipher_suites import CipherSuitesRepository
    from sslyze.server_connectivity import TlsVersionEnum

    version = TlsVersionEnum[LEGACY_VERSIONS[protocol]]
    names = sorted({s.openssl_name for s in CipherSuitesRepository.get_all_cipher_suites(version)})
    connection = server_info.get_preconfigured_tls_connection(override_tls_version=version,
                                                              should_use_legacy_openssl=True)
    try:
        connection.ssl_client.set_cipher_list(":".join(names))
        connection.connect()
        return True
    except (ServerTlsConfigurationNotSupported, ClientCertificateRequested):
        return True  # the server chose a suite of this version (sslyze counts these as accepted too)
    except (ServerRejectedTlsHandshake, TlsHandshakeTimedOut):
        return False  # sslyze's per-suite test reads exactly these as "rejected"
    except Exception:
        return None
    finally:
        connection.close()


@dataclass(frozen=True)
class _Job:
    """A unit of work for the endpoint's workers, in sslyze's ``ScanJob`` shape, tagged with what it is for."""

    tag: tuple
    function_to_call: Callable
    function_arguments: tuple


def scan_endpoint(budget: Budget, host: str, port: int, address: str, *, timeout: float, connections: int,
                  protocol_commands: dict[str, str], other_commands: tuple[str, ...]) -> dict[str, CommandOutcome]:
    """Every scan command's outcome for one endpoint. Raises sslyze's connectivity errors.

    Work runs in rounds on ``connections`` workers: (1) legacy-version probes, suite
    enumeration by elimination for TLS 1.2/1.3, and the jobs of every other command;
    (2) enumeration of the legacy versions the probes found accepted; (3) sslyze's
    suite-by-suite enumeration for any version where elimination declined to answer.
    """
    from sslyze import ServerNetworkConfiguration, ServerNetworkLocation
    from sslyze.server_connectivity import ServerConnectivityInfo, check_connectivity_to_server

    from vendorvet.engine.collectors import tls_enum

    install_socket_hook()
    location = ServerNetworkLocation(hostname=host, port=port, ip_address=address)
    network = ServerNetworkConfiguration(tls_server_name_indication=host, network_timeout=max(1, int(round(timeout))),
                                         network_max_retries=1)
    probing = run_in_budget(budget, check_connectivity_to_server, location, network)
    server_info = ServerConnectivityInfo(server_location=location, network_configuration=network,
                                         tls_probing_result=probing)
    negotiated = probing.highest_tls_version_supported.name
    outcomes: dict[str, CommandOutcome] = {}

    def enumerate_jobs(protocol: str) -> list[_Job]:
        if protocol not in tls_enum.ELIMINATION_PROTOCOLS:
            return command_jobs(protocol_commands[protocol])
        groups = tls_enum.suite_groups(protocol)
        if not groups:
            return command_jobs(protocol_commands[protocol])
        return [_Job(("enum", protocol, len(groups)), tls_enum.eliminate, (server_info, g)) for g in groups]

    def command_jobs(command: str) -> list[_Job]:
        from sslyze.plugins.scan_commands import ScanCommand, ScanCommandsRepository

        implementation = ScanCommandsRepository.get_implementation_cls(ScanCommand(command))
        try:
            jobs = implementation.scan_jobs_for_scan_command(server_info, None)
        except Exception as exc:
            outcomes[command] = CommandOutcome(error=f"BUG_IN_SSLYZE: {type(exc).__name__}: {exc}")
            return []
        return [_Job(("cmd", command), job.function_to_call, tuple(job.function_arguments)) for job in jobs]

    batch: list[_Job] = []
    for protocol in protocol_commands:
        if protocol in LEGACY_VERSIONS:
            batch.append(_Job(("probe", protocol), probe_version, (server_info, protocol)))
        else:
            batch.extend(enumerate_jobs(protocol))
    for command in other_commands:
        batch.extend(command_jobs(command))

    while batch:
        job_results = run_jobs(budget, batch, connections)
        if budget.expired:
            raise DeadlineExceeded("deadline exceeded")
        grouped: dict[tuple, list] = {}
        for job, result in zip(batch, job_results):
            grouped.setdefault(job.tag, []).append(result)
        batch = []
        for tag, results in grouped.items():
            kind = tag[0]
            if kind == "probe":
                accepted = _value(results[0])
                if accepted is False:
                    outcomes[protocol_commands[tag[1]]] = CommandOutcome(skipped_not_accepted=True)
                else:
                    batch.extend(enumerate_jobs(tag[1]))
            elif kind == "enum":
                combined = tls_enum.combine(tag[1], [_value(r) for r in results], negotiated)
                if combined is None:
                    batch.extend(command_jobs(protocol_commands[tag[1]]))
                else:
                    outcomes[protocol_commands[tag[1]]] = CommandOutcome(result=combined)
            else:
                outcomes[tag[1]] = _finish_command(server_info, tag[1], results)
    return outcomes


def _value(job_result):
    """A job's return value, or ``None`` when it raised (the callers treat ``None`` as "not sure")."""
    try:
        return job_result.get_result()
    except Exception:
        return None


def _finish_command(server_info, command: str, job_results: list) -> CommandOutcome:
    from nassl.ssl_client import ClientCertificateRequested
    from sslyze.errors import ConnectionToServerFailed
    from sslyze.plugins.scan_commands import ScanCommand, ScanCommandsRepository

    implementation = ScanCommandsRepository.get_implementation_cls(ScanCommand(command))
    try:
        return CommandOutcome(result=implementation.result_for_completed_scan_jobs(server_info, job_results))
    except ClientCertificateRequested as exc:
        return CommandOutcome(error=f"CLIENT_CERTIFICATE_NEEDED: {exc}")
    except ConnectionToServerFailed as exc:
        return CommandOutcome(error=f"CONNECTIVITY_ISSUE: {exc.error_message}")
    except Exception as exc:
        return CommandOutcome(error=f"BUG_IN_SSLYZE: {type(exc).__name__}: {exc}")


# --------------------------------------------------------------------------- many endpoints

def run_endpoints(keys: list[str], work: Callable[[str, Budget], object], *, concurrent: int, deadline: float,
                  on_deadline: Callable[[str, Budget], object]) -> dict[str, object]:
    """Run ``work(key, budget)`` for every key, ``concurrent`` at a time, each within ``deadline`` seconds.

    Runs on daemon threads. At its deadline an endpoint is cancelled (sockets shut down) and
    abandoned: its value is ``on_deadline(key, budget)`` and a late answer is ignored.
    """
    results: dict[str, object] = {}
    done: queue.Queue = queue.Queue()
    pending = list(reversed(keys))
    running: dict[str, Budget] = {}

    def start(key: str) -> None:
        budget = Budget(deadline)
        running[key] = budget

        def body() -> None:
            try:
                value = work(key, budget)
            except BaseException as exc:  # reported by the caller's work function normally; never lost
                value = exc
            done.put((key, value))

        threading.Thread(target=body, daemon=True, name="vendorvet-tls-endpoint").start()

    while pending or running:
        while pending and len(running) < max(1, concurrent):
            start(pending.pop())
        wait = min((b.deadline.remaining() for b in running.values()), default=0.1)
        try:
            key, value = done.get(timeout=max(0.01, min(wait, 1.0)))
            if key in running:
                budget = running.pop(key)
                results[key] = on_deadline(key, budget) if budget.expired else value
        except queue.Empty:
            pass
        for key, budget in list(running.items()):
            if budget.deadline.expired:
                budget.cancel()
                del running[key]
                results[key] = on_deadline(key, budget)
    return results

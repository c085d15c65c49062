"""Runs a scan: resolve and vet every target, run the collectors, judge with the checks, score.

Concurrency is bounded in two places only: ``concurrency`` worker threads for name
resolution, HTTP and DNS (one HTTP connection at a time per target), and the TLS
collector (``concurrency`` endpoints at once, 4 connections per endpoint) — so no server
ever sees more than 5 connections from one scan.

TLS is scanned on every vetted address of a target, in address order, up to ``max_addresses``
(a name with several addresses is several servers, and they can be configured differently); the TLS
checks run per address and :mod:`vendorvet.engine.aggregate` folds them into one finding
per check (worst status wins, the evidence names the address). The TLS part of each
endpoint has a total deadline (``tls_deadline``, default 6 × ``timeout``); past it the
endpoint is abandoned and its TLS checks are ``error`` with "deadline exceeded".
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

from vendorvet.engine import registry
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import (
    Attempt, Finding, Severity, Status, Target, TargetResult, Verdict,
)
from vendorvet.engine.net import PolicyRefused, Resolver

TLS_CONNECTIONS_PER_HOST = 4  # + 1 HTTP connection = the 5-per-host ceiling


@dataclass
class ScanOptions:
    timeout: float = 10.0
    concurrency: int = 10
    ca_file: Path | None = None
    pins: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    nameserver: str | None = None
    allow_private: bool = False
    allowed_networks: tuple[str, ...] = ()
    hard_block: bool = False  # the web application's policy: loopback and metadata never (engine.net)
    loopback_for_tests: bool = False
    checks: list[str] | None = None
    plain_http_port: int | None = 80
    max_body: int = 256 * 1024
    max_addresses: int = 4  # TLS-scanned addresses per name
    tls_deadline: float | None = None  # total seconds for the TLS part of one endpoint; None: 6 × timeout

    @property
    def target_deadline(self) -> float:
        return self.tls_deadline if self.tls_deadline is not None else self.timeout * 6


def make_resolver(options: ScanOptions) -> Resolver:
    return Resolver(allow_private=options.allow_private, allowed_networks=tuple(options.allowed_networks),
                    hard_block=options.hard_block, loopback_for_tests=options.loopback_for_tests,
                    pins=dict(options.pins), nameserver=options.nameserver, timeout=options.timeout)


def finding_severity(spec: registry.CheckSpec, verdict: Verdict) -> Severity:
    """The severity *of this finding*: a pass is informational, a warning a notch below the check's stake."""
    if verdict.severity is not None:
        return verdict.severity
    if verdict.status in (Status.FAIL, Status.ERROR):
        return spec.severity
    if verdict.status == Status.WARN:
        return Severity.MEDIUM if spec.severity.rank >= Severity.HIGH.rank else Severity.LOW
    return Severity.INFO


def evaluate(facts: ScanFacts, specs: Iterable[registry.CheckSpec]) -> list[Finding]:
    """Run checks over collected facts. A check that cannot run says why — never a silent pass."""
    findings = []
    for spec in specs:
        verdict = None
        for name in spec.requires:
            attempt = getattr(facts, name)
            if attempt is None:
                verdict = Verdict(Status.ERROR, f"the {name} collector did not run", {"reason": "not_scheduled"})
            elif not attempt.ok:
                verdict = Verdict(Status.ERROR, f"could not run: {attempt.error}", {"reason": attempt.reason})
            if verdict:
                break
        if verdict is None:
            try:
                verdict = spec.func(facts)
                if not isinstance(verdict, Verdict):
                    raise TypeError(f"check returned {type(verdict).__name__}, not a Verdict")
            except Exception as exc:  # a bug in one check must not hide the others
                verdict = Verdict(Status.ERROR, f"the check failed: {type(exc).__name__}: {exc}", {"reason": "bug"})
        if verdict.caps and verdict.status in (Status.ERROR, Status.NOT_APPLICABLE):
            verdict = replace(verdict, caps=())  # what could not be checked never moves the grade
        findings.append(Finding(spec.id, verdict.status, finding_severity(spec, verdict), spec.title,
                                verdict.detail, dict(verdict.evidence), tuple(verdict.caps)))
    return findings


def scan(targets: list[Target], options: ScanOptions | None = None,
         progress: Callable[[str], None] | None = None) -> list[TargetResult]:
    from vendorvet.engine.aggregate import grade_addresses, merge_address_findings
    from vendorvet.engine.scoring import grade_target

    options = options or ScanOptions()
    specs = registry.select(options.checks)
    needed = {name for spec in specs for name in spec.requires}
    resolver = make_resolver(options)
    started = {id(t): time.monotonic() for t in targets}
    say = progress or (lambda message: None)

    with ThreadPoolExecutor(max_workers=max(1, options.concurrency), thread_name_prefix="vendorvet") as pool:
        vetting = {id(t): pool.submit(_vet, resolver, t) for t in targets}
        vetted: dict[int, Attempt[list[str]]] = {k: f.result() for k, f in vetting.items()}
        # refused by name or literal address: nothing about it is looked up (no DNS query at all)
        early = {id(t) for t in targets if _refused_early(resolver, t)}
        addresses = {k: (a.value or []) if a.ok else ([] if k in early else _resolved_anyway(resolver, t))
                     for t in targets for k, a in [(id(t), vetted[id(t)])]}

        pending: dict[tuple[int, str], Future] = {}
        for target in targets:
            if "dns" in needed and id(target) not in early:  # asks the name servers, never the target
                pending[(id(target), "dns")] = pool.submit(_collect_dns, target, options)
            if "http" in needed and vetted[id(target)].ok:
                pending[(id(target), "http")] = pool.submit(_collect_http, target, resolver, options)
        tls_results: dict[str, Attempt] = {}
        if "tls" in needed:
            say(f"TLS scan of {sum(1 for t in targets if vetted[id(t)].ok)} target(s), "
                f"up to {options.max_addresses} address(es) each")
            tls_results = _collect_tls(targets, vetted, options)
        collected = {key: future.result() for key, future in pending.items()}

    tls_specs = [spec for spec in specs if "tls" in spec.requires]
    other_specs = [spec for spec in specs if "tls" not in spec.requires]
    results = []
    for target in targets:
        vet = vetted[id(target)]
        facts = ScanFacts(target=target, addresses=tuple(addresses[id(target)]), now=dt.datetime.now(dt.timezone.utc))
        per_address: list[tuple[str, Attempt]] = []
        unroutable: dict[str, str] = {}
        if not vet.ok:
            refused = Attempt.failure(vet.reason, vet.error)
            facts = replace(facts, **{name: refused for name in needed if name != "dns"},
                            dns=refused if id(target) in early and "dns" in needed
                            else collected.get((id(target), "dns")))
        else:
            if "tls" in needed:
                per_address = [(address, tls_results[_tls_key(target, address)])
                               for address in _tls_addresses(vet.value, options)]
                per_address, unroutable = _drop_unroutable(per_address)
            facts = replace(
                facts,
                tls=per_address[0][1] if per_address else None,
                http=collected.get((id(target), "http")),
                dns=collected.get((id(target), "dns")),
                location=_collect_location(addresses[id(target)]) if "location" in needed else None,
            )
        result = TargetResult(target=target, addresses=list(addresses[id(target)]))
        if per_address:
            not_scanned = {a: unroutable.get(a, f"beyond the first {options.max_addresses} address(es)")
                           for a in sorted(set(vet.value) - set(dict(per_address)), key=_address_key)}
            other = evaluate(facts, other_specs)
            by_address = {address: evaluate(replace(facts, tls=attempt), tls_specs)
                          for address, attempt in per_address}
            merged = {spec.id: merge_address_findings([(a, by_address[a][i]) for a, _ in per_address], not_scanned)
                      for i, spec in enumerate(tls_specs)}
            merged.update({f.check_id: f for f in other})
            result.findings = [merged[spec.id] for spec in specs]
            grade_addresses(result, facts, per_address, other, by_address)
        else:
            result.findings = evaluate(facts, specs)
            grade_target(result, facts)
        result.duration_seconds = round(time.monotonic() - started[id(target)], 3)
        results.append(result)
        say(f"{target.raw}: {result.grade or '-'}")
    return results


def _tls_addresses(vetted_addresses: list[str], options: ScanOptions) -> list[str]:
    """The addresses to TLS-scan: in address order (IPv4 first), so that which ones are scanned and the order
    evidence lists them in do not change with a DNS server's round-robin answer order."""
    return sorted(set(vetted_addresses), key=_address_key)[:max(1, options.max_addresses)]


def _drop_unroutable(per_address: list[tuple[str, Attempt]]) -> tuple[list[tuple[str, Attempt]], dict[str, str]]:
    """Addresses this scanner cannot reach at all (no route: e.g. IPv6 on an IPv4-only host) are set aside and
    named in the evidence, as long as another address was scanned; if none was, their error stands."""
    from vendorvet.engine.collectors.tls import NO_ROUTE_REASON

    unroutable = {a: t.error for a, t in per_address if not t.ok and t.reason == NO_ROUTE_REASON}
    if not unroutable or len(unroutable) == len(per_address):
        return per_address, {}
    return [(a, t) for a, t in per_address if a not in unroutable], unroutable


def _address_key(address: str) -> tuple:
    parsed = ipaddress.ip_address(address)
    return parsed.version, parsed


def _tls_key(target: Target, address: str) -> str:
    return f"{target.host}|{target.port}|{address}"


def _vet(resolver: Resolver, target: Target) -> Attempt[list[str]]:
    try:
        return Attempt.success(resolver.vetted(target.host, target.port))
    except PolicyRefused as exc:
        return Attempt.failure("refused_by_policy", str(exc))
    except OSError as exc:
        return Attempt.failure("dns", str(exc))


def _refused_early(resolver: Resolver, target: Target) -> bool:
    """Refused by its *name* (a literal address needs no DNS query anyway and is reported as usual)."""
    try:
        ipaddress.ip_address(target.host.strip("[]").split("%", 1)[0])
        return False
    except ValueError:
        pass
    try:
        resolver.refuse_early(target.host, target.port)
    except PolicyRefused:
        return True
    return False


def _resolved_anyway(resolver: Resolver, target: Target) -> list[str]:
    """Addresses for the report even when refused (they explain the refusal); never connected to."""
    try:
        return resolver.resolve(target.host, target.port)
    except OSError:
        return []


def _collect_http(target: Target, resolver: Resolver, options: ScanOptions) -> Attempt:
    from vendorvet.engine.collectors.http import HttpOptions, collect_http

    try:
        return collect_http(target, resolver, HttpOptions(
            timeout=options.timeout, request_budget=options.timeout * 2, max_body=options.max_body,
            plain_http_port=options.plain_http_port, ca_file=options.ca_file))
    except Exception as exc:  # pragma: no cover - defensive: report instead of crashing the run
        return Attempt.failure("bug", f"HTTP collector failed: {type(exc).__name__}: {exc}")


def _collect_dns(target: Target, options: ScanOptions) -> Attempt:
    try:
        from vendorvet.engine.collectors.dns import collect_dns
    except ImportError:  # pragma: no cover
        return Attempt.failure("not_implemented", "DNS collector is not available")
    try:
        return collect_dns(target, nameserver=options.nameserver, timeout=options.timeout)
    except Exception as exc:  # pragma: no cover
        return Attempt.failure("bug", f"DNS collector failed: {type(exc).__name__}: {exc}")


def _collect_location(addresses: list[str]) -> Attempt:
    from vendorvet.engine.collectors.location import collect_location

    try:
        return collect_location(addresses)
    except Exception as exc:  # pragma: no cover - defensive
        return Attempt.failure("bug", f"location collector failed: {type(exc).__name__}: {exc}")


def _collect_tls(targets: list[Target], vetted: dict[int, Attempt], options: ScanOptions) -> dict[str, Attempt]:
    """One TLS scan per distinct (name, port, address): targets that differ only in path share it."""
    from vendorvet.engine.collectors.tls import TlsJob, collect_tls

    jobs: dict[str, TlsJob] = {}
    for target in targets:
        if vetted[id(target)].ok:
            for address in _tls_addresses(vetted[id(target)].value, options):
                key = _tls_key(target, address)
                jobs.setdefault(key, TlsJob(key=key, host=target.host, port=target.port, address=address))
    try:
        return collect_tls(jobs.values(), timeout=options.timeout, ca_file=options.ca_file,
                           connections_per_host=TLS_CONNECTIONS_PER_HOST,
                           concurrent_servers=max(1, options.concurrency), deadline=options.target_deadline)
    except Exception as exc:
        return {key: Attempt.failure("bug", f"TLS collector failed: {type(exc).__name__}: {exc}") for key in jobs}

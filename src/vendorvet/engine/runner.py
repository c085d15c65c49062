"""Runs a scan: resolve and vet every target, run the collectors, judge with the checks, score.

Concurrency is bounded in two places only: ``concurrency`` worker threads for name
resolution, HTTP and DNS (one HTTP connection at a time per target), and one sslyze
scanner for every TLS target (``concurrency`` servers at once, 4 connections per
server) — so no host ever sees more than 5 connections from one scan.
"""

from __future__ import annotations

import datetime as dt
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
    checks: list[str] | None = None
    plain_http_port: int | None = 80
    max_body: int = 256 * 1024

    @property
    def target_deadline(self) -> float:
        return self.timeout * 6


def make_resolver(options: ScanOptions) -> Resolver:
    return Resolver(allow_private=options.allow_private, allowed_networks=tuple(options.allowed_networks),
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
        findings.append(Finding(spec.id, verdict.status, finding_severity(spec, verdict), spec.title,
                                verdict.detail, dict(verdict.evidence)))
    return findings


def scan(targets: list[Target], options: ScanOptions | None = None,
         progress: Callable[[str], None] | None = None) -> list[TargetResult]:
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
        addresses = {k: (a.value or []) if a.ok else _resolved_anyway(resolver, t)
                     for t in targets for k, a in [(id(t), vetted[id(t)])]}

        pending: dict[tuple[int, str], Future] = {}
        for target in targets:
            if "dns" in needed:  # asks the name servers, never the target: runs even for refused targets
                pending[(id(target), "dns")] = pool.submit(_collect_dns, target, options)
            if "http" in needed and vetted[id(target)].ok:
                pending[(id(target), "http")] = pool.submit(_collect_http, target, resolver, options)
        tls_results: dict[str, Attempt] = {}
        if "tls" in needed:
            say(f"TLS scan of {sum(1 for t in targets if vetted[id(t)].ok)} target(s)")
            tls_results = _collect_tls(targets, vetted, options)
        collected = {key: future.result() for key, future in pending.items()}

    results = []
    for target in targets:
        vet = vetted[id(target)]
        facts = ScanFacts(target=target, addresses=tuple(addresses[id(target)]), now=dt.datetime.now(dt.timezone.utc))
        if not vet.ok:
            refused = Attempt.failure(vet.reason, vet.error)
            facts = replace(facts, **{name: refused for name in needed if name != "dns"},
                            dns=collected.get((id(target), "dns")))
        else:
            facts = replace(
                facts,
                tls=tls_results.get(str(id(target))) if "tls" in needed else None,
                http=collected.get((id(target), "http")),
                dns=collected.get((id(target), "dns")),
                location=_collect_location(addresses[id(target)]) if "location" in needed else None,
            )
        findings = evaluate(facts, specs)
        result = TargetResult(target=target, addresses=list(addresses[id(target)]), findings=findings,
                              duration_seconds=round(time.monotonic() - started[id(target)], 3))
        grade_target(result, facts)
        results.append(result)
        say(f"{target.raw}: {result.grade or '-'}")
    return results


def _vet(resolver: Resolver, target: Target) -> Attempt[list[str]]:
    try:
        return Attempt.success(resolver.vetted(target.host, target.port))
    except PolicyRefused as exc:
        return Attempt.failure("refused_by_policy", str(exc))
    except OSError as exc:
        return Attempt.failure("dns", str(exc))


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
    from vendorvet.engine.collectors.tls import TlsJob, collect_tls

    jobs = [TlsJob(key=str(id(t)), host=t.host, port=t.port, address=vetted[id(t)].value[0])
            for t in targets if vetted[id(t)].ok]
    try:
        return collect_tls(jobs, timeout=options.timeout, ca_file=options.ca_file,
                           connections_per_host=TLS_CONNECTIONS_PER_HOST,
                           concurrent_servers=max(1, options.concurrency))
    except Exception as exc:
        return {job.key: Attempt.failure("bug", f"TLS collector failed: {type(exc).__name__}: {exc}")
                for job in jobs}

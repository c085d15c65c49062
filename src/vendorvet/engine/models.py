"""The engine's data: targets, collected-fact attempts, check verdicts and findings.

Plain dataclasses, no I/O. Collectors produce :class:`Attempt` objects holding facts
(or the reason they could not be collected); checks turn facts into a :class:`Verdict`;
the runner adds the check's metadata and produces :class:`Finding` objects.
"""

from __future__ import annotations

import enum
import ipaddress
from dataclasses import dataclass, field, replace
from typing import Any, Generic, Mapping, TypeVar
from urllib.parse import urlsplit

from vendorvet.engine.grades import SCALE as GRADES
from vendorvet.engine.severity import Severity  # noqa: F401 - the one severity enum, importable from here


class Status(str, enum.Enum):
    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    INFO = "info"
    ERROR = "error"
    NOT_APPLICABLE = "not_applicable"


class TargetError(ValueError):
    """A TARGET argument that is not ``https://host[:port][/path]`` or ``host[:port]``."""


@dataclass(frozen=True)
class Target:
    """What to scan. ``raw`` is what the user typed; ``host`` is lower-case, IPv6 without brackets."""

    raw: str
    host: str
    port: int = 443
    path: str = "/"

    @property
    def host_is_ip(self) -> bool:
        try:
            ipaddress.ip_address(self.host)
        except ValueError:
            return False
        return True

    @property
    def url_host(self) -> str:
        return f"[{self.host}]" if ":" in self.host else self.host

    @property
    def base_url(self) -> str:
        port = "" if self.port == 443 else f":{self.port}"
        return f"https://{self.url_host}{port}"

    @property
    def url(self) -> str:
        return self.base_url + self.path


def parse_target(raw: str) -> Target:
    text = raw.strip()
    if not text:
        raise TargetError("empty target")
    if "://" in text:
        parts = urlsplit(text)
        if parts.scheme.lower() != "https":
            raise TargetError(f"{raw!r}: only https:// targets can be scanned (TLS is what is being vetted)")
    else:
        if any(c in text for c in "/?#@"):
            raise TargetError(f"{raw!r}: write a URL as https://host[:port][/path], or just host[:port]")
        parts = urlsplit("https://" + text)
    if parts.username or parts.password:
        raise TargetError(f"{raw!r}: credentials in the target are not accepted")
    try:
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise TargetError(f"{raw!r}: {exc}") from None
    if not host:
        raise TargetError(f"{raw!r}: no host name")
    host = host.rstrip(".").lower()
    if not _valid_host(host):
        raise TargetError(f"{raw!r}: {host!r} is not a valid host name or IP address")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(raw=raw, host=host, port=port or 443, path=path)


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.split(".")
    return len(ascii_host) <= 253 and all(
        0 < len(label) <= 63 and all(c.isalnum() or c == "-" for c in label)
        and not label.startswith("-") and not label.endswith("-")
        for label in labels
    )


T = TypeVar("T")


@dataclass(frozen=True)
class Attempt(Generic[T]):
    """Facts from one collector, or why there are none (sslyze's attempt pattern).

    ``reason`` is a short machine word: ``refused_by_policy``, ``connectivity``, ``timeout``,
    ``dns``, ``not_scheduled``, ``bug``; ``error`` is the human-readable explanation.
    """

    value: T | None = None
    reason: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.reason

    @classmethod
    def success(cls, value: T) -> "Attempt[T]":
        return cls(value=value)

    @classmethod
    def failure(cls, reason: str, error: str) -> "Attempt[T]":
        return cls(value=None, reason=reason, error=error)


@dataclass(frozen=True)
class GradeCap:
    """A check's judgement that the target's grade can be no better than ``grade`` (SSL Labs-style caps).

    The check that judges a weakness is the only one that caps for it; scoring only combines the caps
    the checks reported. ``reason`` is English, ``reason_de`` its German text for people.
    """

    grade: str
    reason: str
    reason_de: str = ""

    def __post_init__(self) -> None:
        if self.grade not in GRADES:
            raise ValueError(f"grade cap {self.grade!r} is not one of {GRADES}")


@dataclass(frozen=True)
class Verdict:
    """What a check decided. ``severity`` overrides the default for this status (see the runner);
    ``caps`` are the grade caps the check's judgement implies (empty for most checks)."""

    status: Status
    detail: str
    evidence: Mapping[str, Any] = field(default_factory=dict)
    severity: Severity | None = None
    caps: tuple[GradeCap, ...] = ()

    def capped(self, *caps: GradeCap) -> "Verdict":
        """This verdict with ``caps`` added."""
        return replace(self, caps=self.caps + tuple(caps))


def passed(detail: str, **evidence: Any) -> Verdict:
    return Verdict(Status.PASS, detail, evidence)


def failed(detail: str, severity: Severity | None = None, **evidence: Any) -> Verdict:
    return Verdict(Status.FAIL, detail, evidence, severity)


def warned(detail: str, severity: Severity | None = None, **evidence: Any) -> Verdict:
    return Verdict(Status.WARN, detail, evidence, severity)


def informed(detail: str, **evidence: Any) -> Verdict:
    return Verdict(Status.INFO, detail, evidence)


def not_applicable(detail: str, **evidence: Any) -> Verdict:
    return Verdict(Status.NOT_APPLICABLE, detail, evidence)


def errored(detail: str, **evidence: Any) -> Verdict:
    return Verdict(Status.ERROR, detail, evidence)


@dataclass(frozen=True)
class Finding:
    check_id: str
    status: Status
    severity: Severity
    title: str
    detail: str
    evidence: Mapping[str, Any] = field(default_factory=dict)
    caps: tuple[GradeCap, ...] = ()  # from the verdict; scoring reads them, reports show them as deductions

    def as_dict(self) -> dict[str, Any]:
        return {
            "check_id": self.check_id,
            "status": self.status.value,
            "severity": self.severity.value,
            "title": self.title,
            "detail": self.detail,
            "evidence": dict(self.evidence),
        }


@dataclass(frozen=True)
class Deduction:
    """One readable line of the grade: what it cost, or which grade it capped at."""

    reason: str
    points: float = 0.0
    cap: str | None = None
    reason_de: str = ""  # German text, where the line comes from a check's cap

    def as_dict(self) -> dict[str, Any]:
        line = {"reason": self.reason, "points": self.points, "cap": self.cap}
        if self.reason_de:
            line["reason_de"] = self.reason_de
        return line


@dataclass
class TargetResult:
    target: Target
    addresses: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    grade: str | None = None
    score: int | None = None
    deductions: list[Deduction] = field(default_factory=list)
    duration_seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target.raw,
            "host": self.target.host,
            "port": self.target.port,
            "addresses": list(self.addresses),
            "grade": self.grade,
            "score": self.score,
            "deductions": [d.as_dict() for d in self.deductions],
            "findings": [f.as_dict() for f in self.findings],
        }

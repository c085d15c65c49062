"""Review-evidence providers: what an app can say about a checklist requirement, with its coverage.

An app that can suggest an answer to checklist points (scans, discovery, supply chain, legal …) registers an
:class:`EvidenceProvider` in ``registry.evidence_providers`` from its ``AppConfig.ready()``. The review only
iterates the registry: it never imports the apps behind it.

Every :class:`Suggestion` states its coverage first: *checked* (with its source, when, and a link to the
evidence), *could not check* (with the reason) or *not applicable*. Only a checked suggestion may suggest an
answer; "could not check" never passes, fails or moves the score. Texts (summary lines, problems, the reason)
are rendered by the provider in the reader's active language.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from vendorvet.engine import scoring_review
from vendorvet.web.core.registry import registry

CHECKED, COULD_NOT_CHECK, NOT_APPLICABLE = "checked", "could_not_check", "not_applicable"
STATES = (CHECKED, COULD_NOT_CHECK, NOT_APPLICABLE)
# provenance of a suggestion: verified by us (scan, spec, SBOM, document …) or only stated by the vendor
VERIFIED, VENDOR_STATED = "verified", scoring_review.VENDOR_STATED
PROVENANCES = (VERIFIED, VENDOR_STATED)
# registry.hooks: (assessment) -> {requirement id: basis} of the answers that rest on a vendor statement
HOOK_ANSWER_BASIS = "review.answer_basis"
# registry.hooks: (assessment) -> [(label, url)] — actions other apps offer on the review page (the assessments app
# imports no feature app; e.g. "Ask the vendor" from the questionnaires app)
HOOK_REVIEW_ACTIONS = "review.actions"


def review_actions(assessment) -> list[tuple[str, str]]:
    from vendorvet.web.core.registry import registry

    hook = registry.hooks.get(HOOK_REVIEW_ACTIONS)
    return list(hook(assessment)) if hook else []


@dataclass(frozen=True)
class Problem:
    """One thing the evidence found wrong (or could not run), in the reader's language."""

    text: str
    where: str = ""
    code: str = ""  # the check's id, shown as a reference the reader can look up in the check catalogue
    status: str = ""


@dataclass(frozen=True)
class Suggestion:
    provider: str  # the provider's registry key
    state: str  # checked | could_not_check | not_applicable
    source: Any = ""  # what verified it, for "verified by {source} on {date}": "scan", "SBOM", "document" …
    at: dt.datetime | dt.date | None = None
    link: str = ""  # URL of the evidence
    link_label: Any = ""
    suggested: str | None = None  # an answer value (only when checked)
    reason: Any = ""  # why it could not be checked / is not applicable
    lines: tuple = ()  # summary lines in the reader's language
    problems: tuple[Problem, ...] = ()
    counts: tuple[tuple[str, int], ...] = ()  # (status, n) of the checks behind it
    comment: Any = ""  # the comment "apply suggestion" writes
    facts: tuple = ()  # language-independent basis of the fingerprint (what was observed)
    checks_ran: int | None = None  # automated checks that ran / were cited (default: 1/1, 0/1, 0/0)
    checks_cited: int | None = None
    template: str = ""  # optional extra block (e.g. the SBOM facts or the granted scopes)
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    # "verified" by the provider's own evidence, or "vendor_stated": what the vendor says (a questionnaire
    # answer) — shown apart, never combined into the suggested answer and never counted as a check that ran
    provenance: str = VERIFIED

    def __post_init__(self):
        if self.state not in STATES:
            raise ValueError(f"state must be one of {STATES}, got {self.state!r}")
        if self.provenance not in PROVENANCES:
            raise ValueError(f"provenance must be one of {PROVENANCES}, got {self.provenance!r}")
        if self.suggested is not None and self.state != CHECKED:
            raise ValueError("only a checked suggestion may suggest an answer")
        if self.suggested is not None and self.suggested not in scoring_review.ANSWER_VALUES:
            raise ValueError(f"unknown answer {self.suggested!r}")

    @property
    def checked(self) -> bool:
        return self.state == CHECKED

    @property
    def could_not_check(self) -> bool:
        return self.state == COULD_NOT_CHECK

    @property
    def not_applicable(self) -> bool:
        return self.state == NOT_APPLICABLE

    @property
    def vendor_stated(self) -> bool:
        return self.provenance == VENDOR_STATED

    @property
    def verified(self) -> bool:
        return self.state == CHECKED and self.provenance == VERIFIED

    @property
    def ran(self) -> int:
        if self.checks_ran is not None:
            return self.checks_ran
        if self.vendor_stated:
            return 0
        return 1 if self.state == CHECKED else 0

    @property
    def cited(self) -> int:
        if self.checks_cited is not None:
            return self.checks_cited
        if self.vendor_stated:
            return 0
        return 0 if self.state == NOT_APPLICABLE else 1

    def basis(self) -> list:
        basis = [self.provider, self.state, self.suggested or "", _plain(self.facts)]
        return basis + [self.provenance] if self.vendor_stated else basis

    def seen(self) -> dict:
        """What the assessor saw, stored on the answer (texts as shown, in the answerer's language)."""
        return {"provider": self.provider, "state": self.state, "suggested": self.suggested or "",
                "provenance": self.provenance,
                "source": str(self.source or ""), "at": self.at.isoformat() if self.at else "",
                "reason": str(self.reason or ""), "lines": [str(x) for x in self.lines],
                "problems": [f"{p.text} ({p.where})" if p.where else str(p.text) for p in self.problems]}


def _plain(value):
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (int, float, bool)):
        return value
    return str(value)


@runtime_checkable
class EvidenceProvider(Protocol):
    """What an app registers in ``registry.evidence_providers``."""

    key: str
    label: Any
    order: int

    def requirement_ids(self) -> Iterable[str]:
        """The checklist requirement ids this provider can say something about."""

    def evidence(self, integration, requirement_ids: Iterable[str]) -> dict[str, Suggestion]:
        """One suggestion per requirement id it covers (of those asked for)."""


def providers() -> list:
    return registry.sorted(registry.evidence_providers)


def collect(integration, requirement_ids: Iterable[str]) -> dict[str, list[Suggestion]]:
    """Per requirement id: every provider's suggestion, in provider order."""
    wanted = {r for r in requirement_ids if r}
    out: dict[str, list[Suggestion]] = {}
    if integration is None or not wanted:
        return out
    for provider in providers():
        mine = wanted & set(provider.requirement_ids())
        if not mine:
            continue
        for requirement_id, suggestion in provider.evidence(integration, sorted(mine)).items():
            if requirement_id in mine and suggestion is not None:
                out.setdefault(requirement_id, []).append(suggestion)
    return out


def score_inputs(integration) -> list:
    """The score inputs (``engine.scoring_review.FindingInput``) every provider contributes."""
    inputs = []
    for provider in providers():
        contribute = getattr(provider, "score_inputs", None)
        if contribute is not None:
            inputs.extend(contribute(integration))
    return inputs


def fingerprint(suggestions: Iterable[Suggestion]) -> str:
    """A short, language-independent hash of what the evidence said; empty when there was none."""
    basis = sorted((s.basis() for s in suggestions), key=lambda b: json.dumps(b, sort_keys=True))
    if not basis:
        return ""
    return hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()[:32]


def combined_answer(suggestions: Iterable[Suggestion]) -> str | None:
    """The strictest answer the verified suggestions agree on (not met before partly met before met); what the
    vendor only states is never part of it."""
    answers = {s.suggested for s in suggestions if s.verified and s.suggested}
    for value in ("not_met", "partly_met", "met", "not_applicable"):
        if value in answers:
            return value
    return None


def coverage(by_requirement: dict[str, list[Suggestion]], unknown: Iterable[str] = ()) -> scoring_review.Coverage:
    """How many of the cited automated checks ran, and which requirements they could not cover."""
    ran = cited = 0
    not_covered = []
    for requirement_id, suggestions in sorted(by_requirement.items()):
        ran += sum(s.ran for s in suggestions)
        cited += sum(s.cited for s in suggestions)
        if suggestions and any(s.could_not_check for s in suggestions) and not any(s.verified for s in suggestions):
            not_covered.append(requirement_id)
    return scoring_review.Coverage(ran, cited, tuple(not_covered), tuple(sorted(set(unknown))))


def answer_bases(assessment) -> dict[str, str]:
    """{requirement id: basis} of the assessment's answers that rest on something other than verified evidence or
    the assessor's own judgement (``vendor_stated``), from the hook an app registers (the questionnaires)."""
    hook = registry.hooks.get(HOOK_ANSWER_BASIS)
    return dict(hook(assessment)) if hook is not None else {}

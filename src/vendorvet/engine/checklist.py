"""The vetting checklist (``content/checklist.yaml``) as typed, validated data.

Pure Python, no Django. :func:`load_checklist` reads the shipped content and the frameworks it
maps to (``content/frameworks.yaml``) and refuses — with a :class:`content.ContentError` naming
the requirement and the field — anything an assessment could trip over later: a missing German
or English text, a duplicate id, an unknown point, evidence type, condition or check id, a
mapping to a framework control that is not listed.

Depth rule: tier 1 is critical … tier 4 low. A requirement with ``max_tier: N`` is mandatory for
every integration whose tier number is ≤ N, so tier 1 answers everything and tier 4 only the
requirements marked ``max_tier: 4`` (the seed's "first points" for a low-risk tool). Requirements
with ``applies_when`` only apply when all those conditions hold for the integration.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Mapping as _AbcMapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NoReturn, Union

from vendorvet import content
from vendorvet.content import ContentError

LANGUAGES = ("de", "en")
TIERS = (1, 2, 3, 4)
NUMBERED_POINTS = tuple(range(1, 11))
LEGAL_POINT = "legal"

REQUIREMENT_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
CHECK_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
SIMPLE_ID = re.compile(r"^[a-z][a-z0-9_]*$")

# Check ids a requirement may cite: every check the engine registry discovers, plus those
# issue 4 defines that are not implemented yet (listed here so they stay visible).
PLANNED_CHECK_IDS: frozenset[str] = frozenset()


def known_check_ids() -> frozenset[str]:
    from vendorvet.engine import registry

    return frozenset(registry.catalogue()) | PLANNED_CHECK_IDS  # scan checks and OpenAPI audit rules alike


AUTOMATED_EVIDENCE = "automated_check"

REQUIREMENT_KEYS = {"id", "point", "max_tier", "text", "guidance", "evidence_types", "check_ids", "mappings"}
OPTIONAL_REQUIREMENT_KEYS = {"applies_when"}
FRAMEWORK_KEYS = {"short", "name", "version", "publisher", "url", "citation", "controls"}

PointKey = Union[int, str]


# --------------------------------------------------------------------------- data model


@dataclass(frozen=True)
class Control:
    id: str
    title: str


@dataclass(frozen=True)
class Framework:
    id: str
    short: str
    name: str
    version: str
    publisher: str
    url: str
    citation: str
    controls: dict[str, Control] = field(hash=False)

    def cite(self, control: str) -> str:
        return self.citation.format(control=control)


@dataclass(frozen=True)
class Mapping:
    """One requirement → framework control link, with the names needed to display it."""

    framework: str
    control: str
    framework_short: str = ""
    control_title: str = ""
    citation: str = ""

    @property
    def label(self) -> str:
        """E.g. ``GDPR Art. 28(3)(h)`` or ``ISO/IEC 27001:2022 A.5.19``."""
        return f"{self.framework_short} {self.citation}".strip()


@dataclass(frozen=True)
class Requirement:
    id: str
    point: PointKey
    text: dict[str, str] = field(hash=False)
    guidance: dict[str, str] = field(hash=False)
    evidence_types: tuple[str, ...]
    check_ids: tuple[str, ...]
    max_tier: int
    mappings: tuple[Mapping, ...]
    applies_when: frozenset[str] = frozenset()

    def required_for(self, tier: int) -> bool:
        """Mandatory at this tier (1 critical … 4 low): tier number ≤ ``max_tier``."""
        return _check_tier(tier) <= self.max_tier

    def applies(self, conditions: Iterable[str] | None) -> bool:
        """Whether the requirement applies given the integration's conditions (None: unknown, assume yes)."""
        if conditions is None:
            return True
        return self.applies_when <= set(conditions)

    def text_for(self, language: str) -> str:
        return self.text.get(language) or self.text["en"]

    def guidance_for(self, language: str) -> str:
        return self.guidance.get(language) or self.guidance["en"]

    def mappings_for(self, framework: str) -> tuple[str, ...]:
        return tuple(m.control for m in self.mappings if m.framework == framework)


@dataclass(frozen=True)
class Point:
    key: PointKey
    title: dict[str, str] = field(hash=False)
    requirements: tuple[Requirement, ...] = field(default_factory=tuple)

    @property
    def is_legal(self) -> bool:
        return self.key == LEGAL_POINT

    def title_for(self, language: str) -> str:
        return self.title.get(language) or self.title["en"]


@dataclass(frozen=True)
class Checklist:
    version: str
    sources: tuple[str, ...]
    points: tuple[Point, ...]
    requirements: tuple[Requirement, ...]
    evidence_types: dict[str, dict[str, str]] = field(hash=False)
    conditions: dict[str, dict[str, str]] = field(hash=False)
    frameworks: dict[str, Framework] = field(hash=False)

    def requirement(self, requirement_id: str) -> Requirement:
        for requirement in self.requirements:
            if requirement.id == requirement_id:
                return requirement
        raise KeyError(requirement_id)

    def point(self, key: PointKey) -> Point:
        for point in self.points:
            if point.key == key:
                return point
        raise KeyError(key)

    def requirements_for_tier(self, tier: int, conditions: Iterable[str] | None = None) -> tuple[Requirement, ...]:
        """The mandatory requirements for an integration of ``tier``, in checklist order.

        ``conditions`` (e.g. ``{"personal_data"}``) drops requirements whose ``applies_when`` is not
        met; ``None`` keeps them all (the facts are not known yet).
        """
        _check_tier(tier)
        chosen = set(conditions) if conditions is not None else None
        if chosen is not None and chosen - set(self.conditions):
            raise ValueError(f"unknown conditions {sorted(chosen - set(self.conditions))}; "
                             f"known: {sorted(self.conditions)}")
        return tuple(r for r in self.requirements if r.required_for(tier) and r.applies(chosen))

    def requirements_for_check(self, check_id: str) -> tuple[Requirement, ...]:
        """Requirements an automated finding of ``check_id`` provides evidence for."""
        return tuple(r for r in self.requirements if check_id in r.check_ids)


def _check_tier(tier: int) -> int:
    if isinstance(tier, bool) or not isinstance(tier, int) or tier not in TIERS:
        raise ValueError(f"tier must be one of {TIERS}, got {tier!r}")
    return tier


# --------------------------------------------------------------------------- validation helpers


def _fail(where: str, message: str) -> NoReturn:
    raise ContentError(f"checklist: {where}: {message}")


def _bilingual(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, _AbcMapping):
        _fail(where, f"must be a mapping with {' and '.join(LANGUAGES)} text")
    unknown = set(value) - set(LANGUAGES)
    if unknown:
        _fail(where, f"unknown language(s) {sorted(unknown)}; expected {list(LANGUAGES)}")
    for language in LANGUAGES:
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            _fail(where, f"missing {'German' if language == 'de' else 'English'} text ('{language}')")
    return {language: " ".join(value[language].split()) for language in LANGUAGES}


def _string_list(value: Any, where: str, *, allow_empty: bool = True) -> tuple[str, ...]:
    if value is None:
        value = []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        _fail(where, "must be a list of strings")
    if not allow_empty and not value:
        _fail(where, "must not be empty")
    duplicates = sorted({v for v in value if value.count(v) > 1})
    if duplicates:
        _fail(where, f"lists {duplicates} more than once")
    return tuple(value)


def _labelled_ids(value: Any, where: str) -> dict[str, dict[str, str]]:
    if not isinstance(value, _AbcMapping) or not value:
        _fail(where, "must be a non-empty mapping of id → {de, en}")
    result = {}
    for key, label in value.items():
        if not isinstance(key, str) or not SIMPLE_ID.match(key):
            _fail(where, f"id {key!r} must be lower-case letters, digits and underscores")
        result[key] = _bilingual(label, f"{where}.{key}")
    return result


def _sources(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    sources = _string_list(value, "source", allow_empty=False)
    for url in sources:
        if not url.startswith("https://"):
            _fail("source", f"{url!r} is not an https:// URL of a public text")
    return sources


# --------------------------------------------------------------------------- frameworks


def build_frameworks(data: _AbcMapping) -> dict[str, Framework]:
    """Validate a parsed ``frameworks.yaml`` document and return its frameworks by id."""
    entries = data.get("frameworks")
    if not isinstance(entries, _AbcMapping) or not entries:
        raise ContentError("frameworks: 'frameworks' must be a non-empty mapping")
    frameworks: dict[str, Framework] = {}
    for framework_id, entry in entries.items():
        where = f"frameworks.{framework_id}"
        if not isinstance(framework_id, str) or not SIMPLE_ID.match(framework_id):
            raise ContentError(f"{where}: id must be lower-case letters, digits and underscores")
        if not isinstance(entry, _AbcMapping):
            raise ContentError(f"{where}: must be a mapping")
        missing, unknown = FRAMEWORK_KEYS - set(entry), set(entry) - FRAMEWORK_KEYS
        if missing or unknown:
            raise ContentError(f"{where}: missing {sorted(missing)}, unknown {sorted(unknown)}")
        for key in ("short", "name", "version", "publisher", "url", "citation"):
            if not isinstance(entry[key], str) or not entry[key].strip():
                raise ContentError(f"{where}.{key}: must be a non-empty string")
        if not entry["url"].startswith("https://"):
            raise ContentError(f"{where}.url: must be an https:// URL")
        if "{control}" not in entry["citation"]:
            raise ContentError(f"{where}.citation: must contain '{{control}}'")
        controls = entry["controls"]
        if not isinstance(controls, _AbcMapping) or not controls:
            raise ContentError(f"{where}.controls: must be a non-empty mapping of id → title")
        parsed: dict[str, Control] = {}
        for control_id, title in controls.items():
            if not isinstance(control_id, str) or not control_id.strip():
                raise ContentError(f"{where}.controls: id {control_id!r} must be a quoted string")
            if not isinstance(title, str) or not title.strip():
                raise ContentError(f"{where}.controls.{control_id}: needs a short title")
            parsed[control_id] = Control(control_id, title.strip())
        frameworks[framework_id] = Framework(
            id=framework_id, short=entry["short"], name=entry["name"], version=str(entry["version"]), publisher=entry["publisher"],
            url=entry["url"], citation=entry["citation"], controls=parsed,
        )
    return frameworks


# --------------------------------------------------------------------------- checklist


def _point_key(value: Any, where: str) -> PointKey:
    if value == LEGAL_POINT:
        return LEGAL_POINT
    if isinstance(value, bool) or not isinstance(value, int) or value not in NUMBERED_POINTS:
        _fail(where, f"point must be 1–10 or '{LEGAL_POINT}', got {value!r}")
    return value


def _points(value: Any) -> dict[PointKey, dict[str, str]]:
    if not isinstance(value, list) or not value:
        _fail("points", "must be a non-empty list")
    points: dict[PointKey, dict[str, str]] = {}
    for index, entry in enumerate(value):
        if not isinstance(entry, _AbcMapping) or set(entry) != {"id", "title"}:
            _fail(f"points[{index}]", "must have exactly 'id' and 'title'")
        key = _point_key(entry["id"], f"points[{index}]")
        if key in points:
            _fail(f"points[{index}]", f"point {key!r} is defined twice")
        points[key] = _bilingual(entry["title"], f"point {key}.title")
    return points


def _mappings(value: Any, where: str, frameworks: dict[str, Framework]) -> tuple[Mapping, ...]:
    if value is None:
        value = {}
    if not isinstance(value, _AbcMapping):
        _fail(where, "must be a mapping of framework id → list of control ids")
    result: list[Mapping] = []
    for framework_id, controls in value.items():
        framework = frameworks.get(framework_id)
        if framework is None:
            _fail(where, f"unknown framework {framework_id!r}; known: {sorted(frameworks)}")
        for control in _string_list(controls, f"{where}.{framework_id}", allow_empty=False):
            found = framework.controls.get(control)
            if found is None:
                _fail(where, f"{framework.name}: unknown control {control!r} (not listed in frameworks.yaml)")
            result.append(Mapping(framework_id, control, framework.short, found.title, framework.cite(control)))
    return tuple(result)


def _requirement(entry: Any, index: int, *, points: dict, evidence_types: dict, conditions: dict,
                 frameworks: dict[str, Framework], check_ids: frozenset[str]) -> Requirement:
    if not isinstance(entry, _AbcMapping):
        _fail(f"requirements[{index}]", "must be a mapping")
    requirement_id = entry.get("id")
    if not isinstance(requirement_id, str) or not REQUIREMENT_ID.match(requirement_id):
        _fail(f"requirements[{index}]", f"id {requirement_id!r} must look like 'area.topic' (lower case, dotted)")
    where = f"requirement {requirement_id}"
    missing = REQUIREMENT_KEYS - set(entry)
    unknown = set(entry) - REQUIREMENT_KEYS - OPTIONAL_REQUIREMENT_KEYS
    if missing:
        _fail(where, f"missing field(s) {sorted(missing)}")
    if unknown:
        _fail(where, f"unknown field(s) {sorted(unknown)}")

    point = _point_key(entry["point"], where)
    if point not in points:
        _fail(where, f"point {point!r} is not defined under 'points'")
    max_tier = entry["max_tier"]
    if isinstance(max_tier, bool) or max_tier not in TIERS:
        _fail(where, f"max_tier must be one of {TIERS}, got {max_tier!r}")

    evidence = _string_list(entry["evidence_types"], f"{where}.evidence_types", allow_empty=False)
    for evidence_type in evidence:
        if evidence_type not in evidence_types:
            _fail(where, f"unknown evidence type {evidence_type!r}; known: {sorted(evidence_types)}")

    checks = _string_list(entry["check_ids"], f"{where}.check_ids")
    for check_id in checks:
        if not CHECK_ID.match(check_id):
            _fail(where, f"check id {check_id!r} is not a dotted lower-case id like 'tls.protocol.tls13'")
        if check_id not in check_ids:
            _fail(where, f"unknown check id {check_id!r} (no such automated check)")
    if checks and AUTOMATED_EVIDENCE not in evidence:
        _fail(where, f"cites automated checks but does not list '{AUTOMATED_EVIDENCE}' among its evidence types")

    applies_when = _string_list(entry.get("applies_when"), f"{where}.applies_when")
    for condition in applies_when:
        if condition not in conditions:
            _fail(where, f"unknown condition {condition!r}; known: {sorted(conditions)}")

    return Requirement(
        id=requirement_id, point=point,
        text=_bilingual(entry["text"], f"{where}.text"),
        guidance=_bilingual(entry["guidance"], f"{where}.guidance"),
        evidence_types=evidence, check_ids=checks, max_tier=int(max_tier),
        mappings=_mappings(entry["mappings"], f"{where}.mappings", frameworks),
        applies_when=frozenset(applies_when),
    )


def build_checklist(data: _AbcMapping, frameworks: dict[str, Framework],
                    check_ids: Iterable[str] | None = None) -> Checklist:
    """Validate a parsed ``checklist.yaml`` document (see :func:`content.parse`) against ``frameworks``."""
    known_checks = frozenset(check_ids) if check_ids is not None else known_check_ids()
    if not str(data.get("version") or "").strip():
        _fail("version", "is required")
    sources = _sources(data.get("source"))
    points = _points(data.get("points"))
    evidence_types = _labelled_ids(data.get("evidence_types"), "evidence_types")
    conditions = {} if data.get("conditions") is None else _labelled_ids(data["conditions"], "conditions")

    entries = data.get("requirements")
    if not isinstance(entries, list) or not entries:
        _fail("requirements", "must be a non-empty list")
    requirements: list[Requirement] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        requirement = _requirement(entry, index, points=points, evidence_types=evidence_types,
                                   conditions=conditions, frameworks=frameworks, check_ids=known_checks)
        if requirement.id in seen:
            _fail(f"requirement {requirement.id}", "duplicate id")
        seen.add(requirement.id)
        requirements.append(requirement)

    empty = [key for key in points if not any(r.point == key for r in requirements)]
    if empty:
        _fail("points", f"point(s) {empty} have no requirements")

    ordered = sorted(requirements, key=lambda r: _point_order(r.point))  # stable: file order within a point
    point_objects = tuple(
        Point(key, title, tuple(r for r in ordered if r.point == key))
        for key, title in sorted(points.items(), key=lambda item: _point_order(item[0]))
    )
    return Checklist(
        version=str(data["version"]), sources=sources, points=point_objects, requirements=tuple(ordered),
        evidence_types=evidence_types, conditions=conditions, frameworks=dict(frameworks),
    )


def _point_order(key: PointKey) -> int:
    return len(NUMBERED_POINTS) + 1 if key == LEGAL_POINT else int(key)


def load_frameworks() -> dict[str, Framework]:
    return build_frameworks(content.load("frameworks"))


@lru_cache(maxsize=1)
def load_checklist() -> Checklist:
    """The shipped checklist, validated against the shipped frameworks (cached)."""
    return build_checklist(content.load("checklist"), load_frameworks())


def requirements_for_tier(tier: int, conditions: Iterable[str] | None = None) -> tuple[Requirement, ...]:
    """Mandatory requirements of the shipped checklist for an integration of ``tier``."""
    return load_checklist().requirements_for_tier(tier, conditions)

"""What an SBOM check actually covered: never "0 known vulnerabilities" when nothing was checked.

Every component falls in exactly one class:

- *checked*: a usable package URL with a version, in an ecosystem that has records in the OSV database;
- *not checked*: usable, but the database holds no records for its ecosystem (or the package type has no
  OSV ecosystem at all) — the absence of findings says nothing;
- *not checkable*: no usable package URL, or no version — listed with the reason, never dropped.

The SBOM's status is ``checked`` (every component checked), ``not_checked`` (none) or ``partial``.
Reasons are codes (the web app translates them); ``reason_text`` gives the English sentence for the CLI.
"""

from __future__ import annotations

import dataclasses
from typing import Iterable

from vendorvet.engine.supplychain.match import PURL_ECOSYSTEMS, parse_purl

CHECKED, PARTIAL, NOT_CHECKED = "checked", "partial", "not_checked"

REASONS = {
    "no_purl": "no package URL",
    "bad_purl": "the package URL cannot be read",
    "no_version": "no version",
    "unknown_type": "no vulnerability data source for package type {detail}",
    "no_records": "no vulnerability data for {detail}",
}


def reason_text(code: str, detail: str = "") -> str:
    return REASONS.get(code, code).format(detail=detail)


@dataclasses.dataclass
class Coverage:
    status: str
    components: int  # every component read with a usable package URL
    checked: int
    not_checked: list[dict]  # {"purl", "reason", "code", "detail"}
    not_checkable: list[dict]  # {"name", "version", "reason", "code"}
    missing_ecosystems: list[str]  # ecosystems (or package types) without data, sorted
    total: int = 0  # every component, with or without a usable package URL

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "components": self.components,
            "not_checked": [{"purl": n["purl"], "reason": n["reason"]} for n in self.not_checked],
            "not_checkable": [{"name": n["name"], "version": n["version"], "reason": n["reason"]}
                              for n in self.not_checkable],
        }


def _purl_type(purl: str) -> str:
    return purl[4:].split("/", 1)[0].lower() if purl.startswith("pkg:") else ""


def assess(components: Iterable[tuple[str, str, str]], unusable: Iterable[tuple[str, str, str]],
           ecosystems: dict[str, int] | Iterable[str], refs: dict | None = None) -> Coverage:
    """``components``: (purl, name, version) with a usable purl; ``unusable``: (name, version, reason code);
    ``ecosystems``: the database's ecosystems with records (base names such as "Maven", "PyPI");
    ``refs``: purl -> parsed PackageRef (or None) where already parsed (saves parsing twice)."""
    with_data = {e.split(":", 1)[0] for e in ecosystems}
    checked, n_usable = 0, 0
    not_checked: list[dict] = []
    not_checkable = [{"name": n, "version": v, "code": code, "reason": reason_text(code)}
                     for n, v, code in unusable]
    without_purl = len(not_checkable)
    missing: set[str] = set()
    parsed = refs or {}
    for purl, name, version in components:
        n_usable += 1
        ref = parsed[purl] if purl in parsed else parse_purl(purl)
        if ref is None:
            not_checkable.append({"name": name, "version": version, "code": "bad_purl",
                                  "reason": reason_text("bad_purl")})
            continue
        if not ref.version:
            not_checkable.append({"name": name or ref.name, "version": version, "code": "no_version",
                                  "reason": reason_text("no_version")})
            continue
        if ref.ecosystem is None:
            detail = _purl_type(purl)
            code = "unknown_type"
        elif ref.ecosystem not in with_data:
            detail, code = ref.ecosystem, "no_records"
        else:
            checked += 1
            continue
        missing.add(detail)
        not_checked.append({"purl": purl, "code": code, "detail": detail, "reason": reason_text(code, detail)})
    if checked and not not_checked and not not_checkable:
        status = CHECKED
    elif checked:
        status = PARTIAL
    else:
        status = NOT_CHECKED
    return Coverage(status=status, components=n_usable, checked=checked, not_checked=not_checked,
                    not_checkable=not_checkable, missing_ecosystems=sorted(missing),
                    total=n_usable + without_purl)


def check(doc, store) -> dict:
    """The ``vendorvet sbom check --format json`` contract for a parsed SBOM (nothing stored):
    status, components, not_checked, not_checkable, database {records, ecosystems, imported_at},
    vulnerabilities."""
    from vendorvet.engine.supplychain.match import match_component

    status = store.status()
    refs = {c.purl: parse_purl(c.purl) for c in doc.components}  # parsed once for matching and coverage
    findings = [f for ref in refs.values() if ref is not None for f in match_component(store, ref)]
    cov = assess(((c.purl, c.name, c.version) for c in doc.components), doc.unusable, status["ecosystems"],
                 refs=refs)
    return {**cov.as_dict(),
            "database": {"records": status["records"], "ecosystems": status["ecosystems"],
                         "imported_at": status.get("imported_at")},
            "vulnerabilities": [f.as_dict() for f in findings]}


def known_ecosystems() -> list[str]:
    """The OSV ecosystems a package URL can name (for messages)."""
    return sorted(set(PURL_ECOSYSTEMS.values()))

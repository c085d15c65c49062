"""Match SBOM components against the OSV index; merge aliases into one finding."""

from __future__ import annotations

import dataclasses
from typing import Iterable

from vendorvet.engine.supplychain import osv

# purl type -> OSV ecosystem (https://ossf.github.io/osv-schema/#affectedpackage-field)
PURL_ECOSYSTEMS = {
    "pypi": "PyPI", "npm": "npm", "maven": "Maven", "golang": "Go", "cargo": "crates.io",
    "nuget": "NuGet", "gem": "RubyGems", "composer": "Packagist", "hex": "Hex", "pub": "Pub",
}
ID_PREFERENCE = ("GHSA-", "PYSEC-", "GO-", "RUSTSEC-", "CVE-")


@dataclasses.dataclass(frozen=True)
class PackageRef:
    purl: str
    ecosystem: str | None
    name: str
    version: str


def parse_purl(purl: str) -> PackageRef | None:
    """Ecosystem, OSV package name and version from a package URL (None if not a purl)."""
    from packageurl import PackageURL

    try:
        p = PackageURL.from_string(purl)
    except ValueError:
        return None
    eco = PURL_ECOSYSTEMS.get(p.type)
    if p.type == "maven":
        name = f"{p.namespace}:{p.name}" if p.namespace else p.name
    elif p.type in ("npm", "golang", "composer"):
        name = f"{p.namespace}/{p.name}" if p.namespace else p.name
    else:
        name = p.name
    return PackageRef(purl=purl, ecosystem=eco, name=name, version=p.version or "")


@dataclasses.dataclass
class Finding:
    purl: str
    id: str
    aliases: list[str]
    severity: str
    cvss: float | None
    cvss_vector: str
    fixed_versions: list[str]
    summary: str = ""

    @property
    def first_fixed(self) -> str:
        return self.fixed_versions[0] if self.fixed_versions else ""

    def as_dict(self) -> dict:
        return {"purl": self.purl, "id": self.id, "aliases": self.aliases, "severity": self.severity,
                "cvss": self.cvss, "fixed_versions": self.fixed_versions}


def _matches(record: dict, ref: PackageRef) -> list[dict]:
    hits = []
    key = osv.normalize_name(ref.ecosystem, ref.name)
    for aff in record.get("affected") or []:
        pkg = aff.get("package") or {}
        eco = (pkg.get("ecosystem") or "").split(":", 1)[0]
        if eco != ref.ecosystem or osv.normalize_name(eco, pkg.get("name") or "") != key:
            continue
        if osv.affects(aff, ref.version, ref.ecosystem):
            hits.append(aff)
    return hits


def _primary(ids: set[str]) -> str:
    for prefix in ID_PREFERENCE:
        found = sorted(i for i in ids if i.startswith(prefix))
        if found:
            return found[0]
    return sorted(ids)[0]


def _fixed_after(ecosystem: str, version: str, fixed: list[str]) -> list[str]:
    from vendorvet.engine.supplychain import versions as V

    def key(v):
        try:
            return (0, V.sort_key(ecosystem, v))
        except V.InvalidVersion:
            return None

    good = [(key(f), f) for f in fixed]
    ordered = sorted((k, f) for k, f in good if k is not None)
    try:
        current = V.sort_key(ecosystem, version)
        ordered = [(k, f) for k, f in ordered if k[1] > current]
    except V.InvalidVersion:
        pass
    return [f for _, f in ordered] + [f for k, f in good if k is None]


def match_component(store, ref: PackageRef) -> list[Finding]:
    """Findings for one component, one per vulnerability (aliased records merged)."""
    if not ref.ecosystem or not ref.version:
        return []
    hits: list[tuple[dict, list[dict]]] = []
    for record in store.candidates(ref.ecosystem, ref.name):
        affs = _matches(record, ref)
        if affs:
            hits.append((record, affs))
    if not hits:
        return []
    # Union-find over shared ids/aliases.
    groups: list[tuple[set[str], list[tuple[dict, list[dict]]]]] = []
    for record, affs in hits:
        names = {record["id"], *(record.get("aliases") or [])}
        merged_names, merged_items = set(names), [(record, affs)]
        rest = []
        for gnames, gitems in groups:
            if gnames & merged_names:
                merged_names |= gnames
                merged_items += gitems
            else:
                rest.append((gnames, gitems))
        groups = rest + [(merged_names, merged_items)]
    findings = []
    for names, items in groups:
        record_ids = {r["id"] for r, _ in items}
        primary = _primary(record_ids)
        best = max((osv.record_severity(r) for r, _ in items),
                   key=lambda s: (s.score if s.score is not None else -1,
                                  osv.SEVERITY_ORDER.index(s.label) if s.label in osv.SEVERITY_ORDER else -1))
        fixed: list[str] = []
        for _, affs in items:
            for aff in affs:
                fixed.extend(f for f in osv.fixed_versions(aff) if f not in fixed)
        summary = next((r.get("summary") for r, _ in items if r["id"] == primary and r.get("summary")), "")
        findings.append(Finding(purl=ref.purl, id=primary, aliases=sorted(names - {primary}),
                                severity=best.label, cvss=best.score, cvss_vector=best.vector,
                                fixed_versions=_fixed_after(ref.ecosystem, ref.version, fixed),
                                summary=summary or ""))
    return sorted(findings, key=lambda f: f.id)


def match_all(store, purls: Iterable[str]) -> list[Finding]:
    out: list[Finding] = []
    for purl in purls:
        ref = parse_purl(purl)
        if ref is not None:
            out.extend(match_component(store, ref))
    return out

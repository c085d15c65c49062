"""SBOM parsing: CycloneDX 1.4–1.6 (JSON, XML) and SPDX 2.2/2.3 (JSON, tag-value).

Components are keyed by package URL (purl); licences are recorded. Input is treated as
hostile: a size cap, no DTDs or entities in XML (defusedxml), a nesting-depth cap, and
every failure is a ``SbomError`` with a clear message — callers store nothing then.
"""

from __future__ import annotations

import dataclasses
import json
import re

MAX_BYTES = 100 * 1024 * 1024
MAX_DEPTH = 64
MAX_COMPONENTS = 200_000
CDX_VERSIONS = ("1.4", "1.5", "1.6")
SPDX_VERSIONS = ("SPDX-2.2", "SPDX-2.3")


class SbomError(ValueError):
    """The document is not an SBOM we accept; the message says why."""


@dataclasses.dataclass
class Component:
    purl: str
    name: str
    version: str
    licenses: list[str]
    path: str = ""  # parent components, "a > b", for nested CycloneDX components


@dataclasses.dataclass
class Sbom:
    format: str  # cyclonedx-json, cyclonedx-xml, spdx-json, spdx-tv
    spec_version: str
    name: str
    components: list[Component]
    without_purl: int = 0


def _check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise SbomError(f"the SBOM is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if not data.strip():
        raise SbomError("the file is empty")


def _json_depth_ok(text: str) -> None:
    """Reject deep nesting before json.loads (which would recurse)."""
    depth = 0
    in_str = esc = False
    for ch in text:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise SbomError(f"the JSON is nested deeper than {MAX_DEPTH} levels")
        elif ch in "]}":
            depth -= 1


def parse(data: bytes, filename: str = "") -> Sbom:
    """Detect the format and parse; raises ``SbomError``."""
    _check_size(data)
    head = data.lstrip()[:1]
    if head in (b"{", b"["):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SbomError("the JSON is not UTF-8") from None
        if len(text) < 2_000_000 or re.search(r"[\[{]\s*[\[{]\s*[\[{]\s*[\[{]", text[:4096]):
            _json_depth_ok(text)
        try:
            doc = json.loads(text)
        except RecursionError:
            raise SbomError(f"the JSON is nested deeper than {MAX_DEPTH} levels") from None
        except ValueError as exc:
            raise SbomError(f"not valid JSON: {exc}") from None
        if isinstance(doc, dict) and doc.get("bomFormat") == "CycloneDX":
            return _cdx_json(doc)
        if isinstance(doc, dict) and "spdxVersion" in doc:
            return _spdx_json(doc)
        raise SbomError("JSON that is neither CycloneDX (bomFormat) nor SPDX (spdxVersion)")
    if head == b"<":
        return _cdx_xml(data)
    text = data.decode("utf-8", errors="replace")
    if re.search(r"^SPDXVersion:", text, re.M):
        return _spdx_tv(text)
    raise SbomError("unknown SBOM format: expected CycloneDX JSON/XML or SPDX JSON/tag-value")


def _dedupe(components: list[Component]) -> list[Component]:
    seen: dict[str, Component] = {}
    for c in components:
        if c.purl not in seen:
            seen[c.purl] = c
        else:
            for lic in c.licenses:
                if lic not in seen[c.purl].licenses:
                    seen[c.purl].licenses.append(lic)
    if len(seen) > MAX_COMPONENTS:
        raise SbomError(f"more than {MAX_COMPONENTS} components")
    return list(seen.values())


# -- CycloneDX JSON ------------------------------------------------------------------
def _cdx_licenses(entries) -> list[str]:
    out = []
    for entry in entries or []:
        if not isinstance(entry, dict):
            continue
        if entry.get("expression"):
            out.append(str(entry["expression"]))
        lic = entry.get("license") or {}
        if isinstance(lic, dict) and (lic.get("id") or lic.get("name")):
            out.append(str(lic.get("id") or lic.get("name")))
    return out


def _cdx_json(doc: dict) -> Sbom:
    spec = str(doc.get("specVersion", ""))
    if spec not in CDX_VERSIONS:
        raise SbomError(f"CycloneDX {spec or '(no specVersion)'} is not supported (1.4–1.6)")
    comps: list[Component] = []
    missing = 0
    stack = [(c, "") for c in reversed(doc.get("components") or []) if isinstance(c, dict)]
    while stack:
        c, path = stack.pop()
        name = str(c.get("name", ""))
        purl = c.get("purl")
        if isinstance(purl, str) and purl.startswith("pkg:"):
            comps.append(Component(purl, name, str(c.get("version", "")), _cdx_licenses(c.get("licenses")), path))
        else:
            missing += 1
        child_path = f"{path} > {name}" if path else name
        stack.extend((cc, child_path) for cc in reversed(c.get("components") or []) if isinstance(cc, dict))
    meta = (doc.get("metadata") or {}).get("component") or {}
    return Sbom("cyclonedx-json", spec, str(meta.get("name", "")) if isinstance(meta, dict) else "",
                _dedupe(comps), missing)


# -- CycloneDX XML -------------------------------------------------------------------
def _cdx_xml(data: bytes) -> Sbom:
    from xml.etree.ElementTree import ParseError

    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    try:
        root = DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise SbomError("the XML declares a DTD or entities, which are refused (entity expansion)") from None
    except ParseError as exc:
        raise SbomError(f"not well-formed XML: {exc}") from None
    m = re.match(r"\{http://cyclonedx\.org/schema/bom/(\d\.\d)\}bom$", root.tag)
    if not m:
        raise SbomError("XML that is not a CycloneDX bom")
    spec = m.group(1)
    if spec not in CDX_VERSIONS:
        raise SbomError(f"CycloneDX {spec} is not supported (1.4–1.6)")
    ns = {"c": f"http://cyclonedx.org/schema/bom/{spec}"}
    comps: list[Component] = []
    missing = 0
    top = root.find("c:components", ns)
    stack = [(c, "", 1) for c in reversed(list(top.findall("c:component", ns)))] if top is not None else []
    while stack:
        c, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise SbomError(f"components are nested deeper than {MAX_DEPTH} levels")
        name = c.findtext("c:name", "", ns)
        purl = (c.findtext("c:purl", "", ns) or "").strip()
        lics = []
        for lic in c.findall("c:licenses/c:license", ns):
            val = lic.findtext("c:id", "", ns) or lic.findtext("c:name", "", ns)
            if val:
                lics.append(val.strip())
        lics.extend(e.text.strip() for e in c.findall("c:licenses/c:expression", ns) if e.text)
        if purl.startswith("pkg:"):
            comps.append(Component(purl, name, c.findtext("c:version", "", ns), lics, path))
        else:
            missing += 1
        sub = c.find("c:components", ns)
        if sub is not None:
            child_path = f"{path} > {name}" if path else name
            stack.extend((cc, child_path, depth + 1) for cc in reversed(list(sub.findall("c:component", ns))))
    meta_name = root.findtext("c:metadata/c:component/c:name", "", ns)
    return Sbom("cyclonedx-xml", spec, meta_name, _dedupe(comps), missing)


# -- SPDX ----------------------------------------------------------------------------
def _spdx_license(value) -> list[str]:
    value = str(value or "").strip()
    return [] if value in ("", "NOASSERTION", "NONE") else [value]


def _spdx_json(doc: dict) -> Sbom:
    spec = str(doc.get("spdxVersion", ""))
    if spec not in SPDX_VERSIONS:
        raise SbomError(f"{spec or 'SPDX (no version)'} is not supported (SPDX-2.2, SPDX-2.3)")
    comps, missing = [], 0
    for pkg in doc.get("packages") or []:
        if not isinstance(pkg, dict):
            continue
        purls = [r.get("referenceLocator") for r in pkg.get("externalRefs") or []
                 if isinstance(r, dict) and r.get("referenceType") == "purl"]
        if not purls or not str(purls[0]).startswith("pkg:"):
            missing += 1
            continue
        lics = _spdx_license(pkg.get("licenseConcluded")) or _spdx_license(pkg.get("licenseDeclared"))
        comps.append(Component(str(purls[0]), str(pkg.get("name", "")), str(pkg.get("versionInfo", "")), lics))
    return Sbom("spdx-json", spec, str(doc.get("name", "")), _dedupe(comps), missing)


def _spdx_tv(text: str) -> Sbom:
    spec = ""
    doc_name = ""
    comps, missing = [], 0
    current: dict | None = None

    def close(pkg):
        nonlocal missing
        if pkg is None:
            return
        if pkg.get("purl", "").startswith("pkg:"):
            lics = _spdx_license(pkg.get("concluded")) or _spdx_license(pkg.get("declared"))
            comps.append(Component(pkg["purl"], pkg.get("name", ""), pkg.get("version", ""), lics))
        else:
            missing += 1

    in_text = False
    for line in text.splitlines():
        if in_text:
            if "</text>" in line:
                in_text = False
            continue
        if not line.strip() or line.startswith("#") or ":" not in line:
            continue
        tag, _, value = line.partition(":")
        value = value.strip()
        if value.startswith("<text>") and "</text>" not in value:
            in_text = True
            continue
        tag = tag.strip()
        if tag == "SPDXVersion":
            spec = value
        elif tag == "DocumentName":
            doc_name = value
        elif tag == "PackageName":
            close(current)
            current = {"name": value}
        elif current is not None:
            if tag == "PackageVersion":
                current["version"] = value
            elif tag == "PackageLicenseConcluded":
                current["concluded"] = value
            elif tag == "PackageLicenseDeclared":
                current["declared"] = value
            elif tag == "ExternalRef":
                parts = value.split()
                if len(parts) >= 3 and parts[1] == "purl" and "purl" not in current:
                    current["purl"] = parts[2]
            elif tag in ("FileName", "SnippetSPDXID"):
                close(current)
                current = None
    close(current)
    if spec not in SPDX_VERSIONS:
        raise SbomError(f"{spec or 'SPDX (no version)'} is not supported (SPDX-2.2, SPDX-2.3)")
    return Sbom("spdx-tv", spec, doc_name, _dedupe(comps), missing)

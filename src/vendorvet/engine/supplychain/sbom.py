"""SBOM parsing: CycloneDX 1.4–1.6 (JSON, XML) and SPDX 2.2/2.3 (JSON, tag-value).

The documents are read by the formats' own libraries — ``cyclonedx-python-lib`` for
CycloneDX, ``spdx-tools`` for SPDX — behind our hostile-input guard: a size cap, a JSON
nesting-depth cap, a component-count cap, and XML parsed by defusedxml (DTDs, entities
and external references refused) before the library sees the element tree. Every
failure, ours or the library's, is a ``SbomError`` with a readable reason; callers store
nothing then. Components are keyed by package URL (purl, canonicalised by
``packageurl``); licences are recorded; nested CycloneDX components carry their path.

Deviations from "the library reads everything", each tested:

- CycloneDX's schema types ``purl`` as a plain string, but cyclonedx-python-lib rejects
  the whole document when one purl does not parse. Such a component is read again by the
  library without its purl and counted as "without package URL" (as any component
  without one), instead of refusing a schema-valid SBOM.
- spdx-tools 0.8's tag-value parser builds a new SPDX licence index for every licence
  value (about 0.1 s each: 8 minutes for 5,000 packages). ``_TagValueParser`` overrides
  that one grammar action to use spdx-tools' shared index, as its JSON parser does.
- CycloneDX components are handed to the library one by one (``Component.from_*``), not
  as one ``Bom``: ``Bom`` keeps components in a sorted set whose comparisons made 5,000
  components take ~4 s, and it loses the document order.
"""

from __future__ import annotations

import dataclasses
import re

from vendorvet.engine import jsondepth

MAX_BYTES = 100 * 1024 * 1024
MAX_DEPTH = 64
MAX_COMPONENTS = 200_000
CDX_VERSIONS = ("1.4", "1.5", "1.6")
SPDX_VERSIONS = ("SPDX-2.2", "SPDX-2.3")
CDX_NS = re.compile(r"\{(http://cyclonedx\.org/schema/bom/(\d\.\d))\}bom$")
# What the library reads of the CycloneDX document besides the components: the header and metadata.
# Sections we do not use (services, dependencies, vulnerabilities, formulation, …) are not handed to it,
# so a problem there cannot refuse an SBOM whose components are fine.
CDX_SHELL = ("bomFormat", "specVersion", "serialNumber", "version", "metadata")


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
    # components that cannot be checked, kept (never dropped silently): (name, version, reason code)
    unusable: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)


def _check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise SbomError(f"the SBOM is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if not data.strip():
        raise SbomError("the file is empty")


def _cap(n: int) -> None:
    if n > MAX_COMPONENTS:
        raise SbomError(f"more than {MAX_COMPONENTS} components")


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]


def parse(data: bytes, filename: str = "") -> Sbom:
    """Detect the format and parse; raises ``SbomError``."""
    _check_size(data)
    head = data.lstrip()[:1]
    if head in (b"{", b"["):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SbomError("the JSON is not UTF-8") from None
        try:
            doc = jsondepth.loads(text, MAX_DEPTH)
        except jsondepth.TooDeeplyNested as exc:
            raise SbomError(str(exc)) from None
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


def _canonical_purl(value) -> str | None:
    """The canonical form of a package URL, or None if it is not one."""
    from packageurl import PackageURL

    if value is None:
        return None
    try:
        return PackageURL.from_string(str(value).strip()).to_string()
    except ValueError:
        return None


def _dedupe(components: list[Component]) -> list[Component]:
    seen: dict[str, Component] = {}
    for c in components:
        if c.purl not in seen:
            seen[c.purl] = c
        else:
            for lic in c.licenses:
                if lic not in seen[c.purl].licenses:
                    seen[c.purl].licenses.append(lic)
    _cap(len(seen))
    return list(seen.values())


# -- CycloneDX (cyclonedx-python-lib) --------------------------------------------------
def _cdx_licenses(component) -> list[str]:
    out = []
    for lic in component.licenses:
        value = getattr(lic, "id", None) or getattr(lic, "name", None) or getattr(lic, "value", None)
        if value:
            out.append(str(value))
    return out


def _cdx_walk(top_level, fmt: str, spec: str, name: str) -> Sbom:
    """Flatten library ``Component`` trees into our components (iterative: no recursion)."""
    comps: list[Component] = []
    unusable: list[tuple[str, str, str]] = []
    missing = 0
    stack = [(c, "", 1) for c in reversed(top_level)]
    while stack:
        c, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise SbomError(f"components are nested deeper than {MAX_DEPTH} levels")
        purl = str(c.purl) if c.purl is not None else None
        if purl:
            comps.append(Component(purl, c.name or "", c.version or "", _cdx_licenses(c), path))
        else:
            missing += 1
            unusable.append((c.name or "", c.version or "", "no_purl"))
        children = list(c.components)
        if children:
            child_path = f"{path} > {c.name}" if path else c.name
            stack.extend((cc, child_path, depth + 1) for cc in reversed(children))
    return Sbom(fmt, spec, name, _dedupe(comps), missing, unusable)


def _cdx_component(read, raw, index: int, strip_purl):
    """One top-level component through the library; a purl it cannot parse is dropped."""
    try:
        return read(raw)
    except Exception as exc:  # the library raises many types; all become SbomError
        retry = strip_purl(raw)
        if retry is not None:
            try:
                return read(retry)
            except Exception:
                pass
        raise SbomError(f"CycloneDX component {index + 1} cannot be read: {_short(exc)}") from None


def _count_nested(items, key: str) -> int:
    total, stack = 0, list(items)
    while stack:
        item = stack.pop()
        total += 1
        if isinstance(item, dict) and isinstance(item.get(key), list):
            stack.extend(item[key])
        if total > MAX_COMPONENTS:
            break
    return total


def _cdx_json(doc: dict) -> Sbom:
    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import Component as CdxComponent

    spec = str(doc.get("specVersion", ""))
    if spec not in CDX_VERSIONS:
        raise SbomError(f"CycloneDX {spec or '(no specVersion)'} is not supported (1.4–1.6)")
    raw = doc.get("components") or []
    if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
        raise SbomError("CycloneDX 'components' must be a list of objects")
    _cap(_count_nested(raw, "components"))
    shell = {k: doc[k] for k in CDX_SHELL if k in doc}
    try:
        bom = Bom.from_json(shell)
    except Exception as exc:
        raise SbomError(f"the CycloneDX document cannot be read: {_short(exc)}") from None

    def strip_purl(c: dict) -> dict | None:
        """A copy without the unparseable purls (also in nested components), or None."""
        changed = False

        def clean(node: dict) -> dict:
            nonlocal changed
            node = dict(node)
            if "purl" in node and _canonical_purl(node["purl"]) is None:
                del node["purl"]
                changed = True
            if isinstance(node.get("components"), list):
                node["components"] = [clean(n) if isinstance(n, dict) else n for n in node["components"]]
            return node

        cleaned = clean(c)
        return cleaned if changed else None

    top = [_cdx_component(CdxComponent.from_json, c, i, strip_purl) for i, c in enumerate(raw)]
    meta = bom.metadata.component
    return _cdx_walk(top, "cyclonedx-json", spec, (meta.name or "") if meta is not None else "")


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
    m = CDX_NS.match(root.tag)
    if not m:
        raise SbomError("XML that is not a CycloneDX bom")
    ns, spec = m.group(1), m.group(2)
    if spec not in CDX_VERSIONS:
        raise SbomError(f"CycloneDX {spec} is not supported (1.4–1.6)")
    comp_tag, comps_tag = f"{{{ns}}}component", f"{{{ns}}}components"
    # Guard before the library (which recurses): component nesting depth and count.
    count = 0
    stack = [(root, 0)]
    while stack:
        el, depth = stack.pop()
        for child in el:
            d = depth + 1 if child.tag == comp_tag else depth
            if d > MAX_DEPTH:
                raise SbomError(f"components are nested deeper than {MAX_DEPTH} levels")
            if child.tag == comp_tag:
                count += 1
                _cap(count)
            if len(child):
                stack.append((child, d))
    top_el = root.find(comps_tag)
    raw = list(top_el.findall(comp_tag)) if top_el is not None else []
    for el in list(root):  # the document shell: metadata only (see CDX_SHELL)
        if el.tag != f"{{{ns}}}metadata":
            root.remove(el)

    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import Component as CdxComponent

    try:
        bom = Bom.from_xml(root)
    except Exception as exc:
        raise SbomError(f"the CycloneDX document cannot be read: {_short(exc)}") from None

    def read(el):
        return CdxComponent.from_xml(el, default_namespace=ns)

    def strip_purl(el):
        import copy

        el = copy.deepcopy(el)
        changed = False
        for parent in [el, *el.iter(comp_tag)]:
            purl = parent.find(f"{{{ns}}}purl")
            if purl is not None and _canonical_purl(purl.text) is None:
                parent.remove(purl)
                changed = True
        return el if changed else None

    top = [_cdx_component(read, el, i, strip_purl) for i, el in enumerate(raw)]
    meta = bom.metadata.component if bom is not None else None  # None: an empty <bom/>
    return _cdx_walk(top, "cyclonedx-xml", spec, (meta.name or "") if meta is not None else "")


# -- SPDX (spdx-tools) -----------------------------------------------------------------
def _spdx_license(value) -> list[str]:
    value = str(value if value is not None else "").strip()
    return [] if value in ("", "NOASSERTION", "NONE") else [value]


def _spdx_components(document, fmt: str) -> Sbom:
    comps, missing, unusable = [], 0, []
    for pkg in document.packages:
        purls = [r.locator for r in pkg.external_references if r.reference_type == "purl"]
        purl = _canonical_purl(purls[0]) if purls else None
        if not purl:
            missing += 1
            unusable.append((str(pkg.name or ""), str(pkg.version or ""), "bad_purl" if purls else "no_purl"))
            continue
        lics = _spdx_license(pkg.license_concluded) or _spdx_license(pkg.license_declared)
        comps.append(Component(purl, pkg.name or "", pkg.version or "", lics))
    info = document.creation_info
    return Sbom(fmt, info.spdx_version, info.name or "", _dedupe(comps), missing, unusable)


def _spdx_error(exc: Exception) -> SbomError:
    from spdx_tools.spdx.parser.error import SPDXParsingError

    if isinstance(exc, SPDXParsingError):
        messages = [" ".join(str(m).split()) for m in exc.get_messages()]
        more = f" (and {len(messages) - 3} more)" if len(messages) > 3 else ""
        return SbomError(f"the SPDX document cannot be read: {'; '.join(messages[:3])[:600]}{more}")
    return SbomError(f"the SPDX document cannot be read: {_short(exc)}")


def _spdx_json(doc: dict) -> Sbom:
    spec = str(doc.get("spdxVersion", ""))
    if spec not in SPDX_VERSIONS:
        raise SbomError(f"{spec or 'SPDX (no version)'} is not supported (SPDX-2.2, SPDX-2.3)")
    packages = doc.get("packages") or []
    _cap(len(packages) if isinstance(packages, list) else 0)
    from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser

    try:
        document = JsonLikeDictParser().parse(doc)
    except Exception as exc:
        raise _spdx_error(exc) from None
    return _spdx_components(document, "spdx-json")


def _tag_value_parser():
    """spdx-tools' tag-value parser with the licence index shared (see the module docstring)."""
    from license_expression import ExpressionError
    from ply import yacc
    from spdx_tools.common.spdx_licensing import spdx_licensing
    from spdx_tools.spdx.parser.tagvalue.helper_methods import grammar_rule
    from spdx_tools.spdx.parser.tagvalue.parser import Parser

    class _TagValueParser(Parser):
        @grammar_rule("license_or_no_assertion_or_none : LINE")
        def p_license(self, p):
            try:
                p[0] = spdx_licensing.parse(p[1])
            except ExpressionError as err:
                message = f"Error while parsing license expression: {p[1]}"
                if err.args:
                    message += f": {err.args[0]}"
                self.current_element["logger"].append(message)

    # write_tables/debug off: nothing is written next to the library; tables built in memory.
    return _TagValueParser(write_tables=False, debug=False, errorlog=yacc.NullLogger())


def _spdx_tv(text: str) -> Sbom:
    m = re.search(r"^SPDXVersion:[ \t]*(\S*)", text, re.M)
    spec = m.group(1) if m else ""
    if spec not in SPDX_VERSIONS:
        raise SbomError(f"{spec or 'SPDX (no version)'} is not supported (SPDX-2.2, SPDX-2.3)")
    _cap(len(re.findall(r"^PackageName:", text, re.M)))
    try:
        document = _tag_value_parser().parse(text)
    except Exception as exc:
        raise _spdx_error(exc) from None
    return _spdx_components(document, "spdx-tv")

"""SBOM parsing: CycloneDX 1.2–1.7 (JSON, XML), SPDX 2.2/2.3 (JSON, tag-value) and SPDX 3.0 (JSON-LD).

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
- A component (or the metadata) the library refuses although the schema allows it — the specification's own
  test vectors carry arbitrary extra attributes (``valid-random-attributes-*``), which the library cannot map —
  is read again by the library reduced to what we use: type, group, name, version, purl, licences and nested
  components. Only when that also fails is the SBOM refused, with the component's number in the message.
- CycloneDX 1.7 is read by the library's own 1.7 support (cyclonedx-python-lib 11 knows 1.7); 1.2 and 1.3 as
  the library reads them (the shapes we use did not change).
- SPDX 3.0 JSON-LD is read by our own small reader (``spdx3``): spdx-tools 0.8 reads SPDX 2.x only. SPDX
  RDF/XML is refused with "SPDX RDF/XML is not supported".
- Text encodings: UTF-8 (with or without byte-order mark), UTF-16 LE/BE (with or without byte-order mark)
  and UTF-32 with a byte-order mark are detected and read; PowerShell and Windows tools write UTF-16.
- CycloneDX components are handed to the library one by one (``Component.from_*``), not
  as one ``Bom``: ``Bom`` keeps components in a sorted set whose comparisons made 5,000
  components take ~4 s, and it loses the document order.
"""


from __future__ import annotations

import re
import warnings

from vendorvet.engine import jsondepth
from vendorvet.engine.supplychain.sbom_base import (
    CDX_VERSIONS, MAX_BYTES, MAX_COMPONENTS, MAX_DEPTH, SPDX_VERSIONS, Component, Sbom, SbomError, _canonical_purl,
    _cap, _check_size, _dedupe, _short,
)
from vendorvet.engine.supplychain.sbom_cdx import _cdx_json, _cdx_xml

__all__ = ["CDX_VERSIONS", "MAX_BYTES", "MAX_COMPONENTS", "SPDX_VERSIONS", "Component", "Sbom", "SbomError", "parse"]

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _encoding(data: bytes) -> tuple[str, int]:
    """(codec, length of the byte-order mark): a BOM decides; without one, UTF-16 is recognised by the zero
    bytes of its ASCII start (every SBOM format starts with ASCII: ``{``, ``[``, ``<``, ``SPDXVersion``)."""
    for mark, codec in _BOMS:
        if data.startswith(mark):
            return codec, len(mark)
    head = data[:4]
    if len(head) == 4 and head[0] and not head[1] and head[2] and not head[3]:
        return "utf-16-le", 0
    if len(head) == 4 and not head[0] and head[1] and not head[2] and head[3]:
        return "utf-16-be", 0
    return "utf-8", 0


def _decode(data: bytes) -> tuple[str, bool]:
    """(text, whether the bytes were not plain UTF-8 without BOM); raises SbomError."""
    codec, skip = _encoding(data)
    try:
        text = data[skip:].decode(codec)
    except UnicodeDecodeError:
        label = {"utf-8": "UTF-8"}.get(codec, codec.upper().replace("-LE", " LE").replace("-BE", " BE"))
        raise SbomError(f"the file is not valid {label} text (UTF-8 and UTF-16 are read)") from None
    return text, (codec, skip) != ("utf-8", 0)


def _quiet(read, arg) -> Sbom:
    """The library warns of fields deprecated in later spec versions (also for 1.2 documents, where they are
    current); those warnings say nothing about the SBOM's components and are not passed on."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return read(arg)


_XML_DECL = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")


def parse(data: bytes, filename: str = "") -> Sbom:
    """Detect the encoding and format and parse; raises ``SbomError``."""
    _check_size(data)
    codec, _skip = _encoding(data)
    if codec == "utf-8":
        head = data[_skip:].lstrip()[:1]
    else:
        text, _ = _decode(data)
        if not text.strip():
            raise SbomError("the file is empty")
        head = text.lstrip()[:1].encode()
    if head in (b"{", b"["):
        text, _ = _decode(data)
        try:
            doc = jsondepth.loads(text, MAX_DEPTH)
        except jsondepth.TooDeeplyNested as exc:
            raise SbomError(str(exc)) from None
        except ValueError as exc:
            raise SbomError(f"not valid JSON: {exc}") from None
        if isinstance(doc, dict) and doc.get("bomFormat") == "CycloneDX":
            return _quiet(_cdx_json, doc)
        if isinstance(doc, dict) and "spdxVersion" in doc:
            return _spdx_json(doc)
        from vendorvet.engine.supplychain import spdx3

        if spdx3.is_spdx3(doc):
            return _spdx3_json(doc)
        raise SbomError("JSON that is neither CycloneDX (bomFormat) nor SPDX (spdxVersion, or SPDX 3 JSON-LD)")
    if head == b"<":
        if codec != "utf-8" or _skip:
            text, _ = _decode(data)  # re-encoded as UTF-8 for the XML parser, its declaration to match
            data = _XML_DECL.sub(r'\1"UTF-8"', text, count=1).encode("utf-8")
        return _quiet(_cdx_xml, data)
    text = data[_skip:].decode("utf-8", errors="replace") if codec == "utf-8" else _decode(data)[0]
    if re.search(r"^SPDXVersion:", text, re.M):
        return _spdx_tv(text.replace("\r\n", "\n"))  # Windows line ends: the grammar expects \n
    raise SbomError("unknown SBOM format: expected CycloneDX JSON/XML, SPDX JSON/tag-value or SPDX 3 JSON-LD")


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


def _spdx3_json(doc: dict) -> Sbom:
    from vendorvet.engine.supplychain import sbom_base, spdx3

    try:
        spec, name, packages = spdx3.read(doc, sbom_base.MAX_COMPONENTS)
    except spdx3.Spdx3Error as exc:
        raise SbomError(str(exc)) from None
    comps, unusable = [], []
    for pkg_name, version, purl_value, lics in packages:
        purl = _canonical_purl(purl_value) if purl_value else None
        if purl:
            comps.append(Component(purl, pkg_name, version, list(lics)))
        else:
            unusable.append((pkg_name, version, "bad_purl" if purl_value else "no_purl"))
    return Sbom("spdx3-jsonld", f"SPDX-{spec}", name, _dedupe(comps), len(unusable), unusable)


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

"""SPDX 3.0 JSON-LD: our own small reader for the few elements an SBOM check needs.

spdx-tools 0.8 reads SPDX 2.x only, so SPDX 3.0 documents (``{"@context": …spdx.org/rdf/3.0…, "@graph": […]}``)
are read here. Of the graph we use:

- ``software_Package`` elements: ``name``, ``software_packageVersion``, the package URL from
  ``software_packageUrl`` or an ``externalIdentifier`` of type ``packageUrl``;
- licences where they are simple: a ``hasConcludedLicense`` (else ``hasDeclaredLicense``) relationship from the
  package to a licence expression element (``simplelicensing_LicenseExpression``) or a listed licence;
- the document name (``SpdxDocument``) and the spec version (``CreationInfo.specVersion``).

Everything else (files, snippets, other relationships, AI/dataset profiles) is not needed and not read. Property
names are accepted with the ``software_`` prefix of the 3.0 JSON-LD context, with a ``software:`` prefix, or
bare, since producers differ. Packages without a package URL are kept as not checkable, never dropped.
"""

from __future__ import annotations

NO_LICENCE = {"", "NOASSERTION", "NONE", "NoAssertionLicense", "NoneLicense"}


def is_spdx3(doc) -> bool:
    """A JSON-LD document whose context or graph is SPDX 3."""
    if not isinstance(doc, dict) or "@graph" not in doc:
        return False
    context = doc.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if any(isinstance(c, str) and "spdx.org/rdf/3" in c for c in contexts):
        return True
    graph = doc.get("@graph")
    return isinstance(graph, list) and any(_type(e) in ("SpdxDocument", "CreationInfo") for e in graph[:50]
                                           if isinstance(e, dict))


def _local(name) -> str:
    """``software_Package``, ``software:Package`` or an IRI ending in ``/Package`` -> ``Package``."""
    text = str(name or "")
    for sep in ("/", "#"):
        text = text.rsplit(sep, 1)[-1]
    for prefix in ("software_", "software:", "simplelicensing_", "simplelicensing:", "expandedlicensing_",
                   "expandedlicensing:", "spdx:", "core:"):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def _type(element: dict) -> str:
    value = element.get("type", element.get("@type"))
    if isinstance(value, list):
        value = value[0] if value else ""
    return _local(value)


def _prop(element: dict, name: str):
    """A property by its local name, whatever prefix the producer used."""
    for key in (name, f"software_{name}", f"software:{name}", f"simplelicensing_{name}",
                f"simplelicensing:{name}", f"expandedlicensing_{name}"):
        if key in element:
            return element[key]
    return None


def _id(element: dict) -> str:
    return str(element.get("spdxId") or element.get("@id") or "")


def _str(value) -> str:
    if isinstance(value, dict):
        value = value.get("@value", "")
    return str(value).strip() if value is not None else ""


def _purl(element: dict) -> str | None:
    direct = _str(_prop(element, "packageUrl"))
    if direct:
        return direct
    idents = element.get("externalIdentifier") or element.get("core:externalIdentifier") or []
    if isinstance(idents, dict):
        idents = [idents]
    for ident in idents if isinstance(idents, list) else []:
        if isinstance(ident, dict) and _local(ident.get("externalIdentifierType")) == "packageUrl":
            value = _str(ident.get("identifier"))
            if value:
                return value
    return None


def _licence_text(element: dict) -> str:
    kind = _type(element)
    if kind == "LicenseExpression":
        return _str(_prop(element, "licenseExpression"))
    if kind in ("ListedLicense", "CustomLicense", "License"):
        ident = _id(element)
        return ident.rsplit("/", 1)[-1] if ident else _str(element.get("name"))
    return ""


class Spdx3Error(ValueError):
    pass


def read(doc: dict, max_packages: int):
    """-> (spec_version, document name, [(name, version, purl or None, licences)]); raises Spdx3Error."""
    graph = doc.get("@graph")
    if not isinstance(graph, list):
        raise Spdx3Error("the SPDX 3 document has no element list (@graph)")
    spec, name = "", ""
    packages: list[dict] = []
    by_id: dict[str, dict] = {}
    relations: list[dict] = []
    for element in graph:
        if not isinstance(element, dict):
            continue
        kind = _type(element)
        ident = _id(element)
        if ident:
            by_id[ident] = element
        if kind == "CreationInfo" and not spec:
            spec = _str(element.get("specVersion"))
        elif kind == "SpdxDocument" and not name:
            name = _str(element.get("name"))
        elif kind == "Package":
            packages.append(element)
            if len(packages) > max_packages:
                raise Spdx3Error(f"more than {max_packages} components")
        elif kind in ("Relationship", "LifecycleScopedRelationship"):
            relations.append(element)
        info = element.get("creationInfo")
        if not spec and isinstance(info, dict):
            spec = _str(info.get("specVersion"))
    spec = spec or "3.0"
    if not spec.startswith("3."):
        raise Spdx3Error(f"SPDX {spec} in JSON-LD is not supported (SPDX 3.0)")
    licences: dict[str, dict[str, list[str]]] = {}
    for rel in relations:
        kind = _local(rel.get("relationshipType"))
        if kind not in ("hasConcludedLicense", "hasDeclaredLicense"):
            continue
        targets = rel.get("to")
        targets = targets if isinstance(targets, list) else [targets]
        texts = []
        for target in targets:
            element = by_id.get(str(target)) if not isinstance(target, dict) else target
            text = _licence_text(element) if isinstance(element, dict) else _local(target)
            if text and text not in NO_LICENCE:
                texts.append(text)
        if texts:
            licences.setdefault(str(rel.get("from")), {}).setdefault(kind, []).extend(texts)
    out = []
    for pkg in packages:
        found = licences.get(_id(pkg), {})
        lics = found.get("hasConcludedLicense") or found.get("hasDeclaredLicense") or []
        out.append((_str(pkg.get("name")), _str(_prop(pkg, "packageVersion")), _purl(pkg), lics))
    return spec, name, out

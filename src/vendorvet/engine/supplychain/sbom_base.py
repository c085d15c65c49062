"""The shared parts of SBOM reading: the result types, the limits and the helpers every format reader uses.

See ``sbom`` for the formats and the deviations from the libraries."""

from __future__ import annotations

import dataclasses
import re

MAX_BYTES = 100 * 1024 * 1024
MAX_DEPTH = 64
MAX_COMPONENTS = 200_000
CDX_VERSIONS = ("1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
CDX_RANGE = "1.2–1.7"
SPDX_VERSIONS = ("SPDX-2.2", "SPDX-2.3")
RDF_ROOT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"
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

"""The SBOM formats are read by their own libraries (cyclonedx-python-lib, spdx-tools) behind our guard."""

import json
import time

import pytest

from vendorvet.engine.supplychain import sbom_base
from vendorvet.engine.supplychain.sbom import SbomError, parse

SPDX_TV_HEAD = """SPDXVersion: {version}
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: generated
DocumentNamespace: https://example.invalid/spdx/generated
Creator: Tool: test
Created: 2026-01-01T00:00:00Z
"""
SPDX_TV_PACKAGE = """
PackageName: pkg-{i}
SPDXID: SPDXRef-P{i}
PackageVersion: 1.{i}.0
PackageDownloadLocation: NOASSERTION
PackageLicenseConcluded: {lic}
ExternalRef: PACKAGE-MANAGER purl pkg:npm/pkg-{i}@1.{i}.0
"""


def spdx_tv(n: int, version="SPDX-2.3", lic="MIT OR Apache-2.0") -> bytes:
    return (SPDX_TV_HEAD.format(version=version)
            + "".join(SPDX_TV_PACKAGE.format(i=i, lic=lic) for i in range(n))).encode()


def cdx_json(components, spec="1.5", **extra) -> bytes:
    return json.dumps({"bomFormat": "CycloneDX", "specVersion": spec, "version": 1,
                       "components": components, **extra}).encode()


def cdx_xml(body: str, spec="1.5") -> bytes:
    return f'<bom xmlns="http://cyclonedx.org/schema/bom/{spec}" version="1">{body}</bom>'.encode()


@pytest.mark.parametrize("spec", ["1.4", "1.5", "1.6"])
def test_cyclonedx_xml_every_listed_version_keeps_document_order_and_nesting(spec):
    doc = parse(cdx_xml(
        "<metadata><component type='application'><name>shop</name></component></metadata><components>"
        "<component type='library'><name>zeta</name><version>2</version><purl>pkg:npm/zeta@2</purl>"
        "<licenses><license><name>Custom</name></license></licenses>"
        "<components><component type='library'><name>inner</name><purl>pkg:npm/inner@1</purl></component>"
        "</components></component>"
        "<component type='library'><name>alpha</name><purl>pkg:pypi/Alpha_Pkg@1.0</purl></component>"
        "</components><dependencies><dependency ref='x'/></dependencies>", spec))
    assert (doc.format, doc.spec_version, doc.name) == ("cyclonedx-xml", spec, "shop")
    assert [(c.purl, c.path) for c in doc.components] == [
        ("pkg:npm/zeta@2", ""), ("pkg:npm/inner@1", "zeta"), ("pkg:pypi/alpha-pkg@1.0", "")]
    assert doc.components[0].licenses == ["Custom"]


@pytest.mark.parametrize("spec", ["1.4", "1.5", "1.6"])
def test_cyclonedx_json_every_listed_version(spec):
    doc = parse(cdx_json([{"type": "library", "name": "b", "version": "1", "purl": "pkg:npm/b@1",
                           "licenses": [{"license": {"id": "MIT"}}, {"expression": "Apache-2.0 OR MIT"}]},
                          {"type": "library", "name": "a", "purl": "pkg:npm/a@1"}], spec))
    assert [c.purl for c in doc.components] == ["pkg:npm/b@1", "pkg:npm/a@1"]
    assert sorted(doc.components[0].licenses) == ["Apache-2.0 OR MIT", "MIT"]


def test_unparseable_purl_is_read_without_it_instead_of_refusing_the_document():
    # The schema allows any string; the library alone would refuse the whole SBOM.
    data = cdx_json([{"type": "library", "name": "odd", "purl": "not a purl",
                      "components": [{"type": "library", "name": "kid", "purl": "pkg:npm/kid@1"}]},
                     {"type": "library", "name": "ok", "purl": "pkg:npm/ok@1"}])
    from cyclonedx.model.component import Component

    with pytest.raises(Exception, match="PURL"):
        Component.from_json(json.loads(data)["components"][0])
    doc = parse(data)
    assert [(c.purl, c.path) for c in doc.components] == [("pkg:npm/kid@1", "odd"), ("pkg:npm/ok@1", "")]
    assert doc.without_purl == 1
    xml = parse(cdx_xml("<components><component type='library'><name>odd</name><purl>nope</purl></component>"
                        "<component type='library'><name>ok</name><purl>pkg:npm/ok@1</purl></component>"
                        "</components>"))
    assert [c.purl for c in xml.components] == ["pkg:npm/ok@1"] and xml.without_purl == 1


@pytest.mark.parametrize("data,message", [
    (cdx_json([{"type": "bogus", "name": "x"}]), "component 1 cannot be read: 'bogus' is not a valid ComponentType"),
    (cdx_json([{"type": "library"}]), "component 1 cannot be read"),
    (cdx_json({"a": 1}), "'components' must be a list"),
    (cdx_json([], metadata={"timestamp": "yesterday"}), "CycloneDX document cannot be read: Date-Time"),
    (cdx_xml("<components><component type='bogus'><name>x</name></component></components>", "1.4"),
     "not a valid ComponentType"),
    (b'{"spdxVersion": "SPDX-2.3", "packages": [{"name": "x"}]}', "SPDX document cannot be read: .*CreationInfo"),
    (spdx_tv(1, lic="MIT AND AND ("), "SPDX document cannot be read: .*license expression: MIT AND AND"),
    (b"SPDXVersion: SPDX-2.3\nPackageName: x\n", "SPDX document cannot be read"),
    (spdx_tv(1, version="SPDX-2.1"), "SPDX-2.1 is not supported"),
])
def test_library_errors_become_sbom_errors_with_the_reason(data, message):
    with pytest.raises(SbomError, match=message):
        parse(data)


def test_component_cap_is_checked_before_the_library(monkeypatch):
    monkeypatch.setattr(sbom_base, "MAX_COMPONENTS", 3)  # the limit every reader checks
    nested = [{"type": "library", "name": "a", "components": [{"type": "library", "name": f"b{i}"}
                                                              for i in range(3)]}]
    with pytest.raises(SbomError, match="more than 3 components"):
        parse(cdx_json(nested))
    with pytest.raises(SbomError, match="more than 3 components"):
        parse(spdx_tv(4))
    with pytest.raises(SbomError, match="more than 3 components"):
        parse(cdx_xml("<components>" + "<component type='library'><name>x</name></component>" * 4
                      + "</components>"))


def test_spdx_tag_value_versions_licences_and_speed():
    data = spdx_tv(1000)
    started = time.perf_counter()
    doc = parse(data)
    elapsed = time.perf_counter() - started
    assert (doc.format, doc.spec_version, len(doc.components)) == ("spdx-tv", "SPDX-2.3", 1000)
    assert doc.components[7].purl == "pkg:npm/pkg-7@1.7.0" and doc.components[7].licenses == ["MIT OR Apache-2.0"]
    # The library's own grammar action takes ~0.1 s per licence (100 s here); ours shares the index.
    assert elapsed < 20, elapsed
    assert parse(spdx_tv(2, version="SPDX-2.2")).spec_version == "SPDX-2.2"


def test_spdx_purls_are_canonical_like_cyclonedx():
    doc = parse(b'{"spdxVersion": "SPDX-2.2", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "d",'
                b' "documentNamespace": "https://example.invalid/d", "creationInfo": {"created":'
                b' "2026-01-01T00:00:00Z", "creators": ["Tool: t"]}, "packages": [{"SPDXID": "SPDXRef-a", "name":'
                b' "Jinja2", "versionInfo": "3.1.3", "downloadLocation": "NOASSERTION", "licenseConcluded": "NONE",'
                b' "externalRefs": [{"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl",'
                b' "referenceLocator": "pkg:pypi/Jinja2@3.1.3"}]}, {"SPDXID": "SPDXRef-b", "name": "b",'
                b' "downloadLocation": "NOASSERTION", "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER",'
                b' "referenceType": "purl", "referenceLocator": "no purl"}]}]}')
    assert [(c.purl, c.licenses) for c in doc.components] == [("pkg:pypi/jinja2@3.1.3", [])]
    assert doc.without_purl == 1


def test_sections_we_do_not_read_are_not_handed_to_the_library():
    """Only the header, metadata and components go to the library: an odd VEX section cannot refuse an SBOM."""
    from cyclonedx.model.bom import Bom

    vex = {"vulnerabilities": [{"id": "CVE-2099-1", "published": "yesterday"}]}
    with pytest.raises(ValueError, match="Date-Time"):
        Bom.from_json(json.loads(cdx_json([], **vex)))
    doc = parse(cdx_json([{"type": "library", "name": "a", "purl": "pkg:npm/a@1"}],
                         dependencies=[{"ref": "nowhere", "dependsOn": ["x"]}], **vex))
    assert [c.purl for c in doc.components] == ["pkg:npm/a@1"]
    xml = parse(cdx_xml("<components><component type='library'><name>a</name><purl>pkg:npm/a@1</purl>"
                        "</component></components><vulnerabilities><vulnerability><id>CVE-2099-1</id>"
                        "<published>yesterday</published></vulnerability></vulnerabilities>", "1.6"))
    assert [c.purl for c in xml.components] == ["pkg:npm/a@1"]

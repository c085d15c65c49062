"""SBOMs as real tools write them: CycloneDX 1.2/1.3/1.7, SPDX 3.0 JSON-LD, UTF-16 and BOMs, RDF/XML, and
packages without a package URL (which are listed as not checkable, never dropped)."""

import json

import pytest

from vendorvet.engine.supplychain import coverage
from vendorvet.engine.supplychain.sbom import SbomError, parse

# A Maven build's SBOM as an older CycloneDX plugin wrote it (1.2): six Maven packages, none with a purl.
MAVEN_NO_PURL = [
    ("org.apache.logging.log4j", "log4j-core", "2.14.1"), ("org.apache.logging.log4j", "log4j-api", "2.14.1"),
    ("com.fasterxml.jackson.core", "jackson-databind", "2.9.10.1"), ("org.springframework", "spring-core", "5.2.0"),
    ("commons-collections", "commons-collections", "3.2.1"), ("org.yaml", "snakeyaml", "1.26")]


def cdx12_maven(with_purl_for=()) -> dict:
    comps = []
    for group, name, version in MAVEN_NO_PURL:
        c = {"type": "library", "group": group, "name": name, "version": version, "modified": False,
             "licenses": [{"license": {"id": "Apache-2.0"}}]}
        if name in with_purl_for:
            c["purl"] = f"pkg:maven/{group}/{name}@{version}?type=jar"
        comps.append(c)
    return {"bomFormat": "CycloneDX", "specVersion": "1.2", "serialNumber": "urn:uuid:0b6d3f30-4b3c-4bd7-8f6e-2d4f1e9c3a11",
            "version": 1, "metadata": {"timestamp": "2021-12-10T09:12:44Z",
                                       "tools": [{"vendor": "OWASP Foundation", "name": "CycloneDX Maven plugin",
                                                  "version": "2.3.0"}],
                                       "component": {"type": "application", "group": "de.example", "name": "portal",
                                                     "version": "4.2.0"}},
            "components": comps}


def test_cyclonedx_12_maven_packages_without_purl_are_listed_not_dropped():
    doc = parse(json.dumps(cdx12_maven()).encode())
    assert (doc.format, doc.spec_version, doc.name) == ("cyclonedx-json", "1.2", "portal")
    assert doc.components == [] and doc.without_purl == 6
    assert ("org.apache.logging.log4j:log4j-core", "2.14.1", "no_purl") in doc.unusable
    cov = coverage.assess([], doc.unusable, {"Maven": 10})
    assert cov.status == coverage.NOT_CHECKED and cov.total == 6
    log4j = [n for n in cov.not_checkable if "log4j-core" in n["name"]]
    assert log4j == [{"name": "org.apache.logging.log4j:log4j-core", "version": "2.14.1", "code": "no_purl",
                      "reason": "no package URL"}]


def test_cli_lists_log4j_without_purl_as_not_checkable(tmp_path, capsys):
    from vendorvet.cli.commands.sbom import run_check
    from vendorvet.engine.supplychain.store import OsvStore

    path = tmp_path / "portal.cdx.json"
    path.write_text(json.dumps(cdx12_maven(with_purl_for=("snakeyaml",))))
    OsvStore(tmp_path / "osv.sqlite3").close()

    class Args:
        file, format, db = str(path), "text", str(tmp_path / "osv.sqlite3")

    assert run_check(Args()) == 0
    out = capsys.readouterr().out
    assert "6 components (5 not checkable, listed below)" in out
    assert "not checkable: org.apache.logging.log4j:log4j-core 2.14.1 — no package URL" in out


def test_cyclonedx_13_and_12_xml():
    for spec in ("1.2", "1.3"):
        xml = (f'<?xml version="1.0" encoding="UTF-8"?><bom xmlns="http://cyclonedx.org/schema/bom/{spec}" '
               'serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="1"><components>'
               '<component type="library"><group>org.apache.logging.log4j</group><name>log4j-core</name>'
               '<version>2.17.1</version><licenses><license><id>Apache-2.0</id></license></licenses>'
               '<purl>pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1</purl><modified>false</modified>'
               '</component></components></bom>').encode()
        doc = parse(xml)
        assert (doc.format, doc.spec_version) == ("cyclonedx-xml", spec)
        assert [(c.purl, c.licenses) for c in doc.components] == [
            ("pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1", ["Apache-2.0"])]


def test_cyclonedx_17_json_and_xml_read_with_the_librarys_17_support():
    data = {"bomFormat": "CycloneDX", "specVersion": "1.7", "version": 1,
            "metadata": {"component": {"type": "application", "name": "billing"}},
            "components": [{"type": "library", "name": "requests", "version": "2.32.3",
                            "purl": "pkg:pypi/requests@2.32.3", "licenses": [{"expression": "Apache-2.0"}]}]}
    doc = parse(json.dumps(data).encode())
    assert (doc.spec_version, doc.name, [c.purl for c in doc.components]) == (
        "1.7", "billing", ["pkg:pypi/requests@2.32.3"])
    xml = parse(b'<bom xmlns="http://cyclonedx.org/schema/bom/1.7" version="1"><components>'
                b'<component type="library"><name>lodash</name><version>4.17.21</version>'
                b'<purl>pkg:npm/lodash@4.17.21</purl></component></components></bom>')
    assert (xml.spec_version, [c.purl for c in xml.components]) == ("1.7", ["pkg:npm/lodash@4.17.21"])


CDX_TEXT = json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [
    {"type": "library", "name": "zöpfli-grüße", "version": "1.0", "purl": "pkg:npm/lodash@4.17.21"}]})
XML_TEXT = ('<?xml version="1.0" encoding="{enc}"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">'
            '<components><component type="library"><name>Größe</name><purl>pkg:npm/lodash@4.17.21</purl>'
            '</component></components></bom>')


@pytest.mark.parametrize("codec,bom", [
    ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-16-le", b""), ("utf-16-be", b""),
    ("utf-8", b"\xef\xbb\xbf"), ("utf-32-le", b"\xff\xfe\x00\x00")])
def test_text_encodings_json_and_xml(codec, bom):
    doc = parse(bom + CDX_TEXT.encode(codec))
    assert [(c.purl, c.name) for c in doc.components] == [("pkg:npm/lodash@4.17.21", "zöpfli-grüße")]
    declared = "UTF-16" if codec.startswith("utf-16") else codec.upper()[:6].rstrip("-")
    xml = parse(bom + XML_TEXT.format(enc=declared).encode(codec))
    assert [(c.purl, c.name) for c in xml.components] == [("pkg:npm/lodash@4.17.21", "Größe")]


def test_utf16_spdx_tag_value_as_windows_tools_write_it():
    text = ("SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: win\n"
            "DocumentNamespace: https://example.invalid/spdx/win\nCreator: Tool: test\nCreated: 2026-01-01T00:00:00Z\n"
            "\nPackageName: lodash\nSPDXID: SPDXRef-P1\nPackageVersion: 4.17.21\nPackageDownloadLocation: NOASSERTION\n"
            "ExternalRef: PACKAGE-MANAGER purl pkg:npm/lodash@4.17.21\n")
    doc = parse(b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le"))
    assert (doc.format, [c.purl for c in doc.components]) == ("spdx-tv", ["pkg:npm/lodash@4.17.21"])


def test_broken_utf16_is_a_clear_error():
    with pytest.raises(SbomError, match="not valid UTF-16 LE text"):
        parse(b"\xff\xfe{\x00\x00\xd8")


SPDX3 = {
    "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
    "@graph": [
        {"type": "CreationInfo", "@id": "_:creationinfo", "specVersion": "3.0.1", "created": "2026-03-01T10:00:00Z",
         "createdBy": ["https://example.com/tools/sbom-gen"]},
        {"type": "SpdxDocument", "spdxId": "https://example.com/spdx/portal#doc", "creationInfo": "_:creationinfo",
         "name": "portal-4.2.0", "rootElement": ["https://example.com/spdx/portal#sbom"]},
        {"type": "software_Package", "spdxId": "https://example.com/spdx/portal#log4j", "creationInfo": "_:creationinfo",
         "name": "log4j-core", "software_packageVersion": "2.14.1",
         "externalIdentifier": [{"type": "ExternalIdentifier", "externalIdentifierType": "packageUrl",
                                 "identifier": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}]},
        {"type": "software_Package", "spdxId": "https://example.com/spdx/portal#jinja", "creationInfo": "_:creationinfo",
         "name": "Jinja2", "software_packageVersion": "3.1.2", "software_packageUrl": "pkg:pypi/Jinja2@3.1.2"},
        {"type": "software_Package", "spdxId": "https://example.com/spdx/portal#inhouse",
         "creationInfo": "_:creationinfo", "name": "billing-core", "software_packageVersion": "7.0"},
        {"type": "software_File", "spdxId": "https://example.com/spdx/portal#f1", "creationInfo": "_:creationinfo",
         "name": "app.jar"},
        {"type": "simplelicensing_LicenseExpression", "spdxId": "https://example.com/spdx/portal#lic-apache",
         "creationInfo": "_:creationinfo", "simplelicensing_licenseExpression": "Apache-2.0"},
        {"type": "Relationship", "spdxId": "https://example.com/spdx/portal#r1", "creationInfo": "_:creationinfo",
         "from": "https://example.com/spdx/portal#log4j", "relationshipType": "hasConcludedLicense",
         "to": ["https://example.com/spdx/portal#lic-apache"]},
        {"type": "Relationship", "spdxId": "https://example.com/spdx/portal#r2", "creationInfo": "_:creationinfo",
         "from": "https://example.com/spdx/portal#jinja", "relationshipType": "hasDeclaredLicense",
         "to": ["https://spdx.org/licenses/BSD-3-Clause"]},
        {"type": "Relationship", "spdxId": "https://example.com/spdx/portal#r3", "creationInfo": "_:creationinfo",
         "from": "https://example.com/spdx/portal#doc", "relationshipType": "describes",
         "to": ["https://example.com/spdx/portal#log4j"]},
    ]}


def test_spdx3_jsonld_packages_purls_licences_and_the_package_without_purl():
    doc = parse(json.dumps(SPDX3).encode())
    assert (doc.format, doc.spec_version, doc.name) == ("spdx3-jsonld", "SPDX-3.0.1", "portal-4.2.0")
    assert [(c.purl, c.version, c.licenses) for c in doc.components] == [
        ("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "2.14.1", ["Apache-2.0"]),
        ("pkg:pypi/jinja2@3.1.2", "3.1.2", ["BSD-3-Clause"])]
    assert doc.unusable == [("billing-core", "7.0", "no_purl")] and doc.without_purl == 1


def test_spdx3_is_no_longer_called_neither_cyclonedx_nor_spdx():
    graph_only = {"@graph": [{"type": "CreationInfo", "specVersion": "3.0.0"},
                             {"type": "software_Package", "spdxId": "p", "name": "x",
                              "software_packageUrl": "pkg:npm/x@1"}]}
    assert parse(json.dumps(graph_only).encode()).spec_version == "SPDX-3.0.0"
    with pytest.raises(SbomError, match="SPDX 4.0 in JSON-LD is not supported"):
        parse(json.dumps({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
                          "@graph": [{"type": "CreationInfo", "specVersion": "4.0"}]}).encode())


def test_spdx_rdf_xml_is_named_as_not_supported():
    rdf = b"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:spdx="http://spdx.org/rdf/terms#">
  <spdx:SpdxDocument rdf:about="https://example.com/spdx/portal#SPDXRef-DOCUMENT">
    <spdx:specVersion>SPDX-2.3</spdx:specVersion><spdx:name>portal</spdx:name>
  </spdx:SpdxDocument>
</rdf:RDF>"""
    with pytest.raises(SbomError, match="SPDX RDF/XML is not supported"):
        parse(rdf)
    with pytest.raises(SbomError, match="SPDX RDF/XML is not supported"):
        parse(b"\xff\xfe" + rdf.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-le"))


@pytest.mark.parametrize("name", ["app-1.0.cdx.json", "app-1.1.cdx.xml"])
def test_direct_read_of_plain_components_equals_the_librarys_read(name, monkeypatch):
    """Plain components are read without the library (speed); the result must be the library's result."""
    from vendorvet.engine.supplychain import sbom_cdx

    from .conftest import SBOM_DIR

    data = (SBOM_DIR / name).read_bytes()
    direct = parse(data)
    monkeypatch.setattr(sbom_cdx, "_lite_json", lambda node, types: None)
    monkeypatch.setattr(sbom_cdx, "_lite_xml", lambda el, ns, types: None)
    assert parse(data) == direct and direct.components

import pytest

from vendorvet.engine.supplychain import sbom
from vendorvet.engine.supplychain.sbom import SbomError, parse

from .conftest import SBOM_DIR


def read(name):
    return (SBOM_DIR / name).read_bytes()


def test_cyclonedx_json_with_nested_components_and_licences():
    doc = parse(read("app-1.0.cdx.json"))
    assert (doc.format, doc.spec_version, doc.name) == ("cyclonedx-json", "1.5", "example-app")
    by_purl = {c.purl: c for c in doc.components}
    assert len(by_purl) == 5 and doc.without_purl == 1
    assert by_purl["pkg:pypi/jinja2@3.1.2"].licenses == ["BSD-3-Clause"]
    assert by_purl["pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"].licenses == ["Apache-2.0"]
    assert by_purl["pkg:golang/golang.org/x/net@v0.15.0"].path == "log4j-core"


def test_cyclonedx_xml():
    doc = parse(read("app-1.1.cdx.xml"))
    assert (doc.format, doc.spec_version) == ("cyclonedx-xml", "1.6")
    assert [c.purl for c in doc.components][:2] == ["pkg:pypi/jinja2@3.1.4", "pkg:npm/lodash@4.17.20"]
    assert doc.components[2].licenses == ["Apache-2.0"]


def test_spdx_json_and_tag_value():
    doc = parse(read("app.spdx.json"))
    assert (doc.format, doc.spec_version, len(doc.components), doc.without_purl) == ("spdx-json", "SPDX-2.3", 2, 1)
    assert doc.components[1].licenses == ["Apache-2.0"]  # concluded NOASSERTION -> declared
    tv = parse(read("app.spdx"))
    assert (tv.format, tv.spec_version) == ("spdx-tv", "SPDX-2.2")
    assert [(c.purl, c.licenses) for c in tv.components] == [
        ("pkg:npm/lodash@4.17.21", ["MIT"]), ("pkg:golang/golang.org/x/net@v0.16.0", ["BSD-3-Clause"])]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components><component><name>&lol2;</name></component>
</components></bom>"""


@pytest.mark.parametrize("data,message", [
    (BILLION_LAUGHS, "DTD or entities"),
    (b'<?xml version="1.0"?><!DOCTYPE bom SYSTEM "http://example.invalid/x.dtd"><bom/>', "DTD"),
    (b"[" * 100_000 + b"]" * 100_000, "too deeply nested"),
    (b'{"bomFormat": "CycloneDX", "specVersion": "1.1", "components": []}', "1.1 is not supported"),
    (b'{"spdxVersion": "SPDX-2.1", "packages": []}', "SPDX-2.1 is not supported"),
    (b'{"hello": 1}', "neither CycloneDX"),
    (b"<bom><unclosed></bom>", "not well-formed"),
    (b"<html/>", "not a CycloneDX"),
    (b"   ", "empty"),
    (b"just text", "unknown SBOM format"),
    (b'{"bomFormat": "CycloneDX", ', "not valid JSON"),
])
def test_hostile_and_malformed_input(data, message):
    with pytest.raises(SbomError, match=message):
        parse(data)


def test_deeply_nested_cyclonedx_xml_components_rejected():
    inner = b"<component><name>x</name><purl>pkg:npm/x@1.0.0</purl><components>" * 80
    close = b"</components></component>" * 80
    data = b'<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components>' + inner + close + b"</components></bom>"
    with pytest.raises(SbomError, match="nested deeper"):
        parse(data)


def test_real_size_limit_is_100_mb():
    assert sbom.MAX_BYTES == 100 * 1024 * 1024
    with pytest.raises(SbomError, match="larger than 100 MB"):
        parse(b" " * (sbom.MAX_BYTES + 1))

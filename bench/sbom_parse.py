"""Benchmark: SBOM parse time per format and spec version, 5,000 components.

Target (issue 17): a CycloneDX **1.2** file of 5,000 components parses in < 2 s. For comparison the same
components are parsed, in the same run, as CycloneDX 1.6 (the version the reader was built for), 1.7, XML,
UTF-16 and SPDX 3.0 JSON-LD. Each variant is parsed ``--repeat`` times; the median is printed.

    .venv/bin/python bench/sbom_parse.py [--components 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))

from osv_match import make_sbom  # noqa: E402  (the same synthetic components as the OSV benchmark)

from vendorvet.engine.supplychain import sbom  # noqa: E402


def cdx_json(comps: list[dict], spec: str) -> bytes:
    doc = {"bomFormat": "CycloneDX", "specVersion": spec, "version": 1,
           "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
           "metadata": {"timestamp": "2021-12-10T09:12:44Z",
                        "tools": [{"vendor": "OWASP Foundation", "name": "CycloneDX Maven plugin", "version": "2.3.0"}],
                        "component": {"type": "application", "name": "bench", "version": "1.0"}},
           "components": []}
    for c in comps:
        item = dict(c)
        item["hashes"] = [{"alg": "SHA-1", "content": "25ed8e31b995bb927966616df2a42b979a2717f0"}]
        if spec in ("1.2", "1.3"):
            item["modified"] = False  # 1.2/1.3 plugins wrote it; deprecated later
        doc["components"].append(item)
    return json.dumps(doc).encode()


def cdx_xml(comps: list[dict], spec: str) -> bytes:
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/{spec}" '
           'version="1"><metadata><component type="application"><name>bench</name></component></metadata><components>']
    for c in comps:
        out.append(f'<component type="library"><name>{escape(c["name"])}</name><version>{c["version"]}</version>'
                   '<hashes><hash alg="SHA-1">25ed8e31b995bb927966616df2a42b979a2717f0</hash></hashes>'
                   '<licenses><license><id>MIT</id></license></licenses>'
                   f'<purl>{escape(c["purl"])}</purl></component>')
    out.append("</components></bom>")
    return "".join(out).encode()


def spdx3(comps: list[dict]) -> bytes:
    graph = [{"type": "CreationInfo", "@id": "_:ci", "specVersion": "3.0.1", "created": "2026-01-01T00:00:00Z"},
             {"type": "SpdxDocument", "spdxId": "urn:bench#doc", "creationInfo": "_:ci", "name": "bench"},
             {"type": "simplelicensing_LicenseExpression", "spdxId": "urn:bench#mit", "creationInfo": "_:ci",
              "simplelicensing_licenseExpression": "MIT"}]
    for i, c in enumerate(comps):
        graph.append({"type": "software_Package", "spdxId": f"urn:bench#p{i}", "creationInfo": "_:ci",
                      "name": c["name"], "software_packageVersion": c["version"],
                      "externalIdentifier": [{"type": "ExternalIdentifier", "externalIdentifierType": "packageUrl",
                                              "identifier": c["purl"]}]})
        graph.append({"type": "Relationship", "spdxId": f"urn:bench#r{i}", "creationInfo": "_:ci",
                      "from": f"urn:bench#p{i}", "relationshipType": "hasConcludedLicense", "to": ["urn:bench#mit"]})
    return json.dumps({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": graph}).encode()


def timed(data: bytes, repeat: int) -> tuple[float, int]:
    times, n = [], 0
    for _ in range(repeat):
        t = time.perf_counter()
        doc = sbom.parse(data)
        times.append(time.perf_counter() - t)
        n = len(doc.components) + len(doc.unusable)
    return statistics.median(times), n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--components", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    comps = json.loads(make_sbom(args.components, random.Random(17)))["components"]
    j12 = cdx_json(comps, "1.2")
    variants = {
        "CycloneDX 1.2 JSON": j12,
        "CycloneDX 1.2 XML": cdx_xml(comps, "1.2"),
        "CycloneDX 1.2 JSON, UTF-16 with BOM": b"\xff\xfe" + j12.decode().encode("utf-16-le"),
        "CycloneDX 1.6 JSON": cdx_json(comps, "1.6"),
        "CycloneDX 1.6 XML": cdx_xml(comps, "1.6"),
        "CycloneDX 1.7 JSON": cdx_json(comps, "1.7"),
        "SPDX 3.0 JSON-LD": spdx3(comps),
    }
    results = {}
    for label, data in variants.items():
        seconds, n = timed(data, args.repeat)
        results[label] = seconds
        print(f"{label:<38} {n:>6} components  {len(data) / 1e6:5.1f} MB  {seconds:6.2f} s (median of {args.repeat})")
    ok = True
    for label in ("CycloneDX 1.2 JSON", "CycloneDX 1.2 XML"):
        peer = "CycloneDX 1.6 " + label.rsplit(" ", 1)[1]
        passed = results[label] < 2
        ok &= passed
        print(f"{label}: {results[label]:.2f} s (target < 2 s): {'OK' if passed else 'MISSED'}; "
              f"{peer} in the same run: {results[peer]:.2f} s (ratio {results[label] / results[peer]:.2f})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

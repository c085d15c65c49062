"""Benchmark: offline OSV import and SBOM matching at scale.

Generates a database of N (default 200,000) synthetic OSV records spread over eight
ecosystems, written as osv.dev-style per-ecosystem ``all.zip`` files, imports them into
the SQLite index, then parses a CycloneDX SBOM of 5,000 components and matches it, and parses the same
components as CycloneDX XML, SPDX JSON and SPDX tag-value (the formats' own libraries).
Prints import time, parse times, match time (target < 2 s) and peak memory (target < 500 MB,
the process's maximum resident set size).

    .venv/bin/python bench/osv_match.py [--records 200000] [--components 5000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from vendorvet.engine.supplychain import coverage, match, sbom
from vendorvet.engine.supplychain.store import OsvStore

ECOSYSTEMS = {
    # ecosystem: (purl type, name pattern, version pattern)
    "PyPI": ("pypi", "pkg-{i}", "{a}.{b}.{c}"),
    "npm": ("npm", "pkg-{i}", "{a}.{b}.{c}"),
    "Maven": ("maven", "org.example{g}:artifact-{i}", "{a}.{b}.{c}"),
    "Go": ("golang", "example.com/m{g}/pkg-{i}", "v{a}.{b}.{c}"),
    "crates.io": ("cargo", "crate-{i}", "{a}.{b}.{c}"),
    "NuGet": ("nuget", "Example.Pkg{i}", "{a}.{b}.{c}"),
    "RubyGems": ("gem", "gem-{i}", "{a}.{b}.{c}"),
    "Packagist": ("composer", "vendor{g}/pkg-{i}", "{a}.{b}.{c}"),
}
PACKAGES_PER_ECOSYSTEM = 5000
VECTORS = ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N",
           "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"]


def version(eco: str, a: int, b: int, c: int) -> str:
    v = ECOSYSTEMS[eco][2].format(a=a, b=b, c=c)
    return v[1:] if eco == "Go" else v  # Go vulndb ranges carry no "v"


def name(eco: str, i: int) -> str:
    return ECOSYSTEMS[eco][1].format(i=i, g=i % 50)


def make_record(rng: random.Random, n: int, eco: str) -> dict:
    i = rng.randrange(PACKAGES_PER_ECOSYSTEM)
    a = rng.randrange(0, 5)
    events = [{"introduced": "0" if rng.random() < 0.3 else version(eco, a, rng.randrange(10), 0)},
              {"fixed": version(eco, a, 10 + rng.randrange(10), rng.randrange(5))}]
    ranges = [{"type": "SEMVER" if eco == "Go" else "ECOSYSTEM", "events": events}]
    if rng.random() < 0.2:
        ranges.append({"type": "ECOSYSTEM", "events": [{"introduced": version(eco, a + 1, 0, 0)},
                                                       {"last_affected": version(eco, a + 1, 3, 0)}]})
    rec = {"schema_version": "1.6.0", "id": f"BENCH-{eco}-{n:07d}", "modified": "2026-01-01T00:00:00Z",
           "aliases": [f"CVE-2099-{n:07d}"], "summary": "generated benchmark record",
           "affected": [{"package": {"ecosystem": eco, "name": name(eco, i)}, "ranges": ranges}]}
    if rng.random() < 0.7:
        rec["severity"] = [{"type": "CVSS_V3", "score": rng.choice(VECTORS)}]
    if rng.random() < 0.01:
        rec["withdrawn"] = "2026-01-02T00:00:00Z"
    return rec


def generate(root: Path, records: int, rng: random.Random) -> list[Path]:
    per = records // len(ECOSYSTEMS)
    paths = []
    n = 0
    for eco in ECOSYSTEMS:
        path = root / eco / "all.zip"
        path.parent.mkdir(parents=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for _ in range(per):
                rec = make_record(rng, n, eco)
                zf.writestr(f"{rec['id']}.json", json.dumps(rec))
                n += 1
        paths.append(path)
    return paths


def make_sbom(components: int, rng: random.Random) -> bytes:
    comps, seen = [], set()
    ecos = list(ECOSYSTEMS)
    while len(comps) < components:
        eco = rng.choice(ecos)
        ptype = ECOSYSTEMS[eco][0]
        i = rng.randrange(PACKAGES_PER_ECOSYSTEM)
        v = ECOSYSTEMS[eco][2].format(a=rng.randrange(6), b=rng.randrange(20), c=rng.randrange(5))
        nm = name(eco, i)
        if eco == "Maven":
            ns, _, nm = nm.partition(":")
            purl = f"pkg:maven/{ns}/{nm}@{v}"
        else:
            purl = f"pkg:{ptype}/{nm}@{v}"
        if purl in seen:
            continue
        seen.add(purl)
        comps.append({"type": "library", "name": nm, "version": v, "purl": purl,
                      "licenses": [{"license": {"id": "MIT"}}]})
    return json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": comps}).encode()


def as_formats(cdx_json: bytes) -> dict[str, bytes]:
    """The same components as CycloneDX XML, SPDX 2.3 JSON and SPDX 2.3 tag-value."""
    from xml.sax.saxutils import escape

    comps = json.loads(cdx_json)["components"]
    xml = ['<?xml version="1.0" encoding="UTF-8"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">'
           "<components>"]
    for c in comps:
        xml.append(f'<component type="library"><name>{escape(c["name"])}</name><version>{c["version"]}</version>'
                   f'<purl>{escape(c["purl"])}</purl><licenses><license><id>MIT</id></license></licenses>'
                   "</component>")
    xml.append("</components></bom>")
    head = {"spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "bench",
            "documentNamespace": "https://example.invalid/spdx/bench",
            "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Tool: bench"]}}
    packages = [{"SPDXID": f"SPDXRef-P{i}", "name": c["name"], "versionInfo": c["version"],
                 "downloadLocation": "NOASSERTION", "licenseConcluded": "MIT",
                 "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                                   "referenceLocator": c["purl"]}]} for i, c in enumerate(comps)]
    tv = ["SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: bench\n"
          "DocumentNamespace: https://example.invalid/spdx/bench\nCreator: Tool: bench\n"
          "Created: 2026-01-01T00:00:00Z\n"]
    for i, c in enumerate(comps):
        tv.append(f"\nPackageName: {c['name']}\nSPDXID: SPDXRef-P{i}\nPackageVersion: {c['version']}\n"
                  f"PackageDownloadLocation: NOASSERTION\nPackageLicenseConcluded: MIT\n"
                  f"ExternalRef: PACKAGE-MANAGER purl {c['purl']}\n")
    return {"CycloneDX 1.6 XML": "".join(xml).encode(),
            "SPDX 2.3 JSON": json.dumps({**head, "packages": packages}).encode(),
            "SPDX 2.3 tag-value": "".join(tv).encode()}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--components", type=int, default=5000)
    parser.add_argument("--keep", help="work directory to keep (default: a temporary one)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: reuse the database imported there by an earlier run (parse and match only)")
    args = parser.parse_args(argv)
    rng = random.Random(8)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="vendorvet-osv-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.reuse and (work / "osv.sqlite3").exists():
        return parse_and_match(work, args.components, rng)

    t = time.perf_counter()
    zips = generate(work / "osv", args.records, rng)
    print(f"generated {args.records} records in {len(zips)} all.zip files: {time.perf_counter() - t:.1f} s "
          f"({sum(p.stat().st_size for p in zips) / 1e6:.1f} MB)")

    store = OsvStore(work / "osv.sqlite3")
    t = time.perf_counter()
    for path in zips:
        store.import_path(path)
    import_s = time.perf_counter() - t
    status = store.status()
    print(f"import: {status['records']} records ({status['withdrawn']} withdrawn) in {import_s:.1f} s; "
          f"database {store.path.stat().st_size / 1e6:.1f} MB")
    t = time.perf_counter()
    stats = store.import_path(zips[0])
    print(f"re-import of one ecosystem (incremental, all unchanged): {stats.unchanged} records in "
          f"{time.perf_counter() - t:.1f} s")
    store.close()
    return parse_and_match(work, args.components, rng)


def parse_and_match(work: Path, components: int, rng: random.Random) -> int:
    data = make_sbom(components, rng)
    store = OsvStore(work / "osv.sqlite3")  # cold: no cached records
    t = time.perf_counter()
    doc = sbom.parse(data)
    parse_s = time.perf_counter() - t
    t, cpu = time.perf_counter(), time.process_time()
    findings = match.match_all(store, [c.purl for c in doc.components])
    match_s, match_cpu = time.perf_counter() - t, time.process_time() - cpu
    store.close()
    store = OsvStore(work / "osv.sqlite3")  # cold again: the whole `sbom check --format json` answer
    t, cpu = time.perf_counter(), time.process_time()
    answer = coverage.check(doc, store)
    check_s, check_cpu = time.perf_counter() - t, time.process_time() - cpu
    store.close()
    affected = len({f.purl for f in findings})
    print(f"SBOM: {len(doc.components)} components ({len(data) / 1e6:.1f} MB CycloneDX 1.6 JSON), parsed in "
          f"{parse_s:.2f} s (cyclonedx-python-lib)")
    print(f"matching: {len(findings)} findings on {affected} components in {match_s:.2f} s "
          f"(CPU {match_cpu:.2f} s; target < 2 s): {'OK' if match_s < 2 else 'MISSED'}")
    print(f"sbom check answer (matching + coverage, status {answer['status']}, "
          f"{len(answer['not_checked'])} not checked, {len(answer['not_checkable'])} not checkable): "
          f"{check_s:.2f} s (CPU {check_cpu:.2f} s)")
    for label, other in as_formats(data).items():
        t = time.perf_counter()
        parsed = sbom.parse(other)
        print(f"parse {label}: {len(parsed.components)} components ({len(other) / 1e6:.1f} MB) in "
              f"{time.perf_counter() - t:.2f} s")
    print(f"peak memory (max RSS): {peak_mb():.0f} MB (target < 500 MB): {'OK' if peak_mb() < 500 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

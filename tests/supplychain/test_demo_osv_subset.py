"""The demo OSV subset shipped with the product: a few hundred real GitHub-reviewed advisories, their source
and licence named, and Log4Shell found on the demo SBOM out of the box."""

from __future__ import annotations

import json
import zipfile

from vendorvet.engine.supplychain import coverage
from vendorvet.engine.supplychain.sbom import parse
from vendorvet.engine.supplychain.store import OsvStore
from vendorvet.web.demo_examples import DATA, SBOM_FILE
from vendorvet.web.supplychain.osvimport import DEMO_SOURCE

LOG4SHELL = "GHSA-jfh8-c2jp-5v3q"


def test_subset_loads_strictly_with_a_few_hundred_real_advisories_and_names_its_source(tmp_path):
    with OsvStore(tmp_path / "osv.sqlite3") as store:
        stats = store.import_path(DEMO_SOURCE, strict=True)
        status = store.status()
    assert stats.invalid == 0 and stats.errors == []
    assert status["records"] >= 300
    for ecosystem in ("Maven", "npm", "PyPI", "Go"):  # the ecosystems of the demo and example SBOMs
        assert status["ecosystems"][ecosystem] >= 30, ecosystem
    (archive,) = DEMO_SOURCE.glob("*.zip")
    with zipfile.ZipFile(archive) as zf:
        records = [json.loads(zf.read(name)) for name in zf.namelist()]
    assert all(r["id"].startswith("GHSA-") and r["summary"] and r["affected"] and r["references"] for r in records)
    assert {"GHSA-36p3-wjmg-h94x", "GHSA-xvch-5gv4-984h", "GHSA-j8r2-6x86-q33q", "GHSA-v845-jxx5-vc9f",
            "GHSA-57j2-w4cx-62h2", LOG4SHELL} <= {r["id"] for r in records}  # Spring4Shell, minimist, …
    notice = (DEMO_SOURCE / "NOTICE.txt").read_text(encoding="utf-8")
    assert "https://github.com/github/advisory-database" in notice and "CC BY 4.0" in notice
    assert "Fetched:" in notice


def test_demo_sbom_is_checked_and_log4shell_is_found(tmp_path):
    doc = parse((DATA / "sbom" / SBOM_FILE).read_bytes(), SBOM_FILE)
    with OsvStore(tmp_path / "osv.sqlite3") as store:
        store.import_path(DEMO_SOURCE, strict=True)
        result = coverage.check(doc, store)
    assert result["status"] == "checked" and result["not_checked"] == []
    by_id = {v["id"]: v for v in result["vulnerabilities"]}
    assert LOG4SHELL in by_id
    assert "CVE-2021-44228" in by_id[LOG4SHELL]["aliases"]
    assert "log4j-core" in by_id[LOG4SHELL]["purl"]
    # more than Log4Shell: jackson-databind 2.9.10.1, lodash 4.17.20 and requests 2.31.0 have known advisories too
    purls = {v["purl"] for v in result["vulnerabilities"]}
    assert any("jackson-databind" in p for p in purls) and any("lodash" in p for p in purls)
    assert any("requests" in p for p in purls)

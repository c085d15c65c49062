"""``vendorvet scan``: the command-line contract (JSON shape, statuses, exit codes) against real local servers."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.engine.conftest import HOST, pki  # noqa: F401  (shared test CA fixture)
from tests.engine.servers import Site, serve, server_context
from tests.engine.servers.dns import dns_server
from vendorvet.cli.main import main

pytestmark = pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")
LOCAL_DNS: list[str] = []
STATUSES = {"pass", "fail", "warn", "info", "error", "not_applicable"}


@pytest.fixture
def good_server(pki):
    site = Site(default=(200, [("Strict-Transport-Security", "max-age=31536000")], b"{}"))
    with serve(site, context=server_context(*pki.good)) as (port, _):
        yield port


@pytest.fixture(autouse=True)
def local_dns():
    """Every scan asks a loopback DNS server (SPF/DMARC/CAA for vendor.test), never the system resolver."""
    records = {("vendor.test", "TXT"): ['"v=spf1 -all"'], ("_dmarc.vendor.test", "TXT"): ['"v=DMARC1; p=reject"']}
    with dns_server(records) as port:
        LOCAL_DNS[:] = [f"127.0.0.1:{port}"]
        yield LOCAL_DNS[0]


def run_scan(capsys, *argv) -> tuple[int, str, str]:
    extra = [] if "--nameserver" in argv else ["--nameserver", LOCAL_DNS[0]]
    code = main(["scan", *argv, *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_document_shape(pki, good_server, capsys):
    code, out, _ = run_scan(capsys, f"https://{HOST}:{good_server}/v1", "--format", "json",
                            "--resolve", f"{HOST}:{good_server}:127.0.0.1", "--allow-private",
                            "--ca-file", str(pki.ca_pem), "--timeout", "5")
    assert code == 0
    doc = json.loads(out)
    [target] = doc["targets"]
    assert {"target", "host", "port", "addresses", "grade", "score", "findings"} <= set(target)
    assert target["target"] == f"https://{HOST}:{good_server}/v1"
    assert (target["host"], target["port"], target["addresses"]) == (HOST, good_server, ["127.0.0.1"])
    assert target["grade"] in list("ABCDEF") and 0 <= target["score"] <= 100
    for finding in target["findings"]:
        assert set(finding) == {"check_id", "status", "severity", "title", "detail", "evidence"}
        assert finding["status"] in STATUSES
    statuses = {f["check_id"]: f["status"] for f in target["findings"]}
    assert statuses["tls.protocol.tls13"] == "pass" and statuses["tls.cert.trust"] == "pass"
    assert statuses["http.hsts"] == "pass" and statuses["http.headers"] in ("warn", "fail")
    assert statuses["dns.spf"] == "pass" and statuses["dns.dmarc"] == "pass"


def test_fail_on_sets_exit_code(pki, good_server, capsys):
    common = [f"{HOST}:{good_server}", "--format", "json", "--resolve", f"{HOST}:{good_server}:127.0.0.1",
              "--allow-private", "--ca-file", str(pki.ca_pem), "--timeout", "5"]
    # disclosure.security_txt fails (low), api.ratelimit.headers warns (low): nothing high or worse.
    assert run_scan(capsys, *common, "--fail-on", "high")[0] == 0
    assert run_scan(capsys, *common, "--fail-on", "low")[0] == 1


def test_private_target_is_refused_without_allow_private(capsys):
    code, out, _ = run_scan(capsys, "127.0.0.1:1", "--format", "json", "--fail-on", "critical")
    assert code == 1
    [target] = json.loads(out)["targets"]
    assert target["addresses"] == ["127.0.0.1"] and target["grade"] is None
    connecting = [f for f in target["findings"] if not f["check_id"].startswith("dns.")]
    assert connecting and {f["status"] for f in connecting} == {"error"}
    assert all("refused by the SSRF guard" in f["detail"] and "loopback" in f["detail"] for f in connecting)
    assert {f["status"] for f in target["findings"] if f["check_id"].startswith("dns.")} == {"not_applicable"}


@pytest.mark.parametrize("address, words", [
    ("10.0.0.8", "private"), ("169.254.169.254", "cloud metadata"), ("::ffff:127.0.0.1", "loopback"),
])
def test_pinned_internal_addresses_are_refused(capsys, address, words):
    code, out, _ = run_scan(capsys, "api.vendor.example", "--resolve", f"api.vendor.example:443:{address}",
                            "--format", "json")
    assert code == 0
    [target] = json.loads(out)["targets"]
    connecting = [f for f in target["findings"] if not f["check_id"].startswith("dns.")]
    assert len(connecting) >= 20
    assert all(f["status"] == "error" and words in f["detail"] for f in connecting)


def test_table_and_sarif_formats(pki, good_server, capsys):
    common = [f"{HOST}:{good_server}", "--resolve", f"{HOST}:{good_server}:127.0.0.1", "--allow-private",
              "--ca-file", str(pki.ca_pem), "--timeout", "5"]
    code, out, _ = run_scan(capsys, *common)
    assert code == 0
    assert f"{HOST}:{good_server}" in out and "tls.protocol.tls13" in out and "grade A" in out
    code, out, _ = run_scan(capsys, *common, "--format", "sarif")
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert "disclosure.security_txt" in rule_ids
    assert all(r["ruleId"] in rule_ids and r["level"] in ("error", "warning", "note") for r in run["results"])
    assert any(r["ruleId"] == "disclosure.security_txt" and r["level"] == "error" for r in run["results"])
    code, out, _ = run_scan(capsys, *common, "--format", "ocsf")
    from tests.engine.test_ocsf import missing_required

    events = json.loads(out)
    assert events and all(missing_required(e) == [] and e["class_uid"] == 2003 for e in events)
    assert any(e["compliance"]["control"] == "disclosure.security_txt" and e["compliance"]["status_id"] == 3
               for e in events)
    assert any(e["compliance"]["control"] == "tls.protocol.tls13" and e["compliance"]["status_id"] == 1
               for e in events)


@pytest.mark.parametrize("argv", [
    ["http://plain.example"], ["x.example", "--resolve", "nonsense"], ["x.example", "--nameserver", "dns.example"],
    ["x.example", "--ca-file", "/nonexistent.pem"], ["x.example", "--timeout", "0"],
    ["x.example", "--concurrency", "0"],
])
def test_usage_errors_exit_2(capsys, argv):
    code, out, err = run_scan(capsys, *argv)
    assert code == 2 and out == "" and "vendorvet: error:" in err


def test_argparse_usage_errors_exit_2_in_a_real_process():
    for argv in (["scan"], ["scan", "x.example", "--format", "xml"], ["scan", "x.example", "--fail-on", "urgent"]):
        out = subprocess.run([sys.executable, "-m", "vendorvet.cli.main", *argv], capture_output=True, text=True,
                             timeout=60)
        assert out.returncode == 2, (argv, out.stderr)


def test_scan_command_runs_without_django_setup():
    code = ("import sys; from vendorvet.cli.main import main; rc = main(['scan', '127.0.0.1:1', '--format', 'json']);"
            "import django.apps; assert not django.apps.apps.ready; sys.exit(rc)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "does.not.exist"})
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["targets"][0]["findings"]

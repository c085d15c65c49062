"""Benchmark: `vendorvet scan` of a loopback fleet of TLS endpoints against sslyze alone, and one host
against testssl.sh.

    .venv/bin/python bench/scan_fleet.py                     # 200 endpoints, then one host vs testssl.sh
    .venv/bin/python bench/scan_fleet.py --endpoints 50 --skip-testssl --json results.json

Targets (issue 4): fleet wall time of `vendorvet scan` (TLS *and* HTTP, security.txt, DNS, location
checks) ≤ 1.2 × that of the sslyze command line with the same TLS scan commands on the same fleet, in
the same run; peak memory (max RSS) of the `vendorvet scan` process < 500 MB; one host ≥ 30× faster
than testssl.sh. vendorvet asks the same TLS questions with fewer handshakes (legacy-version probe,
suites by elimination), so the run also checks that its answers equal sslyze's on the first endpoints
(accepted suites per version, vulnerability verdicts). See bench/SCAN.md for what is measured and the
last result. Exit code 0 when every target is met.

The fleet runs in a separate process (so its CPU and memory are not counted as the scanner's): N
TLS+HTTP servers on 127.0.0.1 with a certificate from a throwaway test CA, plus a loopback DNS server
answering SPF/DMARC/CAA for the fleet's domain. Both scanners get the CA as an extra trust anchor and
connect to 127.0.0.1 (vendorvet via --resolve and --allow-private, sslyze via HOST:PORT{IP}).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.engine.servers: the same loopback servers the engine tests use

HOST = "api.fleet-vendor.test"
DOMAIN = "fleet-vendor.test"
TLS_FLAGS = ["--sslv2", "--sslv3", "--tlsv1", "--tlsv1_1", "--tlsv1_2", "--tlsv1_3", "--certinfo", "--heartbleed",
             "--robot", "--openssl_ccs", "--reneg", "--compression", "--fallback"]  # = collectors/tls.py's commands
RATIO_TARGET, MEMORY_TARGET_MB, TESTSSL_TARGET = 1.2, 500, 30.0


# --------------------------------------------------------------------------- the fleet (child process)

def serve_fleet(count: int, cert: str, key: str) -> None:
    """Child process: start the servers, print their ports as one JSON line, run until stdin closes."""
    from contextlib import ExitStack

    from tests.engine.servers import Site, serve, server_context
    from tests.engine.servers.dns import dns_server

    headers = [("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
               ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
               ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"),
               ("Content-Type", "application/json")]
    security_txt = (200, [("Content-Type", "text/plain")],
                    b"Contact: mailto:security@fleet-vendor.test\nExpires: 2099-01-01T00:00:00Z\n")
    context = server_context(Path(cert), Path(key))
    records = {(DOMAIN, "TXT"): ['"v=spf1 -all"'], (f"_dmarc.{DOMAIN}", "TXT"): ['"v=DMARC1; p=reject"'],
               (DOMAIN, "CAA"): ['0 issue "letsencrypt.org"']}
    with ExitStack() as stack:
        ports = []
        for _ in range(count):
            site = Site(routes={"/.well-known/security.txt": security_txt}, default=(200, headers, b"{}"))
            port, _site = stack.enter_context(serve(site, context=context))
            ports.append(port)
        dns_port = stack.enter_context(dns_server(records))
        print(json.dumps({"ports": ports, "dns": dns_port}), flush=True)
        sys.stdin.read()  # until the parent closes the pipe


class Fleet:
    def __init__(self, count: int, cert: Path, key: Path):
        self.proc = subprocess.Popen([sys.executable, __file__, "--serve-fleet", str(count), str(cert), str(key)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        info = json.loads(self.proc.stdout.readline())
        self.ports: list[int] = info["ports"]
        self.dns_port: int = info["dns"]

    def close(self) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# --------------------------------------------------------------------------- measuring

def measure(argv: list[str], **kwargs) -> tuple[float, float, int, str]:
    """Run a command; (wall seconds, max RSS in MB of that process, exit code, stdout)."""
    out = tempfile.TemporaryFile()
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT, **kwargs)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    return wall, usage.ru_maxrss / 1024, proc.returncode, out.read().decode("utf-8", "replace")


def vendorvet_argv(ports: list[int], ca: Path, dns_port: int, concurrency: int, timeout: float) -> list[str]:
    argv = [sys.executable, "-m", "vendorvet.cli.main", "scan", "--format", "json", "--allow-private",
            "--ca-file", str(ca), "--nameserver", f"127.0.0.1:{dns_port}", "--concurrency", str(concurrency),
            "--timeout", str(timeout)]
    for port in ports:
        argv += ["--resolve", f"{HOST}:{port}:127.0.0.1"]
    return argv + [f"https://{HOST}:{port}/" for port in ports]


def sslyze_argv(ports: list[int], ca: Path, workdir: Path) -> list[str]:
    targets = workdir / "sslyze-targets.txt"
    targets.write_text("".join(f"{HOST}:{port}{{127.0.0.1}}\n" for port in ports))
    return [sys.executable, "-m", "sslyze", "--quiet", "--json_out", str(workdir / "sslyze.json"),
            "--targets_in", str(targets), "--certinfo_ca_file", str(ca), *TLS_FLAGS]


def summarize_vendorvet(stdout: str) -> dict:
    doc = json.loads(stdout)
    targets = doc["targets"]
    findings = [f for t in targets for f in t["findings"]]
    return {
        "targets": len(targets),
        "graded": sum(1 for t in targets if t["grade"]),
        "grades": sorted({t["grade"] or "-" for t in targets}),
        "findings": len(findings),
        "checks": len({f["check_id"] for f in findings}),
        "errors": sum(1 for f in findings if f["status"] == "error"),
        "error_checks": sorted({f["check_id"] for f in findings if f["status"] == "error"}),
    }


def cross_check(workdir: Path, ca: Path, ports: list[int]) -> dict:
    """Same answers as sslyze? vendorvet's TLS collector (in this process) against the sslyze run's JSON:
    accepted suites per protocol version and the vulnerability verdicts, endpoint by endpoint."""
    import warnings

    from vendorvet.engine.collectors.tls import PROTOCOL_COMMANDS, TlsJob, collect_tls

    warnings.filterwarnings("ignore", message=".*serial number")  # a Mozilla root; harmless here
    doc = json.loads((workdir / "sslyze.json").read_text())
    by_port = {r["server_location"]["port"]: r["scan_result"] for r in doc["server_scan_results"]}
    ours = collect_tls([TlsJob(str(port), HOST, port, "127.0.0.1") for port in ports], timeout=10, ca_file=ca)
    mismatches = []
    for port in ports:
        facts, theirs = ours[str(port)].value, by_port[port]
        for protocol, command in PROTOCOL_COMMANDS.items():
            expected = sorted(a["cipher_suite"]["name"] for a in theirs[command]["result"]["accepted_cipher_suites"])
            got = sorted(c.name for c in facts.ciphers if c.protocol == protocol)
            if expected != got:
                mismatches.append(f"{port} {protocol}: sslyze {expected} vendorvet {got}")
        for command, field, value in (("heartbleed", "is_vulnerable_to_heartbleed", facts.heartbleed),
                                      ("openssl_ccs_injection", "is_vulnerable_to_ccs_injection", facts.ccs_injection),
                                      ("robot", "robot_result", facts.robot),
                                      ("tls_compression", "supports_compression", facts.compression),
                                      ("tls_fallback_scsv", "supports_fallback_scsv", facts.fallback_scsv)):
            if theirs[command]["result"][field] != value:
                mismatches.append(f"{port} {command}: sslyze {theirs[command]['result'][field]} vendorvet {value}")
    suites = sum(len(by_port[port][c]["result"]["accepted_cipher_suites"])
                 for port in ports for c in PROTOCOL_COMMANDS.values())
    return {"endpoints": len(ports), "accepted_suites_compared": suites, "mismatches": mismatches}


def summarize_sslyze(workdir: Path) -> dict:
    doc = json.loads((workdir / "sslyze.json").read_text())
    results = doc.get("server_scan_results", [])
    return {"targets": len(results), "completed": sum(1 for r in results if r.get("scan_status") == "COMPLETED")}


# --------------------------------------------------------------------------- main

def make_pki(workdir: Path) -> tuple[Path, Path, Path]:
    import trustme

    from tests.engine.servers import make_leaf

    ca = trustme.CA()
    ca_pem = workdir / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_pem))
    cert, key = make_leaf(ca, workdir, "fleet", [HOST])
    return ca_pem, cert, key


def run(args: argparse.Namespace) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="vendorvet-bench-"))
    ca, cert, key = make_pki(workdir)
    report: dict = {"endpoints": args.endpoints, "concurrency": args.concurrency, "cpus": os.cpu_count()}
    ok = True
    fleet = Fleet(args.endpoints, cert, key)
    try:
        print(f"fleet: {len(fleet.ports)} TLS endpoints on 127.0.0.1, DNS on port {fleet.dns_port}")
        runs = {"vendorvet": [], "sslyze": []}
        for round_no in range(args.rounds):
            order = ["sslyze", "vendorvet"] if round_no % 2 == 0 else ["vendorvet", "sslyze"]
            for tool in order:
                if tool == "vendorvet":
                    wall, rss, code, out = measure(vendorvet_argv(fleet.ports, ca, fleet.dns_port,
                                                                  args.concurrency, args.timeout))
                    summary = summarize_vendorvet(out) if code == 0 else {"exit": code}
                else:
                    wall, rss, code, _ = measure(sslyze_argv(fleet.ports, ca, workdir))
                    summary = summarize_sslyze(workdir) if code == 0 else {"exit": code}
                runs[tool].append({"wall_s": round(wall, 2), "max_rss_mb": round(rss, 1), **summary})
                print(f"round {round_no + 1} {tool:<9} {wall:7.2f} s  max RSS {rss:6.1f} MB  {summary}", flush=True)
        best = {tool: min(r["wall_s"] for r in rs) for tool, rs in runs.items()}
        ratio = best["vendorvet"] / best["sslyze"]
        peak = max(r["max_rss_mb"] for r in runs["vendorvet"])
        complete = all(r.get("graded") == args.endpoints for r in runs["vendorvet"])
        report["fleet"] = {"runs": runs, "best_wall_s": best, "ratio": round(ratio, 3), "peak_rss_mb": peak}
        print(f"\nfleet of {args.endpoints}: vendorvet {best['vendorvet']:.2f} s, sslyze {best['sslyze']:.2f} s "
              f"(best of {args.rounds}) → ratio {ratio:.2f} (target ≤ {RATIO_TARGET}) "
              f"{'PASS' if ratio <= RATIO_TARGET else 'FAIL'}")
        print(f"peak memory of vendorvet scan: {peak:.1f} MB (target < {MEMORY_TARGET_MB} MB) "
              f"{'PASS' if peak < MEMORY_TARGET_MB else 'FAIL'}")
        print(f"every target graded: {'yes' if complete else 'NO'}")
        same = cross_check(workdir, ca, fleet.ports[:args.cross_check])
        report["fleet"]["cross_check"] = same
        print(f"same answers as sslyze on {same['endpoints']} endpoints ({same['accepted_suites_compared']} accepted "
              f"suites, 5 vulnerability verdicts each): {'yes' if not same['mismatches'] else same['mismatches']}")
        ok &= ratio <= RATIO_TARGET and peak < MEMORY_TARGET_MB and complete and not same["mismatches"]

        if not args.skip_testssl:
            ok &= one_host(fleet, ca, args, report)
    finally:
        fleet.close()
        shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0 if ok else 1


def one_host(fleet: Fleet, ca: Path, args: argparse.Namespace, report: dict) -> bool:
    testssl = shutil.which("testssl") or shutil.which("testssl.sh")
    port = fleet.ports[0]
    walls = []
    for _ in range(max(1, args.one_host_runs)):  # the median of a few runs: one run is at the mercy of the machine
        wall, _rss, v_code, v_out = measure(vendorvet_argv([port], ca, fleet.dns_port, args.concurrency, args.timeout))
        walls.append(wall)
    v_wall = sorted(walls)[len(walls) // 2]
    v_summary = summarize_vendorvet(v_out) if v_code == 0 else {"exit": v_code}
    print(f"\none host: vendorvet {v_wall:.2f} s (median of {', '.join(f'{w:.2f}' for w in walls)})  {v_summary}")
    if not testssl:
        print("testssl.sh not installed (Debian: apt-get install testssl.sh) — skipped")
        report["one_host"] = {"vendorvet_s": round(v_wall, 2), "testssl_s": None}
        return False
    # Full default run; --ip pins the name like --resolve, --nodns min keeps it off the (absent) internet.
    argv = [testssl, "--quiet", "--color", "0", "--warnings", "off", "--ip", "127.0.0.1", "--nodns", "min",
            "--add-ca", str(ca), f"https://{HOST}:{port}/"]
    t_wall, _rss, t_code, _ = measure(argv)
    factor = t_wall / v_wall
    print(f"one host: testssl.sh {t_wall:.2f} s (exit {t_code}) → vendorvet is {factor:.1f}× faster "
          f"(target ≥ {TESTSSL_TARGET:g}×) {'PASS' if factor >= TESTSSL_TARGET else 'FAIL'}")
    report["one_host"] = {"vendorvet_s": round(v_wall, 2), "vendorvet_runs_s": [round(w, 2) for w in walls],
                          "testssl_s": round(t_wall, 2), "factor": round(factor, 1),
                          "vendorvet": v_summary}
    return factor >= TESTSSL_TARGET


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--serve-fleet":
        serve_fleet(int(sys.argv[2]), sys.argv[3], sys.argv[4])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoints", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=10, help="vendorvet --concurrency (sslyze: its default 10)")
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=1, help="alternating rounds of both tools (best is compared)")
    parser.add_argument("--skip-testssl", action="store_true")
    parser.add_argument("--one-host-runs", type=int, default=3, metavar="N",
                        help="runs of vendorvet on the one host (the median is compared with testssl.sh)")
    parser.add_argument("--cross-check", type=int, default=10, metavar="N",
                        help="compare vendorvet's TLS facts with sslyze's JSON on the first N endpoints")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())

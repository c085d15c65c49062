"""``vendorvet scan`` — external evidence from a vendor's real endpoints. No database, no Django set-up.

Exit codes: 0 done (and ``--fail-on`` not met), 1 ``--fail-on`` met, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vendorvet.cli.options import add_format_argument
from vendorvet.cli.runtime import CLIError
from vendorvet.engine.severity import FINDING_VALUES

SEVERITIES = FINDING_VALUES  # ("info", …, "critical"): the engine's one severity scale
FORMATS = ("table", "json", "sarif", "ocsf")

EPILOG = """\
Safety: targets that resolve to loopback, private, link-local, CGNAT, multicast, reserved or cloud-metadata
addresses (IPv4-mapped IPv6 included) are refused, also when reached through a redirect, unless
--allow-private is given. Each name is resolved once and the vetted address is the one connected to.
At most 5 connections per host; a bounded number of requests per host.

Time limits: --timeout SECONDS bounds every single network operation (connect, each read and write,
each DNS query). Each HTTP fetch, redirects included, has at most 2x that. The TLS part of each
endpoint (one name, port and address) has a total deadline of 6x --timeout (60 s by default),
counted from its first connection: at the deadline the endpoint's TLS scan is abandoned and its
connections are closed; the TLS checks report error "deadline exceeded" for that address (an error
outranks a pass from another address) and the target gets no grade.

Addresses: TLS is scanned on every address the name resolves to (in address order, IPv4 first),
up to --max-addresses (default 4); each TLS finding names the address(es) it came from, and when
addresses disagree the worst status wins and the evidence says which address. An address this
machine has no route to (e.g. IPv6 on an IPv4-only host) is listed as not scanned, with the
reason, when another address was scanned.

--fail-on SEVERITY exits 1 when any finding with status fail, warn or error has at least that severity
(a check that could not run is an error: nothing passes silently).

Grade: SSL Labs rating-guide score and caps for TLS (0.7) combined with the Mozilla HTTP Observatory v6
header score (0.3); every deduction and cap is listed with the result.
"""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "scan", help="scan vendor endpoints from outside: TLS, HTTP headers, security.txt, rate limits, DNS",
        description="Collect external evidence from a vendor's endpoints and judge it against published rules.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("targets", nargs="*", metavar="TARGET", help="https://host[:port][/path] or host[:port]")
    parser.add_argument("--checks", metavar="ID[,ID…]", action="append", default=[],
                        help="run only these checks: an id, or a prefix such as tls or tls.cert (repeatable)")
    parser.add_argument("--list-checks", action="store_true",
                        help="list the available checks (id, severity, title) and exit; with --format json as JSON")
    add_format_argument(parser, FORMATS)
    parser.add_argument("--ca-file", metavar="PEM", type=Path, help="additional trust anchors (internal CAs)")
    parser.add_argument("--resolve", metavar="HOST:PORT:ADDRESS", action="append", default=[],
                        help="pin HOST:PORT to ADDRESS, as curl does (repeatable)")
    parser.add_argument("--nameserver", metavar="ADDRESS[:PORT]", help="DNS server for all lookups")
    parser.add_argument("--allow-private", action="store_true",
                        help="allow targets on private, loopback and other internal addresses")
    parser.add_argument("--timeout", metavar="SECONDS", type=float, default=10.0,
                        help="timeout per network operation (default 10); the TLS part of each endpoint is "
                        "abandoned after 6× this (see below)")
    parser.add_argument("--max-addresses", metavar="N", type=int, default=4,
                        help="TLS-scan up to N addresses of each name (default 4)")
    parser.add_argument("--concurrency", metavar="N", type=int, default=10,
                        help="targets scanned in parallel (default 10)")
    parser.add_argument("--fail-on", metavar="SEVERITY", choices=SEVERITIES,
                        help="exit 1 if a fail/warn/error finding has this severity or higher: "
                        + ", ".join(SEVERITIES))
    parser.set_defaults(func=run)


def build_options(args: argparse.Namespace):
    from vendorvet.engine.net import parse_nameserver, parse_resolve_pins
    from vendorvet.engine.runner import ScanOptions

    if not 0 < args.timeout <= 300:
        raise CLIError("--timeout must be between 0 and 300 seconds", 2)
    if not 1 <= args.concurrency <= 200:
        raise CLIError("--concurrency must be between 1 and 200", 2)
    if not 1 <= args.max_addresses <= 16:
        raise CLIError("--max-addresses must be between 1 and 16", 2)
    if args.ca_file is not None:
        if not args.ca_file.is_file():
            raise CLIError(f"--ca-file {args.ca_file}: no such file", 2)
        try:
            from cryptography import x509

            if not x509.load_pem_x509_certificates(args.ca_file.read_bytes()):
                raise ValueError("no certificate")
        except ValueError as exc:
            raise CLIError(f"--ca-file {args.ca_file}: not a PEM certificate file ({exc})", 2) from None
    try:
        pins = parse_resolve_pins(args.resolve)
    except ValueError as exc:
        raise CLIError(f"--resolve {exc}", 2) from None
    if args.nameserver:
        try:
            parse_nameserver(args.nameserver)
        except ValueError as exc:
            raise CLIError(f"--nameserver {args.nameserver!r}: expected ADDRESS[:PORT] ({exc})", 2) from None
    checks = selected_checks(args)
    return ScanOptions(timeout=args.timeout, concurrency=args.concurrency, ca_file=args.ca_file, pins=pins,
                       nameserver=args.nameserver, allow_private=args.allow_private,
                       max_addresses=args.max_addresses, checks=checks)


def selected_checks(args: argparse.Namespace) -> list[str] | None:
    from vendorvet.engine import registry

    patterns = [p.strip() for value in getattr(args, "checks", None) or [] for p in value.split(",") if p.strip()]
    if not patterns:
        return None
    try:
        registry.select(patterns)
    except registry.RegistryError as exc:
        raise CLIError(f"--checks: {exc}", 2) from None
    return patterns


def list_checks(args: argparse.Namespace) -> int:
    """The check catalogue from the registry: a new check module is listed without any other change."""
    import json

    from vendorvet.engine import registry

    specs = registry.select(selected_checks(args))
    if args.format == "json":
        rows = [{"id": s.id, "severity": s.severity.value, "title": s.title, "requires": list(s.requires),
                 "risk": s.risk, "remediation": s.remediation, "sources": list(s.sources)} for s in specs]
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    else:
        width = max(len(s.id) for s in specs) + 2
        lines = [f"{'CHECK':<{width}}{'SEVERITY':<10}TITLE"]
        lines += [f"{s.id:<{width}}{s.severity.value:<10}{s.title}" for s in specs]
        sys.stdout.write("\n".join(lines) + "\n")
    return 0


def fail_on_met(results, threshold: str | None) -> bool:
    from vendorvet.engine.models import Severity, Status

    if not threshold:
        return False
    rank = Severity(threshold).rank
    return any(f.status in (Status.FAIL, Status.WARN, Status.ERROR) and f.severity.rank >= rank
               for r in results for f in r.findings)


def run(args: argparse.Namespace) -> int:
    from vendorvet.engine.models import TargetError, parse_target
    from vendorvet.engine.outputs import json as json_out
    from vendorvet.engine.outputs import ocsf as ocsf_out
    from vendorvet.engine.outputs import sarif as sarif_out
    from vendorvet.engine.outputs import table as table_out
    from vendorvet.engine.runner import scan

    if args.list_checks:
        return list_checks(args)
    if not args.targets:
        raise CLIError("give at least one TARGET (or --list-checks)", 2)
    options = build_options(args)
    targets = []
    for raw in args.targets:
        try:
            targets.append(parse_target(raw))
        except TargetError as exc:
            raise CLIError(str(exc), 2) from None
    progress = None
    if args.format == "table" and sys.stderr.isatty():
        progress = lambda message: print(f"… {message}", file=sys.stderr)  # noqa: E731
    results = scan(targets, options, progress=progress)
    writer = {"json": json_out, "sarif": sarif_out, "ocsf": ocsf_out, "table": table_out}[args.format]
    sys.stdout.write(writer.render(results))
    sys.stdout.flush()
    return 1 if fail_on_met(results, args.fail_on) else 0

"""``vendorvet openapi audit FILE`` (also ``vendorvet audit-openapi FILE``): audit an OpenAPI document.

No network: only local files and local ``$ref``s. No database either, unless ``--integration ID`` (with
``--tenant``/``--user``) stores the audit on that integration, as the web upload does. Exit codes: 0 audited, 1 ``--fail-on`` met or
the document could not be read, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import sys

from vendorvet.cli.options import add_format_argument
from vendorvet.cli.runtime import CLIError, add_actor_arguments
from vendorvet.engine.severity import FINDING_VALUES

SEVERITIES = FINDING_VALUES  # ("info", …, "critical"): the engine's one severity scale


def _add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE", help="OpenAPI 2.0/3.0/3.1 document, JSON or YAML; relative $ref files next to it "
                   "are read too")
    p.add_argument("--max-bytes", metavar="SIZE",
                   help="size limit for the document and its referenced files together, in bytes or with K/M/G "
                   "(default 32M, or VENDORVET_OPENAPI_MAX_BYTES)")
    add_format_argument(p)
    p.add_argument("--fail-on", metavar="SEVERITY", choices=SEVERITIES,
                   help="exit 1 if a fail/warn finding has this severity or higher")
    p.add_argument("--integration", metavar="ID", type=int,
                   help="store the audit on this integration (needs --tenant/--user and the change permission); "
                   "its findings then answer the review")
    add_actor_arguments(p)
    p.set_defaults(func=run)


def register(subparsers) -> None:
    description = ("Audit how an API declares authentication (schemes, OAuth flows, scopes), transport, rate limits, "
                   "versioning and deprecations. Findings carry the JSON pointer of where they were found; the JSON "
                   "output has the shape of `vendorvet scan --format json`.")
    parser = subparsers.add_parser("openapi", help="work with OpenAPI documents", description=description)
    sub = parser.add_subparsers(dest="openapi_command", metavar="ACTION")
    _add_arguments(sub.add_parser("audit", help="audit an OpenAPI document", description=description))
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])
    # the earlier name, hidden from --help (no ``help=``)
    _add_arguments(subparsers.add_parser("audit-openapi", description=description))


def run(args: argparse.Namespace) -> int:
    from vendorvet.engine.models import Severity, Status
    from vendorvet.engine.openapi_audit import OpenAPIError, audit_file, document, parse_size, render_table

    try:
        max_bytes = parse_size(args.max_bytes, "--max-bytes") if args.max_bytes else None
    except OpenAPIError as exc:
        raise CLIError(str(exc), 2) from None
    results = []
    for path in args.files:
        if "://" in path:
            raise CLIError(f"{path}: only local files are audited; download the document first", 2)
        try:
            results.append(audit_file(path, max_bytes))
        except OpenAPIError as exc:
            raise CLIError(str(exc)) from None
    if args.integration is not None:
        _store(args)
    if args.format == "json":
        sys.stdout.write(json.dumps(document(results), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_table(results))
    if args.fail_on:
        rank = Severity(args.fail_on).rank
        if any(f.status in (Status.FAIL, Status.WARN) and f.severity.rank >= rank
               for r in results for f in r.findings):
            return 1
    return 0


def _store(args: argparse.Namespace) -> None:
    """Audit again inside the tenant and store each file's result on the integration."""
    from vendorvet.cli.runtime import acting_in_tenant
    from vendorvet.engine.openapi_audit import OpenAPIError

    with acting_in_tenant(args):
        from vendorvet.web.discovery.openapi import store_audit
        from vendorvet.web.inventory.models import Integration

        integration = Integration.objects.filter(pk=args.integration).first()
        if integration is None:
            raise CLIError(f"no integration {args.integration} in this tenant")
        for path in args.files:
            try:
                audit = store_audit(integration, path)
            except OpenAPIError as exc:
                raise CLIError(str(exc)) from None
            sys.stderr.write(f"stored as OpenAPI audit #{audit.pk} on integration {integration.pk} "
                             f"({integration.name})\n")

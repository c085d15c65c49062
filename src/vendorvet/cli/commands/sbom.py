"""``vendorvet sbom check|import``: match an SBOM against the offline OSV database.

``check`` reads the SBOM and prints its known vulnerabilities without writing anything;
``import`` stores it as a version of an integration (tenant data: ``--tenant``/``--user``,
role permission ``import``), with its components and findings.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from vendorvet.cli.options import add_format_argument
from vendorvet.cli.runtime import CLIError, acting_in_tenant, add_actor_arguments


def register(subparsers) -> None:
    parser = subparsers.add_parser("sbom", help="check or import SBOMs (CycloneDX, SPDX)",
                                   description=__doc__.split("\n\n", 1)[1])
    actions = parser.add_subparsers(dest="sbom_action", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="list the known vulnerabilities of an SBOM and what could not be "
                                             "checked; stores nothing")
    check.add_argument("file")
    add_format_argument(check)
    check.add_argument("--db", help="OSV database file (default: osv.sqlite3 in the data directory)")
    check.set_defaults(func=run_check)
    imp = actions.add_parser("import", help="store an SBOM as a version of an integration")
    imp.add_argument("file")
    imp.add_argument("--integration", type=int, required=True, help="integration id")
    imp.add_argument("--label", help="product version the SBOM describes (default: the file name)")
    add_actor_arguments(imp)
    imp.set_defaults(func=run_import)


def _read(path: str) -> bytes:
    from vendorvet.engine.supplychain.sbom import MAX_BYTES

    p = Path(path)
    if not p.is_file():
        raise CLIError(f"{path}: no such file")
    if p.stat().st_size > MAX_BYTES:
        raise CLIError(f"{path}: the SBOM is larger than {MAX_BYTES // (1024 * 1024)} MB")
    return p.read_bytes()


def run_check(args: argparse.Namespace) -> int:
    from vendorvet.engine.supplychain import coverage
    from vendorvet.engine.supplychain.sbom import SbomError, parse
    from vendorvet.engine.supplychain.store import OsvStore, default_path

    data = _read(args.file)
    try:
        doc = parse(data, args.file)
    except SbomError as exc:
        raise CLIError(f"{args.file}: {exc}") from None
    db = Path(args.db) if args.db else default_path()
    if not db.exists():
        raise CLIError(f"no OSV database at {db}; run 'vendorvet osv import PATH' first")
    with OsvStore(db) as store:  # an empty database answers "not_checked", never "0 known vulnerabilities"
        result = coverage.check(doc, store)
    if args.format == "json":
        print(json.dumps(result, indent=2))
        return 0
    findings = result["vulnerabilities"]
    db_state = result["database"]
    print(f"OSV database: {db_state['records']} records, last import {db_state['imported_at'] or 'never'}")
    total = result["components"] + len(result["not_checkable"])
    unreadable = f" ({len(result['not_checkable'])} not checkable, listed below)" if result["not_checkable"] else ""
    if result["status"] == coverage.NOT_CHECKED:
        print(f"{total} components{unreadable}: NOT CHECKED — no vulnerability data for them")
    else:
        partial = " (partial: see below)" if result["status"] == coverage.PARTIAL else ""
        print(f"{total} components{unreadable}, {len(findings)} known vulnerabilities{partial}")
    for f in findings:
        score = f"{f['cvss']:.1f}" if f["cvss"] is not None else "-"
        print(f"  {f['severity']:<8} {score:>4}  {f['id']:<22} {f['purl']}  "
              f"fixed: {', '.join(f['fixed_versions']) or '-'}")
    for n in result["not_checked"]:
        print(f"  not checked: {n['purl']} — {n['reason']}")
    for n in result["not_checkable"]:
        print(f"  not checkable: {n['name'] or '(no name)'} {n['version']} — {n['reason']}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    data = _read(args.file)
    with acting_in_tenant(args):
        from django.core.exceptions import ValidationError

        from vendorvet.web.inventory.models import Integration
        from vendorvet.web.supplychain import services

        integration = Integration.objects.filter(pk=args.integration).first()
        if integration is None:
            raise CLIError(f"no integration {args.integration} in this tenant")
        try:
            sbom = services.import_sbom(integration, data, label=args.label or Path(args.file).name,
                                        filename=Path(args.file).name)
        except ValidationError as exc:
            msgs = exc.message_dict if hasattr(exc, "error_dict") else {"error": exc.messages}
            raise CLIError("; ".join(f"{k}: {' '.join(v)}" for k, v in msgs.items())) from None
        print(f"Imported SBOM {sbom.pk} ({sbom.label}) for {integration.name}: {sbom.component_count} components, "
              f"{sbom.findings.count()} known vulnerabilities.")
    return 0

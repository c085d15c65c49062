"""``vendorvet discover …``: import OAuth-grant exports and proxy logs; list what was found."""

from __future__ import annotations

import argparse
import json
import sys

from vendorvet.cli.options import add_format_argument
from vendorvet.cli.runtime import CLIError, acting_in_tenant, add_actor_arguments
from vendorvet.engine.discovery import registry


def register(subparsers) -> None:
    """``vendorvet discover <source>`` for every registered discovery source (the engine's registry:
    read without starting Django, so ``--help`` needs neither settings nor a database), plus ``list`` and
    ``sources``."""
    parser = subparsers.add_parser(
        "discover", help="find apps nobody registered: OAuth grants (Google, Entra ID) and proxy/DNS logs",
        description="Import exports of OAuth grants and network logs. Each discovered app becomes (or is linked "
        "to) a proposed integration; existing integrations are never changed. Each import is one transaction: "
        "a file that cannot be read stores nothing.")
    sub = parser.add_subparsers(dest="discover_command", metavar="SOURCE")
    for source in registry.sources():
        help_text = f"{source.help_in('en')} Files: {', '.join(source.file_kinds_in('en'))}."
        p = sub.add_parser(source.command, aliases=list(source.aliases), help=help_text, description=help_text)
        p.add_argument("files", nargs="+", metavar="FILE")
        add_format_argument(p, help="summary format: table|json (default: table)")
        add_actor_arguments(p)
        p.set_defaults(func=run_import, source=source.id)
    p = sub.add_parser("sources", help="list the discovery sources this installation can import",
                       description="List the discovery sources: sub-command, what it reads, accepted files.")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=run_sources)
    p = sub.add_parser("list", help="list discovered apps with their risk",
                       description="List discovered apps, highest risk first.")
    add_format_argument(p)
    p.add_argument("--new", action="store_true", help="only apps found for the first time by the latest import")
    p.add_argument("--revoked", action="store_true",
                   help="only apps the latest import found revoked (no active grant left, or deleted from Entra ID)")
    p.add_argument("--risk", choices=("high", "medium", "low"), help="only apps with this risk")
    add_actor_arguments(p)
    p.set_defaults(func=run_list)
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])


def run_sources(args: argparse.Namespace) -> int:
    rows = [{"id": s.id, "command": s.command, "label": s.label_in("en"), "file_kinds": list(s.file_kinds),
             "help": s.help_in("en")} for s in registry.sources()]
    if args.format == "json":
        sys.stdout.write(json.dumps({"sources": rows}, indent=2, ensure_ascii=False) + "\n")
        return 0
    width = max((len(r["command"]) for r in rows), default=7) + 2
    sys.stdout.write(f"{'COMMAND':<{width}}{'FILES':<16}SOURCE\n")
    for r in rows:
        sys.stdout.write(f"{r['command']:<{width}}{','.join(r['file_kinds']):<16}{r['label']}\n")
    return 0


def run_import(args: argparse.Namespace) -> int:
    with acting_in_tenant(args) as tenant:
        from vendorvet.engine.discovery.errors import DiscoveryInputError
        from vendorvet.web.discovery.importer import risk_order, run_import as do_import

        try:
            report = do_import(args.source, args.files)
        except DiscoveryInputError as exc:
            raise CLIError(f"{exc} — nothing was imported") from None
        run = report.run
        if args.format == "json":
            from vendorvet.web.discovery.listing import app_document

            doc = {"import": {"id": run.pk, "source": run.source, "records": run.records, "skipped": run.skipped,
                              "apps_seen": run.apps_seen, "apps_new": run.apps_new, "grants_new": run.grants_new,
                              "revocations": run.revocations, "integrations_created": run.integrations_created},
                   "new_apps": [app_document(a) for a in sorted(report.new_apps, key=risk_order)],
                   "revoked_apps": [app_document(a) for a in sorted(report.revoked_apps, key=risk_order)],
                   "revoked_grants": run.revoked.get("grants", []),
                   "warnings": run.warnings}
            sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
            return 0
        out = sys.stdout
        out.write(f"{run.records} records read, {run.skipped} skipped; {run.apps_seen} apps "
                  f"({run.apps_new} new), {run.grants_new} new grants, {run.revocations} revocations, "
                  f"{run.apps_new} new proposals — not in the inventory until accepted (tenant {tenant.slug})\n")
        if report.new_apps:
            out.write("new apps since the last import:\n")
            for app in sorted(report.new_apps, key=risk_order):
                out.write(f"  {app.risk:<7} {app.label}  [{app.client_id}]\n")
        if run.revocations:
            out.write("revoked since the last import:\n")
            for app in sorted(report.revoked_apps, key=risk_order):
                out.write(f"  app     {app.name}  [{app.client_id}] — nothing granted remains\n")
            for g in run.revoked.get("grants", []):
                who = "all users" if g["principal"] == "*" else g["principal"]
                what = "grant" if g["whole"] else "scopes"
                out.write(f"  {what:<7} {g['app']}: {who} ({g['type']}) {' '.join(g['scopes'])}\n")
            listed = len(run.revoked.get("grants", []))
            if run.revocations > listed:
                out.write(f"  … and {run.revocations - listed} more\n")
        for w in run.warnings:
            out.write(f"warning: {w}\n")
        return 0


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def run_list(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from vendorvet.web.accounts import roles
        from vendorvet.web.discovery.importer import new_apps_since_last_import, revoked_since_last_import
        from vendorvet.web.discovery.listing import document
        from vendorvet.web.discovery.models import DiscoveredApp

        roles.require(roles.VIEW)
        apps = DiscoveredApp.objects.all()
        if args.new:
            run, new = new_apps_since_last_import()
            apps = apps.filter(pk__in=[a.pk for a in new])
        if args.revoked:
            run, revoked = revoked_since_last_import()
            apps = apps.filter(pk__in=[a.pk for a in revoked["apps"]])
        if args.risk:
            apps = apps.filter(risk=args.risk)
        doc = document(apps)
        if args.format == "json":
            sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
            return 0
        out = sys.stdout
        out.write(f"{'RISK':<8}{'STATUS':<9}{'USERS':>6}  {'NAME':<32}{'SOURCES':<30}FLAGS\n")
        for a in doc["apps"]:
            users = len(a["users"]) or ("all" if a["tenant_wide"] else 0)
            out.write(f"{a['risk']:<8}{a['status']:<9}{users!s:>6}  {_clip(a['name'], 31):<32}"
                      f"{_clip(','.join(a['sources']), 29):<30}{','.join(a['flags'])}\n")
        out.write(f"{len(doc['apps'])} apps\n")
        for w in doc["warnings"]:
            out.write(f"warning: {w}\n")
        return 0

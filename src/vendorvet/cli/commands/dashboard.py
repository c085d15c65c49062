"""``vendorvet dashboard snapshot``: store this week's dashboard figures (the trend charts' points)."""

from __future__ import annotations

import argparse
import json

from vendorvet.cli.options import add_format_argument
from vendorvet.cli.runtime import CLIError, setup_django


def register(subparsers) -> None:
    parser = subparsers.add_parser("dashboard", help="the dashboard's weekly snapshots (trends)",
                                   description="Store this week's dashboard figures for the trend charts. The "
                                   "monitoring tick does the same on every pass.")
    actions = parser.add_subparsers(dest="dashboard_action", metavar="ACTION", required=True)
    snap = actions.add_parser("snapshot", help="store (or refresh) this week's snapshot of every or one tenant")
    snap.add_argument("--tenant", help="only this tenant (slug)")
    add_format_argument(snap)
    snap.set_defaults(func=run_snapshot)


def run_snapshot(args: argparse.Namespace) -> int:
    setup_django()
    from vendorvet.web.accounts.models import Tenant
    from vendorvet.web.core.context import tenant_session
    from vendorvet.web.core.events import task_actor
    from vendorvet.web.dashboard.snapshots import take_snapshot

    tenants = Tenant.objects.order_by("slug")
    if args.tenant:
        tenants = tenants.filter(slug=args.tenant)
        if not tenants.exists():
            raise CLIError(f"no tenant {args.tenant!r}")
    done = []
    for tenant in tenants:
        with tenant_session(tenant, task_actor()):
            snap = take_snapshot()
        done.append({"tenant": tenant.slug, "week": snap.week.isoformat(), "figures": len(snap.figures)})
    if args.format == "json":
        print(json.dumps(done))
    else:
        for row in done:
            print(f"{row['tenant']}: week of {row['week']} · {row['figures']} figures stored")
    return 0

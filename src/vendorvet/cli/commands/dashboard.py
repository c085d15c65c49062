"""``vendorvet dashboard snapshot``: store this week's dashboard figures (the trend charts' points);
``vendorvet dashboard figures`` and ``vendorvet dashboard tenants``: the dashboard and the service-provider view,
printed from the same functions as the web pages and ``/api/dashboard/…``."""

from __future__ import annotations

import argparse
import json

from vendorvet.cli.options import add_format_argument
from vendorvet.cli.runtime import CLIError, acting_in_tenant, add_actor_arguments, setup_django


def register(subparsers) -> None:
    parser = subparsers.add_parser("dashboard", help="the dashboard's weekly snapshots (trends)",
                                   description="Store this week's dashboard figures for the trend charts. The "
                                   "monitoring tick does the same on every pass.")
    actions = parser.add_subparsers(dest="dashboard_action", metavar="ACTION", required=True)
    snap = actions.add_parser("snapshot", help="store (or refresh) this week's snapshot of every or one tenant")
    snap.add_argument("--tenant", help="only this tenant (slug)")
    add_format_argument(snap)
    snap.set_defaults(func=run_snapshot)
    figs = actions.add_parser("figures", help="every figure of a tenant's dashboard, with the list behind it")
    add_actor_arguments(figs)
    figs.add_argument("--language", choices=("en", "de"), default=None,
                      help="language of the labels (default: the installation's)")
    add_format_argument(figs)
    figs.set_defaults(func=run_figures)
    tenants = actions.add_parser("tenants", help="key figures and traffic light of every tenant of the user")
    add_actor_arguments(tenants)
    tenants.add_argument("--sort", default="tenant",
                         help="tenant, integrations, risk, open, severe, overdue or light; a leading '-' "
                         "reverses (--sort=-risk)")
    tenants.add_argument("--language", choices=("en", "de"), default=None,
                         help="language of the labels (default: the installation's)")
    add_format_argument(tenants)
    tenants.set_defaults(func=run_tenants)


def _language(args):
    from django.conf import settings

    return args.language or settings.LANGUAGE_CODE


def run_figures(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from django.utils import translation

        from vendorvet.web.accounts import roles
        from vendorvet.web.dashboard.api import figures_data

        if not roles.has_perm(roles.VIEW):
            raise CLIError("permission denied: viewing the dashboard needs the view permission")
        with translation.override(_language(args)):
            data = figures_data()
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    labels = {s["key"]: s["label"] for s in data["sections"]}
    section = None
    for f in data["figures"]:
        if f["section"] != section:
            section = f["section"]
            print(f"\n{labels.get(section, section)}")
        value = "–" if f["value"] is None else str(f["value"])
        print(f"  {value:>6}  {f['label']}  [{f['key']}]{'  ' + f['reason'] if f['value'] is None else ''}")
    return 0


def run_tenants(args: argparse.Namespace) -> int:
    setup_django()
    if not args.tenant and args.user:  # any tenant of the user will do to act in: the rows cover all of them
        from vendorvet.web.accounts.models import memberships_of
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=args.user, is_active=True).first()
        first = memberships_of(user).first() if user is not None else None
        if first is not None:
            args.tenant = first.tenant.slug
    with acting_in_tenant(args):
        from django.utils import translation

        from vendorvet.web.accounts.models import memberships_of
        from vendorvet.web.core.context import require_actor
        from vendorvet.web.dashboard.api import provider_data

        tenants = [m.tenant for m in memberships_of(require_actor().user)]
        with translation.override(_language(args)):
            try:
                rows = provider_data(tenants, args.sort)
            except ValueError as exc:
                raise CLIError(str(exc), 2) from None
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    keys = ("integrations", "risk", "open", "severe", "overdue")
    width = max([len(r["tenant"]) for r in rows] + [6])
    print(f"{'tenant':<{width}}  " + "  ".join(f"{k:>12}" for k in keys) + "  light")
    for r in rows:
        cells = "  ".join(f"{'–' if r[k] is None else r[k]:>12}" for k in keys)
        print(f"{r['tenant']:<{width}}  {cells}  {r['light_label']}")
    return 0


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

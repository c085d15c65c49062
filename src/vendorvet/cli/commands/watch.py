"""``vendorvet watch add|list|check``: the pages vendors publish (sub-processor list, AVV/DPA, security/trust and
status page) that are watched for meaningful changes."""

from __future__ import annotations

import argparse
import json

from vendorvet.cli.options import add_format_argument, add_group
from vendorvet.cli.runtime import CLIError, acting_in_tenant, add_actor_arguments

KINDS = ("subprocessors", "dpa", "security", "status")


def register(subparsers) -> None:
    actions = add_group(subparsers, "watch", help="watch pages vendors publish (sub-processors, DPA, trust, status)")
    add = actions.add_parser("add", help="watch a page of a vendor", description=(
        "Watch a published page of a vendor. It is fetched on the monitoring schedule through the SSRF-safe "
        "client (conditional requests, robots.txt, size and time limits); meaningful changes become events."))
    add.add_argument("vendor", metavar="VENDOR", help="vendor id or exact name")
    add.add_argument("url", metavar="URL")
    add.add_argument("--kind", choices=KINDS, required=True)
    add_actor_arguments(add)
    add.set_defaults(func=run_add)
    lst = actions.add_parser("list", help="list watched pages and their last check")
    lst.add_argument("--vendor", metavar="VENDOR", help="only this vendor (id or exact name)")
    add_format_argument(lst)
    add_actor_arguments(lst)
    lst.set_defaults(func=run_list)
    check = actions.add_parser("check", help="check watched pages now (default: the ones that are due)")
    check.add_argument("ids", metavar="ID", nargs="*", type=int, help="watched page ids (default: all due)")
    check.add_argument("--all", action="store_true", help="check every watched page, due or not")
    add_format_argument(check)
    add_actor_arguments(check)
    check.set_defaults(func=run_check)


def _vendor(ref: str):
    from vendorvet.web.inventory.models import Vendor

    found = Vendor.objects.filter(pk=int(ref)).first() if ref.isdigit() else None
    found = found or Vendor.objects.filter(name=ref).first()
    if found is None:
        raise CLIError(f"no vendor {ref!r} in this tenant")
    return found


def _row(page) -> dict:
    return {"id": page.pk, "vendor": page.vendor.name, "kind": page.kind, "url": page.url, "state": page.state,
            "reason": page.reason, "last_checked": page.last_checked.isoformat() if page.last_checked else None,
            "latest_change": page.latest_diff_at.isoformat() if page.latest_diff_at else None}


def run_add(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from django.core.exceptions import ValidationError

        from vendorvet.web.watch import services

        try:
            page = services.add_page(_vendor(args.vendor), args.url, args.kind)
        except ValidationError as exc:
            raise CLIError("; ".join(exc.messages), 2) from None
        print(f"watching #{page.pk}: {page.url} ({page.kind}) of {page.vendor.name}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from vendorvet.web.watch.models import WatchedPage

        pages = WatchedPage.objects.select_related("vendor").order_by("vendor__name", "kind", "url")
        if args.vendor:
            pages = pages.filter(vendor=_vendor(args.vendor))
        rows = [_row(page) for page in pages]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        state = row["state"] + (f" ({row['reason']})" if row["reason"] else "")
        print(f"#{row['id']} {row['vendor']} · {row['kind']} · {row['url']}\n    {state}; last checked "
              f"{row['last_checked'] or '-'}; latest change {row['latest_change'] or '-'}")
    if not rows:
        print("no watched pages")
    return 0


def run_check(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from vendorvet.web.accounts import roles
        from vendorvet.web.watch import scheduling
        from vendorvet.web.watch.models import WatchedPage

        roles.require(roles.CHANGE)
        if args.ids:
            ids = list(WatchedPage.objects.filter(pk__in=args.ids).values_list("pk", flat=True))
            missing = sorted(set(args.ids) - set(ids))
            if missing:
                raise CLIError(f"no watched page {', '.join(map(str, missing))} in this tenant")
        elif args.all:
            ids = list(WatchedPage.objects.values_list("pk", flat=True))
        else:
            ids = scheduling.claim_due()
        scheduling.run_checks(ids)
        rows = [_row(p) for p in WatchedPage.objects.filter(pk__in=ids).select_related("vendor").order_by("pk")]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(f"#{row['id']} {row['url']}: {row['state']}" + (f" — {row['reason']}" if row["reason"] else ""))
        if not rows:
            print("nothing due")
    return 1 if any(r["state"] == "could_not_check" for r in rows) else 0

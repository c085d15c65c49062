"""``vendorvet audit verify|export|prune``: the security audit log's hash chain, for operators.

These commands read the whole installation's log (all tenants): they are for whoever runs the installation
and can read its database anyway, so they take no ``--user``.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, time

from vendorvet.cli.runtime import CLIError, setup_django


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "audit", help="verify, export and prune the security audit log",
        description="The security audit log records logins, failed logins, role and membership changes, API "
        "token creation and use, exports, downloads and settings changes in a hash chain: every row carries "
        "the SHA-256 of the row before it and of its own content.")
    actions = parser.add_subparsers(dest="audit_action", metavar="ACTION", required=True)

    verify = actions.add_parser("verify", help="walk the hash chain; exit 1 at the first broken row")
    verify.set_defaults(func=run_verify)

    export = actions.add_parser("export", help="write the events as JSON lines (for a SIEM)")
    export.add_argument("--format", choices=["jsonl"], default="jsonl")
    export.add_argument("--since", metavar="DATE", help="only events at or after DATE (YYYY-MM-DD or ISO 8601)")
    export.add_argument("--tenant", metavar="SLUG", help="only this tenant's events")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (mode 0600; default: stdout)")
    export.set_defaults(func=run_export)

    prune = actions.add_parser("prune", help="remove events older than the retention period")
    prune.add_argument("--days", type=int, default=None,
                       help="retention in days (default: VENDORVET_AUDIT_RETENTION_DAYS, 400)")
    prune.set_defaults(func=run_prune)


def run_verify(args: argparse.Namespace) -> int:
    setup_django()
    from vendorvet.web.audit import chain

    result = chain.verify()
    if result.ok:
        print(f"audit log intact: {result.checked} events verified; head #{result.head_seq} {result.head_hash}")
        return 0
    print(f"audit log BROKEN at row {result.broken_seq}: {result.reason} "
          f"({result.checked} events before it verified)", file=sys.stderr)
    return 1


def _since(value: str | None):
    if not value:
        return None
    from django.utils import timezone

    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise CLIError(f"--since: not a date: {value!r} (use YYYY-MM-DD or ISO 8601)", 2) from None
    if len(value) == 10:
        parsed = datetime.combine(parsed.date(), time.min)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def run_export(args: argparse.Namespace) -> int:
    setup_django()
    from vendorvet.web.accounts.models import Tenant
    from vendorvet.web.audit import chain

    since = _since(args.since)
    tenant_id = None
    if args.tenant:
        tenant = Tenant.objects.filter(slug=args.tenant).first()
        if tenant is None:
            raise CLIError(f"no tenant {args.tenant!r}")
        tenant_id = tenant.pk
    lines = chain.iter_jsonl(since=since, tenant_id=tenant_id)
    count = 0
    if args.output:
        tmp = f"{args.output}.part"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                for line in lines:
                    fh.write(line)
                    count += 1
            os.replace(tmp, args.output)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        print(f"{count} events written to {args.output}", file=sys.stderr)
    else:
        for line in lines:
            sys.stdout.write(line)
        sys.stdout.flush()
    return 0


def run_prune(args: argparse.Namespace) -> int:
    setup_django()
    from vendorvet.web.audit import chain

    days = chain.retention_days() if args.days is None else args.days
    if days < 1:
        raise CLIError("--days must be at least 1", 2)
    removed = chain.prune(days)
    print(f"{removed} events older than {days} days removed; the chain stays verifiable from its new anchor")
    return 0

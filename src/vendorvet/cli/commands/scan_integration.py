"""``vendorvet integration scan ID`` (earlier ``scan-integration``): scan an integration's endpoints as a background task, as "Scan now" does.

The scan runs in the task worker (``django-admin db_worker``); ``--wait`` polls until it is finished and
prints the grades and findings. Needs the ``change`` permission, like the web and the API.
Exit codes: 0 queued or done, 1 failed / refused / timed out, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from vendorvet.cli.options import add_command, add_format_argument, add_group
from vendorvet.cli.runtime import CLIError, acting_in_tenant, add_actor_arguments


def register(subparsers) -> None:
    actions = add_group(subparsers, "integration", help="act on one integration of the inventory")
    add_command(
        actions, "scan", _configure, old_names=[(subparsers, "scan-integration")],
        help="scan an integration's endpoints in the background and store the findings",
        description="Queue a scan of the integration's endpoints (as 'Scan now' on its page does). The task "
        "worker (django-admin db_worker) runs it; the findings are stored with history. Targets on internal "
        "addresses are refused unless the tenant's scan settings allow them.",
    )


def _configure(parser) -> None:
    parser.add_argument("integration", type=int, metavar="ID", help="integration id")
    parser.add_argument("--wait", action="store_true", help="wait until the scan is finished and print the results")
    parser.add_argument("--wait-timeout", type=float, default=900.0, metavar="SECONDS",
                        help="give up waiting after this long (default 900)")
    add_format_argument(parser)
    add_actor_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.wait_timeout <= 0:
        raise CLIError("--wait-timeout must be positive", 2)
    with acting_in_tenant(args):
        from vendorvet.web.inventory.models import Integration
        from vendorvet.web.scans import services
        from vendorvet.web.scans.models import ScanRun

        integration = Integration.objects.filter(pk=args.integration).first()
        if integration is None:
            raise CLIError(f"no integration with id {args.integration} in this tenant")
        try:
            run = services.start_scan(integration)
        except services.ScanRefused as exc:
            raise CLIError(str(exc)) from None
        if args.wait:
            deadline = time.monotonic() + args.wait_timeout
            while run.active and time.monotonic() < deadline:
                time.sleep(1.0)
                run = ScanRun.objects.get(pk=run.pk)
        return _report(run, args.format, waited=args.wait)


def _report(run, fmt: str, *, waited: bool) -> int:
    from vendorvet.web.scans.models import RunStatus

    targets = list(run.targets.prefetch_related("findings")) if run.status == RunStatus.DONE else []
    if fmt == "json":
        doc = {"run": run.pk, "integration": run.integration_id, "status": run.status, "error": run.error,
               "targets": [{"target": t.target, "host": t.host, "port": t.port, "addresses": t.addresses,
                            "grade": t.grade or None, "score": t.score, "deductions": t.deductions, "note": t.note,
                            "findings": [{"check_id": f.check_id, "status": f.status, "severity": f.severity,
                                          "title": f.title, "detail": f.detail, "evidence": f.evidence}
                                         for f in t.findings.all()]}
                           for t in targets]}
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        print(f"scan run {run.pk} of integration {run.integration_id}: {run.status}")
        if run.error:
            print(f"  error: {run.error}")
        for t in targets:
            print(f"{t.target}  grade {t.grade or '-'}, score {t.score if t.score is not None else '-'}"
                  f"  ({', '.join(t.addresses) or 'unresolved'})")
            if t.note:
                print(f"  note: {t.note}")
            for f in sorted(t.findings.all(), key=lambda f: f.check_id):
                print(f"  {f.status:<15}{f.severity:<10}{f.check_id:<28}{' '.join(f.detail.split())[:70]}")
    if run.status == RunStatus.FAILED:
        return 1
    if waited and run.active:
        print("vendorvet: still not finished — is the task worker running (django-admin db_worker)?",
              file=sys.stderr)
        return 1
    return 0

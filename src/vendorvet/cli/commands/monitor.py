"""``vendorvet monitor tick|run|events|kinds|channels``: scheduled re-scans, change and calendar events, alerts.

``tick`` does one pass over every tenant (or ``--tenant``): it enqueues the re-scans that are due by tier
cadence, records the changes of finished scans and the calendar facts, retries failed webhook
deliveries and sends the daily digests. ``run`` repeats the tick every N seconds; the due state is in the
database, so a restarted (or a second) scheduler neither loses nor duplicates a scan. ``events`` lists a
tenant's events with the acting user's role. ``kinds`` and ``channels`` list the event kinds and alert channels
the installed apps registered (``registry.event_kinds``, ``registry.alert_channels``).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time

from vendorvet.cli.options import add_format_argument
from vendorvet.cli.runtime import CLIError, acting_in_tenant, add_actor_arguments, setup_django


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "monitor", help="continuous monitoring: scheduled re-scans, change events, reminders and alerts",
        description="Re-scan integrations on their tier's cadence, record what changed, check calendar facts "
        "(certificates, contracts, reviews, conditions) and send alerts.")
    actions = parser.add_subparsers(dest="monitor_action", metavar="ACTION", required=True)

    tick = actions.add_parser("tick", help="one monitoring pass over all tenants (safe to run concurrently)")
    tick.add_argument("--tenant", help="only this tenant (slug)")
    tick.add_argument("--enqueue", action="store_true", help="queue the pass as a background task instead")
    add_format_argument(tick)
    tick.set_defaults(func=run_tick)

    loop = actions.add_parser("run", help="run the tick every --interval seconds until interrupted")
    loop.add_argument("--interval", type=float, default=300.0, help="seconds between ticks (default 300)")
    loop.add_argument("--max-ticks", type=int, default=None, help="stop after this many ticks")
    loop.set_defaults(func=run_loop)

    events = actions.add_parser("events", help="list monitoring events of a tenant")
    events.add_argument("--state", default="active",
                        help="active (open and acknowledged, the default), open, acknowledged, snoozed, resolved, "
                        "or all")
    events.add_argument("--kind", default="", help="only this kind, e.g. finding_new, contract_deadline "
                        "('vendorvet monitor kinds' lists them)")
    events.add_argument("--integration", type=int, help="only events of this integration id")
    add_format_argument(events)
    add_actor_arguments(events)
    events.set_defaults(func=run_events)

    kinds = actions.add_parser("kinds", help="list the kinds of monitoring event (and which a calendar check records)")
    kinds.add_argument("--format", choices=["table", "json"], default="table")
    kinds.set_defaults(func=run_kinds)

    channels = actions.add_parser("channels", help="list the alert channels an alert rule can use")
    channels.add_argument("--format", choices=["table", "json"], default="table")
    channels.set_defaults(func=run_channels)


def _tenants(slug):
    from vendorvet.web.accounts.models import Tenant

    if not slug:
        return None
    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        raise CLIError(f"no tenant {slug!r}")
    return [tenant]


def run_tick(args: argparse.Namespace) -> int:
    setup_django()
    if args.enqueue:
        from vendorvet.web.monitoring.tasks import monitoring_tick

        result = monitoring_tick.enqueue()
        print(f"queued monitoring tick {result.id}")
        return 0
    from vendorvet.web.monitoring.scheduling import tick

    report = tick(tenants=_tenants(args.tenant))
    _print_report(report, args.format)
    return 1 if report.errors else 0


def _print_report(report, fmt: str) -> None:
    if fmt == "json":
        print(json.dumps(report.as_dict()))
        return
    print(f"tenants {report.tenants} · scans queued {report.scans_enqueued} (skipped {report.scans_skipped}) · "
          f"runs compared {report.runs_processed} · events fired {report.events_fired} "
          f"(seen {report.events_seen}) · webhook retries {report.retried} · digests {report.digests}"
          + (f" · lost scans queued again {report.runs_requeued}" if report.runs_requeued else ""))
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)


def run_loop(args: argparse.Namespace) -> int:
    setup_django()
    from vendorvet.web.monitoring.scheduling import tick

    if args.interval <= 0:
        raise CLIError("--interval must be positive", 2)
    stop = {"now": False}

    def _stop(signum, frame):  # finish the current tick, then leave
        stop["now"] = True

    signal.signal(signal.SIGTERM, _stop)
    done = 0
    try:
        while not stop["now"]:
            started = time.monotonic()
            _print_report(tick(), "table")
            sys.stdout.flush()
            done += 1
            if args.max_ticks is not None and done >= args.max_ticks:
                break
            while not stop["now"] and time.monotonic() - started < args.interval:
                time.sleep(min(1.0, args.interval))
    except KeyboardInterrupt:
        pass
    return 0


def run_events(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from vendorvet.web.accounts import roles
        from vendorvet.web.monitoring.views import filtered_events

        roles.require(roles.VIEW)
        params = {"state": "" if args.state == "all" else args.state, "kind": args.kind,
                  "integration": str(args.integration or "")}
        rows = list(filtered_events(params)[0][:500])
        if args.format == "json":
            print(json.dumps([{
                "id": e.pk, "kind": e.kind, "severity": e.severity, "state": e.state, "title": e.shown_title,
                "integration": e.integration_id, "vendor": e.vendor_id, "occurrences": e.occurrences,
                "first_seen": e.first_seen.isoformat(), "last_seen": e.last_seen.isoformat(),
                "before": e.before, "after": e.after, "what_to_do": e.shown_action} for e in rows], ensure_ascii=False))
            return 0
        for e in rows:
            print(f"{e.pk:>6}  {e.severity:<8} {e.state:<12} {e.kind:<20} ×{e.occurrences:<3} {e.shown_title}")
        if not rows:
            print("no events", file=sys.stderr)
    return 0


def run_kinds(args: argparse.Namespace) -> int:
    setup_django()
    from vendorvet.web.core.events import calendar_kinds, kind_choices
    from vendorvet.web.core.registry import registry

    calendar = set(calendar_kinds())
    rows = []
    for key, label in kind_choices():
        spec = registry.event_kinds[key]
        rows.append({"kind": key, "label": str(label), "group": spec.group, "severity": spec.severity,
                     "calendar": key in calendar})
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for row in rows:
        print(f"{row['kind']:<24} {row['group']:<13} {row['severity']:<9} {'calendar ' if row['calendar'] else ''}"
              f"{row['label']}")
    return 0


def run_channels(args: argparse.Namespace) -> int:
    setup_django()
    from vendorvet.web.core.registry import registry

    rows = [{"channel": key, "label": str(channel.label), "url": channel.uses_url, "digest": channel.supports_digest}
            for key, channel in registry.alert_channels.items()]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for row in rows:
        extras = ", ".join(name for name in ("url", "digest") if row[name])
        print(f"{row['channel']:<12} {row['label']}" + (f" ({extras})" if extras else ""))
    return 0

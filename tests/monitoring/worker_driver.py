"""Runs inside a subprocess against the database the worker processes share (DATABASE_URL):
``setup`` stores a tenant, an integration on the loopback vendor server and a webhook rule; ``scan`` queues a
scan as an assessor would; ``report`` prints what the workers wrote, as JSON."""

from __future__ import annotations

import json
import os
import sys


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.monitoring.worker_settings")
    import django

    django.setup()
    from vendorvet.web.accounts.models import Tenant
    from vendorvet.web.core.context import Actor, tenant_session

    command = argv[0]
    if command == "setup":
        endpoint_url, hook_url = argv[1], argv[2]
        from vendorvet.web.inventory.models import Endpoint, Integration, Vendor
        from vendorvet.web.monitoring.models import AlertRule

        tenant = Tenant.objects.create(name="Nordlicht Maschinenbau GmbH", slug="nordlicht")
        with tenant_session(tenant, Actor(kind="system", label="test", role="admin")):
            vendor = Vendor.objects.create(name="Acme Cloud Inc.", country="US")
            integration = Integration.objects.create(vendor=vendor, name="Vendor API", kind="api")
            Endpoint.objects.create(integration=integration, url=endpoint_url)
            AlertRule.objects.create(name="webhook rule", channel="webhook", url=hook_url, min_severity="low",
                                     secret="s3cret-for-tests")
        print(json.dumps({"tenant": tenant.pk, "integration": integration.pk}))
    elif command == "scan":
        from vendorvet.web.inventory.models import Integration
        from vendorvet.web.scans import services

        tenant = Tenant.objects.get(slug="nordlicht")
        with tenant_session(tenant, Actor(kind="system", label="test", role="assessor")):
            run = services.start_scan(Integration.objects.get(pk=int(argv[1])))
        print(json.dumps({"run": run.pk, "status": run.status}))
    elif command == "report":
        from vendorvet.web.monitoring.models import AlertDelivery, MonitoringEvent
        from vendorvet.web.scans.models import Finding, ScanRun, ScanTarget

        runs = []
        for run in ScanRun.all_tenants.order_by("pk"):
            keys = list(Finding.all_tenants.filter(run=run).values_list("scan_target__target", "check_id"))
            runs.append({"id": run.pk, "status": run.status, "attempts": run.attempts, "error": run.error,
                         "claimed_by": run.claimed_by, "findings": len(keys), "distinct": len(set(keys)),
                         "targets": ScanTarget.all_tenants.filter(run=run).count()})
        print(json.dumps({
            "runs": runs,
            "events": [{"kind": e.kind, "run": e.run_id, "occurrences": e.occurrences, "key": e.dedup_key}
                       for e in MonitoringEvent.all_tenants.order_by("pk")],
            "deliveries": [{"state": d.state, "attempts": d.attempts, "event": d.event_id}
                           for d in AlertDelivery.all_tenants.order_by("pk")],
        }))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])

"""Watched pages on the monitoring schedule.

The monitoring tick runs :func:`enqueue_due` for each tenant whose scheduled monitoring is on
(``registry.scheduled_checks``). It claims the due pages
with a compare-and-swap on ``next_due`` (of two ticks at once only one wins a page) and queues their checks in
batches as background tasks (``check_pages``), so a slow vendor server holds a worker, never the tick. A worker
checks its batch with one robots.txt cache and a per-host limiter.
"""

from __future__ import annotations

import logging

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from vendorvet.engine.watch.fetch import HostLimiter, Robots
from vendorvet.web.core import queue
from vendorvet.web.core.context import require_tenant, tenant_session
from vendorvet.web.core.events import installation_language, task_actor
from vendorvet.web.watch import services
from vendorvet.web.watch.models import WatchedPage

log = logging.getLogger(__name__)
BATCH = 25
PER_HOST = 2  # connections to one vendor host at a time, per worker


def claim_due(now=None) -> list[int]:
    """The active tenant's watched pages that are due, claimed for this pass (their next slot set)."""
    now = now or timezone.now()
    following = now + services.interval()
    claimed = []
    due = (WatchedPage.objects.filter(Q(next_due__lte=now) | Q(next_due__isnull=True))
           .values_list("pk", "next_due"))
    for pk, next_due in due:
        if WatchedPage.objects.filter(pk=pk, next_due=next_due).update(next_due=following):
            claimed.append(pk)
    return claimed


def enqueue_due(now=None) -> int:
    """The periodic hook: queue checks of the active tenant's due pages; returns how many were queued."""
    ids = claim_due(now)
    tenant = require_tenant()
    for start in range(0, len(ids), BATCH):
        queue.enqueue(check_pages, tenant.pk, ids[start:start + BATCH])
    return len(ids)


def run_checks(ids, now=None) -> dict:
    """Check the given pages of the active tenant (one robots cache and host limiter for the batch)."""
    robots, limiter, resolver = Robots(), HostLimiter(per_host=PER_HOST), services.resolver()
    counts: dict[str, int] = {}
    for page in WatchedPage.objects.filter(pk__in=list(ids)).select_related("vendor").order_by("pk"):
        try:
            outcome = services.check_page(page, now=now, resolver_=resolver, robots=robots, limiter=limiter)
        except Exception as exc:  # one page must not stop the batch; it says why it was not checked
            log.exception("checking watched page %s failed", page.pk)
            outcome = services._could_not_check(page, now or timezone.now(), page.next_due,
                                                f"the check failed ({type(exc).__name__})")
        counts[outcome.state] = counts.get(outcome.state, 0) + 1
    return counts


@task()
def check_pages(tenant_id: int, ids: list[int]) -> dict:
    """The task: check a batch of one tenant's watched pages."""
    from vendorvet.web.accounts.models import Tenant

    tenant = Tenant.objects.filter(pk=tenant_id).first()
    if tenant is None:
        return {}
    with tenant_session(tenant, task_actor()), installation_language():
        return run_checks(ids)

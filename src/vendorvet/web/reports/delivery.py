"""Scheduled delivery of the management report by e-mail, per tenant (weekly or monthly).

The monitoring tick runs :func:`scheduled_report` for every tenant (``registry.periodic_hooks``). A due report is
claimed with a compare-and-swap update of ``last_sent`` — of two ticks at once exactly one wins — and printed and
sent by a background task (:func:`send_management_report`). A delivery that fails (no recipients, the mail server
refuses) gives the claim back and records the reason, so the next tick tries again.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from vendorvet.web.core import queue
from vendorvet.web.core.context import require_tenant, tenant_session
from vendorvet.web.core.events import task_actor
from vendorvet.web.reports.models import ReportSettings, Schedule

log = logging.getLogger(__name__)


def is_due(settings: ReportSettings, today: dt.date) -> bool:
    if settings.schedule == Schedule.WEEKLY:
        monday = today - dt.timedelta(days=today.weekday())
        return settings.last_sent is None or settings.last_sent < monday
    if settings.schedule == Schedule.MONTHLY:
        return settings.last_sent is None or (settings.last_sent.year, settings.last_sent.month) < (today.year,
                                                                                                  today.month)
    return False


def period(settings: ReportSettings, today: dt.date) -> tuple[dt.date, dt.date]:
    from vendorvet.web.reports.management import month_before

    if settings.schedule == Schedule.WEEKLY:
        return today - dt.timedelta(days=6), today
    return month_before(today), today


def scheduled_report(now=None) -> bool:
    """The periodic hook (inside the tenant): claim and enqueue this tenant's report when it is due."""
    today = timezone.localdate(now) if now is not None else timezone.localdate()
    current = ReportSettings.objects.first()
    if current is None or not is_due(current, today):
        return False
    claimed = ReportSettings.objects.filter(pk=current.pk, last_sent=current.last_sent).update(last_sent=today)
    if not claimed:
        return False  # another tick claimed it
    previous = current.last_sent.isoformat() if current.last_sent else ""
    queue.enqueue(send_management_report, require_tenant().pk, today.isoformat(), previous)
    return True


def recipients(settings: ReportSettings) -> list[str]:
    listed = settings.recipient_list()
    if listed:
        return listed
    from vendorvet.web.accounts.models import Membership

    return sorted({m.user.email for m in Membership.objects.filter(role="admin").select_related("user")
                   if m.user.email and m.user.is_active})


def deliver(settings: ReportSettings, today: dt.date) -> list[str]:
    """Print and send the report now (inside the tenant); returns the recipients. Raises on failure."""
    from vendorvet.web.reports import documents

    to = recipients(settings)
    if not to:
        raise ValueError("no recipients: none listed and no administrator has an e-mail address")
    start, end = period(settings, today)
    printed = documents.management_pdf(settings.language, start, end, check=False)
    with translation.override(settings.language):
        subject = _("[vendorvet] Management report %(tenant)s, %(start)s – %(end)s") % {
            "tenant": require_tenant().name, "start": start.isoformat(), "end": end.isoformat()}
        body = _("Attached: the management report of %(tenant)s for %(start)s – %(end)s (PDF, %(size)d KB).\n\n"
                 "SHA-256 of its content data: %(hash)s\n") % {
            "tenant": require_tenant().name, "start": start.isoformat(), "end": end.isoformat(),
            "size": max(1, len(printed.pdf) // 1024), "hash": printed.sha256}
    message = EmailMessage(subject=subject[:200], body=body, to=to)
    message.attach(printed.filename, printed.pdf, "application/pdf")
    message.send(fail_silently=False)
    return to


@task()
def send_management_report(tenant_id: int, day: str, previous: str) -> dict:
    """The task: print the tenant's management report and e-mail it; on failure give the claim back."""
    from vendorvet.web.accounts.models import Tenant

    tenant = Tenant.objects.get(pk=tenant_id)
    today = dt.date.fromisoformat(day)
    with tenant_session(tenant, task_actor()):
        settings = ReportSettings.objects.get()
        try:
            to = deliver(settings, today)
        except Exception as exc:  # noqa: BLE001 - recorded, retried by the next tick
            log.warning("management report for tenant %s not sent: %s", tenant.slug, exc)
            ReportSettings.objects.filter(pk=settings.pk, last_sent=today).update(
                last_sent=dt.date.fromisoformat(previous) if previous else None,
                last_error=f"{timezone.now():%Y-%m-%d %H:%M} {type(exc).__name__}: {exc}"[:500])
            return {"sent": False, "error": str(exc)[:300]}
        ReportSettings.objects.filter(pk=settings.pk).update(last_error="")
        return {"sent": True, "recipients": len(to)}

"""E-mail alerts: one message per event, or the day's events in one digest."""

from __future__ import annotations

from django import forms
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vendorvet.web.monitoring.channels.base import AlertChannel, DeliveryError, base_url, event_link


def recipients(rule) -> list[str]:
    """The rule's addresses, else the tenant's active administrators with an e-mail address."""
    listed = [line.strip() for line in (rule.recipients or "").replace(",", "\n").splitlines() if line.strip()]
    if listed:
        return listed
    from vendorvet.web.accounts.models import Membership

    return sorted({m.user.email for m in Membership.objects.filter(role="admin").select_related("user")
                   if m.user.email and m.user.is_active})


def _to(rule) -> list[str]:
    to = recipients(rule)
    if not to:
        raise DeliveryError(_("no recipients: the rule lists none and no administrator has an e-mail address"))
    return to


class EmailChannel(AlertChannel):
    key = "email"
    label = gettext_lazy("E-mail")
    supports_digest = True

    def clean(self, data: dict, allow_private: bool) -> dict[str, list[str]]:
        errors = []
        for line in (data.get("recipients") or "").replace(",", "\n").splitlines():
            if line.strip():
                try:
                    forms.EmailField().clean(line.strip())
                except forms.ValidationError:
                    errors.append(_("%(value)s is not an e-mail address.") % {"value": line.strip()})
        return {"recipients": errors} if errors else {}

    def deliver(self, rule, event) -> None:
        to = _to(rule)
        context = {"events": [event], "base_url": base_url(), "links": {event.pk: event_link(event)}}
        send_mail(subject=f"[vendorvet] {event.shown_title}"[:200],
                  message=render_to_string("monitoring/email/alert.txt", context),
                  from_email=None, recipient_list=to, fail_silently=False)
        return None

    def deliver_digest(self, rule, events: list) -> None:
        to = _to(rule)  # no recipients: not delivered (the events wait for the next digest)
        context = {"events": events, "base_url": base_url(), "links": {e.pk: event_link(e) for e in events}}
        send_mail(subject=_("[vendorvet] Daily monitoring digest: %(n)d changes") % {"n": len(events)},
                  message=render_to_string("monitoring/email/alert.txt", context),
                  from_email=None, recipient_list=to, fail_silently=False)

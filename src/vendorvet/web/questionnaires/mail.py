"""The questionnaire e-mails (Django's e-mail backend), in the recipient's language: the personal link, a
forwarded link, a clarification round, reminders, and the one-time code. The link is in the body only."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

log = logging.getLogger(__name__)

KINDS = ("invite", "forward", "clarification", "reminder_before", "reminder_overdue")


def _context(recipient) -> dict:
    from vendorvet.web.questionnaires.models import QuestionnaireItem

    q = recipient.questionnaire  # may run after the commit, outside the tenant's session: no scoped queries
    integration = q.assessment.integration
    return {"recipient": recipient, "questionnaire": q, "integration": integration, "vendor": integration.vendor,
            "tenant": q.tenant, "points": QuestionnaireItem.all_tenants.filter(questionnaire=q).count(), "due": q.due_date}


def _send(recipient, template: str, context: dict) -> None:
    with translation.override(recipient.language):
        text = render_to_string(template, context).strip()
    subject, _sep, body = text.partition("\n")
    EmailMessage(subject.strip(), body.strip() + "\n", settings.DEFAULT_FROM_EMAIL, [recipient.email]).send()
    log.info("questionnaire mail %s sent to recipient %s", template.rsplit("/", 1)[-1], recipient.pk)


def send_link(recipient, url: str, kind: str, sender=None) -> None:
    if kind not in KINDS:
        raise ValueError(kind)
    _send(recipient, f"questionnaires/mail/{kind}.txt", {**_context(recipient), "url": url, "sender": sender})


def send_code(recipient, code: str) -> None:
    _send(recipient, "questionnaires/mail/code.txt", {**_context(recipient), "code": code})

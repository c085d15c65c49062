"""The questionnaire cycle through the web pages (Django test client, Django's locmem e-mail backend): send from a
review, the vendor answers through the link, the assessor decides, a follow-up round, closing; status and history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.conftest import acting
from tests.questionnaires.conftest import link_of, path_of
from vendorvet.web.core.models import ObjectChange

pytestmark = pytest.mark.django_db(transaction=True)  # the e-mails go out on commit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def items_of(q):
    from vendorvet.web.questionnaires.models import QuestionnaireItem

    return {i.requirement_id: i for i in QuestionnaireItem.all_tenants.filter(questionnaire=q)}


def test_default_points_are_those_automation_did_not_settle(tenant_a, assessor_a, started, scan_provider):
    from vendorvet.web.questionnaires import services

    with acting(tenant_a, assessor_a, role="assessor"):
        ids = services.default_requirements(started)
        mandatory = set(started.answers.filter(mandatory=True).values_list("requirement_id", flat=True))
    assert "enc.transit.tls12" in ids  # verified problem: the vendor is asked for the planned fix
    assert "monitor.security_contact" in ids  # could not check
    assert set(ids) <= mandatory


def test_send_mails_a_personal_link_in_the_contacts_language(tenant_a, assessor_a, started, contact, scan_provider,
                                                             login):
    client = login(assessor_a)
    url = reverse("questionnaires:send", args=[started.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Vera Vendor" in page.content.decode()
    due = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    response = client.post(url, {"contacts": [str(contact.pk)], "due_date": due, "language": "de",
                                 "points": ["enc.transit.tls12", "monitor.security_contact"]})
    assert response.status_code == 302, response.content.decode()[:2000]
    [message] = mail.outbox
    assert message.to == ["vera@acme.test"]
    assert "fragt Sie" in message.subject or "Acme CRM" in message.subject
    assert "Bitte" in message.body  # German body
    link = link_of(message)
    from vendorvet.web.questionnaires.models import Questionnaire, Recipient

    with acting(tenant_a):
        q = Questionnaire.objects.get()
        recipient = Recipient.objects.get()
        started.refresh_from_db()
    assert q.status == "sent" and started.status == "awaiting_vendor"
    secret = link.rstrip("/").rsplit("/", 1)[1]
    assert secret not in recipient.token_hash and len(recipient.token_hash) == 64  # only the hash is stored
    # the vendor page: German, the question in plain words and what we observed
    vendor = Client()
    html = vendor.get(path_of(link)).content.decode()
    assert "Was wir beobachtet haben" in html and "TLS 1.0 accepted (api.vendor.test)" in html
    assert "security.txt" in html
    with acting(tenant_a):
        q.refresh_from_db()
    assert q.status == "opened"


def test_vendor_round_trip_with_decisions_follow_up_and_close(tenant_a, assessor_a, send, login, started):
    q = send()
    link = link_of(mail.outbox[-1])
    vendor = Client()
    page = path_of(link)
    items = items_of(q)
    tls, sec, pentest = items["enc.transit.tls12"], items["monitor.security_contact"], items["cert.pentest"]
    # a draft with a PDF: stored, the questionnaire is in progress
    response = vendor.post(page, {"action": "save", f"answer-{tls.pk}": "met",
                                  f"comment-{tls.pk}": "TLS 1.2+ only since last week",
                                  f"file-{pentest.pk}": SimpleUploadedFile("pentest-summary.pdf", PDF)})
    assert response.status_code == 302
    q.refresh_from_db()
    assert q.status == "in_progress"
    html = vendor.get(page).content.decode()
    assert "TLS 1.2+ only since last week" in html and "pentest-summary.pdf" in html
    assert "not scanned for viruses" in html
    # submitting with open points is refused, nothing changes
    response = vendor.post(page, {"action": "submit", f"answer-{tls.pk}": "met"})
    assert response.status_code == 400 and "answer every point" in response.content.decode()
    response = vendor.post(page, {"action": "submit", f"answer-{tls.pk}": "met", f"comment-{tls.pk}": "TLS 1.2+ only",
                                  f"answer-{sec.pk}": "met", f"comment-{sec.pk}": "security@acme.test",
                                  f"answer-{pentest.pk}": "partly_met"})
    assert response.status_code == 302
    q.refresh_from_db()
    assert q.status == "submitted"
    # the assessor: suggestions with provenance, the contradiction, decisions
    assessor = login(assessor_a)
    review_html = assessor.get(reverse("assessments:detail", args=[started.pk])).content.decode()
    assert "vendor-stated" in review_html and "stated by the vendor on" in review_html
    assert "our scan on 2026-11-30 saw: TLS 1.0 accepted" in review_html
    detail = assessor.get(q.get_absolute_url()).content.decode()
    assert 'class="contradiction"' in detail
    decide = lambda item, decision, note="": assessor.post(  # noqa: E731
        reverse("questionnaires:decide", args=[item.pk]), {f"d{item.pk}-decision": decision, f"d{item.pk}-note": note})
    assert decide(sec, "accept").status_code == 302
    assert decide(pentest, "reject").status_code == 302
    assert decide(tls, "follow_up", "Our scan still sees TLS 1.0 — by when is it switched off?").status_code == 302
    with acting(tenant_a, assessor_a, role="assessor"):
        answer = started.answers.get(requirement_id="monitor.security_contact")
        assert answer.value == "met" and "Vendor-stated" in answer.comment
        score = started.score()
    line = next(x for x in score.lines if x.subject == "monitor.security_contact")
    assert line.basis == "vendor_stated"  # weighed below a verified "met"
    mail.outbox.clear()
    assert assessor.post(reverse("questionnaires:clarify", args=[q.pk]), {}).status_code == 302
    q.refresh_from_db()
    assert q.status == "in_clarification" and q.round == 2
    [clarify] = mail.outbox
    assert vendor.get(page).status_code == 404  # the earlier link stopped working
    page = path_of(link_of(clarify))
    html = vendor.get(page).content.decode()
    assert "by when is it switched off" in html
    assert f'name="answer-{tls.pk}"' in html and f'name="answer-{sec.pk}"' not in html  # only the follow-up
    # writing to a point that is not reopened is ignored (only editable points are read)
    response = vendor.post(page, {"action": "submit", f"answer-{tls.pk}": "partly_met",
                                  f"comment-{tls.pk}": "TLS 1.0 off on 2027-01-15", f"answer-{sec.pk}": "not_met"})
    assert response.status_code == 302
    sec.refresh_from_db()
    assert sec.vendor_answer == "met" and sec.state == "accepted"
    assert decide(tls, "accept").status_code == 302
    assert assessor.post(reverse("questionnaires:close", args=[q.pk])).status_code == 302
    q.refresh_from_db()
    assert q.status == "closed"
    assert vendor.get(page).status_code == 404
    with acting(tenant_a):
        logged = ObjectChange.objects.filter(changed_object_type__model="questionnaire",
                                             changed_object_id=q.pk).count()
    assert logged >= 5  # every status change is in the history


def test_status_list_shows_open_questionnaires_across_vendors(tenant_a, assessor_a, send, login):
    q = send()
    html = login(assessor_a).get(reverse("questionnaires:list")).content.decode()
    assert q.get_absolute_url() in html and "0 / 3" in html


def test_forward_to_a_colleague_gives_them_their_own_link(tenant_a, send):
    send(points=["cert.pentest"])
    link = path_of(link_of(mail.outbox[-1]))
    vendor = Client()
    response = vendor.post(link, {"action": "forward", "name": "Carl Colleague", "email": "carl@acme.test",
                                  "language": "de"})
    assert response.status_code == 302
    forwarded = mail.outbox[-1]
    assert forwarded.to == ["carl@acme.test"] and "weitergeleitet" in forwarded.subject
    colleague_link = path_of(link_of(forwarded))
    assert colleague_link != link
    assert "Carl Colleague" in Client().get(colleague_link).content.decode()
    assert vendor.get(link).status_code == 200  # the forwarder's link keeps working
    from vendorvet.web.questionnaires.models import Recipient

    carl = Recipient.all_tenants.get(email="carl@acme.test")
    assert carl.forwarded_by.email == "vera@acme.test" and carl.language == "de"
    bad = vendor.post(link, {"action": "forward", "name": "", "email": "not-an-address", "language": "en"})
    assert bad.status_code == 400 and Recipient.all_tenants.count() == 2

"""The vendor link is the only key, and it opens exactly one questionnaire: tenant and questionnaire isolation,
one neutral refusal for expired, revoked, tampered and unknown links, throttling, upload rules, the one-time code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests.conftest import acting
from tests.questionnaires.conftest import link_of, path_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def sent(send, django_capture_on_commit_callbacks):
    def make(**kw):
        with django_capture_on_commit_callbacks(execute=True):
            q = send(**kw)
        return q, path_of(link_of(mail.outbox[-1]))

    return make


def _files(item):
    from vendorvet.web.questionnaires.models import VendorFile

    return list(VendorFile.all_tenants.filter(item=item))


def _items(q):
    from vendorvet.web.questionnaires.models import QuestionnaireItem

    return list(QuestionnaireItem.all_tenants.filter(questionnaire=q))


@pytest.fixture
def other_tenant_questionnaire(tenant_b, admin_b, make_integration, django_capture_on_commit_callbacks):
    from vendorvet.web.assessments import services as assessment_services
    from vendorvet.web.questionnaires import services

    integration = make_integration(tenant_b, "Hafen ERP")
    with acting(tenant_b, admin_b):
        assessment = assessment_services.start_assessment(integration)
        with django_capture_on_commit_callbacks(execute=True):
            q = services.send(assessment, [services.Addressee("Bob", "bob@other.test", "en")],
                              dt.date.today() + dt.timedelta(days=5), ["cert.recognised", "enc.transit.certificate"],
                              base_url="http://testserver")
    return q, path_of(link_of(mail.outbox[-1]))


def test_a_link_reads_and_writes_only_its_own_questionnaire(sent, other_tenant_questionnaire):
    qa, link_a = sent(points=["enc.transit.tls12"])
    qb, link_b = other_tenant_questionnaire
    [item_a] = _items(qa)
    items_b = _items(qb)
    vendor = Client()
    page = vendor.get(link_a).content.decode()
    assert "Acme CRM" in page and "Hafen ERP" not in page
    assert all(f"answer-{i.pk}" not in page for i in items_b)
    # naming B's points (and files) through A's link changes nothing of B
    data = {"action": "save", f"answer-{item_a.pk}": "met"}
    for i in items_b:
        data[f"answer-{i.pk}"] = "met"
        data[f"comment-{i.pk}"] = "written through another link"
        data[f"file-{i.pk}"] = SimpleUploadedFile("x.pdf", PDF)
    assert vendor.post(link_a, data).status_code == 302
    for i in items_b:
        i.refresh_from_db()
        assert i.vendor_answer == "" and i.vendor_comment == "" and not _files(i)
    item_a.refresh_from_db()
    assert item_a.vendor_answer == "met"
    # the link gives no way into the tenant's pages or the API
    for url in (qa.get_absolute_url(), "/questionnaires/", "/integrations/", f"/assessments/{qa.assessment_id}/"):
        response = vendor.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert vendor.get("/api/questionnaires/questionnaires/").status_code in (401, 403)
    # and B's own link still shows B only
    assert "Hafen ERP" in Client().get(link_b).content.decode()


def test_expired_revoked_tampered_and_unknown_links_get_one_neutral_answer(sent, tenant_a, assessor_a):
    from vendorvet.web.questionnaires import services
    from vendorvet.web.questionnaires.models import Recipient

    _q1, expired = sent(points=["cert.pentest"])
    _q2, revoked = sent(points=["cert.pentest"])
    _q3, good = sent(points=["cert.pentest"])
    recipients = list(Recipient.all_tenants.order_by("pk"))
    with acting(tenant_a, assessor_a, role="assessor"):
        recipients[0].expires = timezone.now() - dt.timedelta(seconds=1)
        recipients[0].save()
        services.revoke(recipients[1])
    tampered = good[:-3] + ("A" if good[-3] != "A" else "B") + good[-2:]
    unknown = "/q/not-a-link/"
    answers = [Client().get(url) for url in (expired, revoked, tampered, unknown)]
    assert {r.status_code for r in answers} == {404}
    bodies = {r.content.decode().replace(r.wsgi_request.path, "") for r in answers}
    assert len(bodies) == 1 and "This link cannot be used" in bodies.pop()
    assert Client().get(good).status_code == 200


def test_guessing_links_is_throttled_per_address(sent, settings):
    settings.VENDORVET_QUESTIONNAIRE_FAILURE_LIMIT = 5
    _q, good = sent(points=["cert.pentest"])
    client = Client()
    for n in range(5):
        assert client.get(f"/q/guess-{n}/").status_code == 404
    throttled = client.get(good)  # even the valid link, from this address, until the window has passed
    assert throttled.status_code == 429 and int(throttled["Retry-After"]) > 0
    assert "Too many attempts" in throttled.content.decode()
    assert Client(REMOTE_ADDR="127.0.0.9").get(good).status_code == 200  # another address is not affected


def test_vendor_uploads_follow_the_evidence_rules(sent):
    q, link = sent(points=["cert.pentest"])
    [item] = _items(q)
    client = Client()
    for name, body in (("report.pdf", b"<html><script>alert(1)</script></html>"), ("tool.exe", b"MZ\x90\x00"),
                       ("empty.pdf", b"")):
        response = client.post(link, {"action": "save", f"answer-{item.pk}": "met",
                                      f"file-{item.pk}": SimpleUploadedFile(name, body)})
        assert response.status_code == 400, name
        item.refresh_from_db()
        assert item.vendor_answer == "" and not _files(item)  # nothing stored, not even the answer
    response = client.post(link, {"action": "save", f"file-{item.pk}": SimpleUploadedFile("soc2.pdf", PDF)})
    assert response.status_code == 302
    [stored] = _files(item)
    assert stored.content_type == "application/pdf" and stored.virus_scan.startswith("not scanned")
    assert not stored.file.name.endswith("soc2.pdf")  # stored under a random name


def test_portal_pages_send_the_strict_csp_and_no_script(sent):
    _q, link = sent(points=["cert.pentest"])
    for response in (Client().get(link), Client().get("/q/nope/")):
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert response["Referrer-Policy"] == "same-origin" and response["Cache-Control"] == "no-store"
        html = response.content.decode()
        assert "<script" not in html and "style=" not in html


def test_one_time_code_guards_the_link(sent, django_capture_on_commit_callbacks):
    import re

    q, link = sent(points=["cert.pentest"], require_code=True)
    client = Client()
    page = client.get(link).content.decode()
    assert "Confirm it is you" in page and "answer-" not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link, {"action": "send_code"})
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    wrong = "000000" if code != "000000" else "111111"
    assert client.post(link, {"action": "verify_code", "code": wrong}).status_code == 400
    assert client.post(link, {"action": "verify_code", "code": code}).status_code == 302
    assert "answer-" in client.get(link).content.decode()
    assert "Confirm it is you" in Client().get(link).content.decode()  # another browser still needs the code

"""Fixtures for the questionnaire tests: a started review with a vendor contact, a test-only "scan" provider that
verified a TLS problem (so a vendor statement can contradict it), and helpers to read the link from an e-mail."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from tests.browser.conftest import browser_page  # noqa: F401  (fixture: the project's Chromium launcher)
from tests.conftest import PASSWORD, acting
from tests.engine.conftest import pki  # noqa: F401  (fixture: the test CA)
from vendorvet.web.core import review
from vendorvet.web.core.registry import registry

SCAN_DAY = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.timezone.utc)
LINK = re.compile(r"https?://[^\s]+/q/[^\s/]+/")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_throttle():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


class ScanSaw:
    """Stands in for a finished scan: TLS 1.0 seen on the API (verified), security.txt not checked."""

    key = "test-scan"
    label = "Test scan"
    order = 5

    def requirement_ids(self):
        return ["enc.transit.tls12", "monitor.security_contact"]

    def evidence(self, integration, requirement_ids):
        out = {}
        if "enc.transit.tls12" in requirement_ids:
            out["enc.transit.tls12"] = review.Suggestion(
                self.key, review.CHECKED, source="scan", at=SCAN_DAY, suggested="not_met",
                problems=(review.Problem("TLS 1.0 accepted", where="api.vendor.test", code="tls.protocol.legacy"),),
                facts=("tls10",))
        if "monitor.security_contact" in requirement_ids:
            out["monitor.security_contact"] = review.Suggestion(
                self.key, review.COULD_NOT_CHECK, source="scan", reason="we found no security.txt")
        return out


@pytest.fixture
def scan_provider():
    with registry.evidence_providers.temporarily(ScanSaw.key, ScanSaw()):
        yield


@pytest.fixture
def login():
    def make(user) -> Client:
        client = Client()
        assert client.login(username=user.get_username(), password=PASSWORD)
        return client

    return make


@pytest.fixture
def crm(tenant_a, make_integration):
    return make_integration(tenant_a, "Acme CRM", data_categories=["personal"], access_scope="admin",
                            processing_countries=["DE"])


@pytest.fixture
def contact(tenant_a, crm):
    from vendorvet.web.inventory.models import Contact

    with acting(tenant_a):
        return Contact.objects.create(vendor=crm.vendor, name="Vera Vendor", role="security", email="vera@acme.test")


@pytest.fixture
def started(tenant_a, assessor_a, crm, contact):
    from vendorvet.web.assessments import services

    with acting(tenant_a, assessor_a, role="assessor"):
        return services.start_assessment(crm)


@pytest.fixture
def send(tenant_a, assessor_a, started, scan_provider):
    """send(points=None, **kw) -> questionnaire, sent as the assessor to Vera (English)."""

    def make(points=("enc.transit.tls12", "monitor.security_contact", "cert.pentest"), assessment=None,
             tenant=None, user=None, **kw):
        from vendorvet.web.questionnaires import services

        kw.setdefault("due_date", dt.date.today() + dt.timedelta(days=14))
        with acting(tenant or tenant_a, user or assessor_a, role="assessor"):
            return services.send(assessment or started, [services.Addressee("Vera Vendor", "vera@acme.test", "en")],
                                 requirement_ids=list(points) if points is not None else None,
                                 base_url="http://testserver", **kw)

    return make


def link_of(message) -> str:
    body = message.body if hasattr(message, "body") else message
    match = LINK.search(body)
    assert match, body
    return match.group(0)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]

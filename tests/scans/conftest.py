"""Fixtures for the scans app: real loopback TLS/HTTP and DNS servers, immediate tasks, an integration.

The loopback DNS server resolves ``api.vendor.test`` to 127.0.0.1 (and serves its SPF/DMARC), the TLS
server presents a certificate from the engine tests' CA, and the installation's scan options point the
engine at both — exactly the settings an installation with an internal resolver and CA would use.
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.conftest import acting
from tests.engine.conftest import HOST, pki  # noqa: F401  (session-scoped test CA)
from tests.engine.servers import Site, serve, server_context
from tests.engine.servers.dns import dns_server

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
GOOD_HEADERS = [("Strict-Transport-Security", "max-age=31536000"), ("Content-Type", "application/json"),
                ("X-Content-Type-Options", "nosniff")]

pytestmark = pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")


@pytest.fixture
def vendor_site(pki):
    """A TLS+HTTP server for api.vendor.test on 127.0.0.1; change ``site.default`` between scans."""
    site = Site(default=(200, list(GOOD_HEADERS), b"{}"))
    with serve(site, context=server_context(*pki.good)) as (port, site):
        yield port, site


@pytest.fixture
def scan_settings(pki, settings):
    """Immediate task backend and engine options aimed at the loopback DNS server and the test CA."""
    records = {(HOST, "A"): ["127.0.0.1"], ("vendor.test", "TXT"): ['"v=spf1 -all"'],
               ("_dmarc.vendor.test", "TXT"): ['"v=DMARC1; p=reject"']}
    with dns_server(records) as port:
        options = {"nameserver": f"127.0.0.1:{port}", "ca_file": str(pki.ca_pem), "timeout": 5,
                   "plain_http_port": None, "concurrency": 4}
        with override_settings(TASKS=IMMEDIATE, VENDORVET_SCAN_OPTIONS=options):
            yield options


@pytest.fixture
def scanned_integration(tenant_a, make_integration, vendor_site):
    """An integration in tenant A whose one endpoint is the loopback vendor server."""
    from vendorvet.web.inventory.models import Endpoint

    port, _site = vendor_site
    integration = make_integration(tenant_a, name="Vendor API", kind="api")
    with acting(tenant_a):
        Endpoint.objects.create(integration=integration, url=f"https://{HOST}:{port}/v1")
    return integration


@pytest.fixture
def allow_private(tenant_a, settings):
    """The test-only operator override that lets scans and webhooks reach the loopback test servers (no tenant
    setting can lift the SSRF guard any more)."""
    settings.VENDORVET_SCAN_ALLOW_LOOPBACK_FOR_TESTS = True


DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def queued_only(settings):
    """Tasks are queued, not run (like a database queue with no worker)."""
    from django_tasks import task_backends

    settings.TASKS = DUMMY_TASKS
    yield task_backends["default"]
    task_backends["default"].clear()

"""Monitoring fixtures: the scans tests' loopback vendor server and settings, receivers, rules."""

from __future__ import annotations

import pytest

from tests.conftest import acting
from tests.engine.conftest import pki  # noqa: F401
from tests.monitoring.receivers import smtp_sink, webhook_receiver
from tests.scans.conftest import (  # noqa: F401  (fixtures)
    IMMEDIATE,
    allow_private,
    queued_only,
    scan_settings,
    scanned_integration,
    vendor_site,
)

pytestmark = pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE
    return settings


@pytest.fixture
def receiver():
    with webhook_receiver() as (port, rec):
        yield port, rec


@pytest.fixture
def flaky_receiver():
    with webhook_receiver(fail_first=1) as (port, rec):
        yield port, rec


@pytest.fixture
def smtp(settings):
    with smtp_sink() as (port, box):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.DEFAULT_FROM_EMAIL = "vendorvet@example.test"
        yield box


@pytest.fixture
def webhook_rule():
    """webhook_rule(tenant, port, channel="webhook", **fields) -> AlertRule (stored as an administrator)."""

    def make(tenant, port, channel="webhook", **fields):
        from vendorvet.web.monitoring.models import AlertRule

        fields.setdefault("min_severity", "low")
        fields.setdefault("secret", "s3cret-for-tests" if channel == "webhook" else "")
        with acting(tenant):
            return AlertRule.objects.create(name=f"{channel} rule", channel=channel,
                                            url=f"http://127.0.0.1:{port}/hook", **fields)

    return make

"""The dashboard's sections run side by side (``dashboard.parallel``): the same figures as one after the other,
each task in the request's tenant, language and time zone, and never inside a transaction other connections
cannot see."""

from __future__ import annotations

import threading

import pytest
from django.db import transaction
from django.utils import timezone, translation

from tests.conftest import acting
from tests.dashboard.test_figures_lists import EXPECTED, seeded_all  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db(transaction=True)  # committed rows: the pool's connections must see them


def test_sections_side_by_side_give_the_same_figures_in_the_requests_context(seeded_all, settings):  # noqa: F811
    from vendorvet.web.core.context import current_tenant
    from vendorvet.web.core.registry import DashboardFigure, DashboardSection, registry
    from vendorvet.web.dashboard import figures, parallel

    seen = []

    def probe():
        seen.append((threading.current_thread().name, current_tenant().pk, translation.get_language(),
                     timezone.get_current_timezone_name()))
        return [DashboardFigure("zz_test.probe", "probe", 1, "/")]

    registry.dashboard_sections.register("zz_test.probe", DashboardSection("Probe", probe, order=999))
    tenant = seeded_all["Acme CRM"].tenant
    try:
        settings.VENDORVET_DASHBOARD_THREADS = 2
        with acting(tenant), translation.override("de"), timezone.override("Europe/Berlin"):
            assert parallel.usable()
            side_by_side = figures.flat(figures.collect())
        settings.VENDORVET_DASHBOARD_THREADS = 1
        with acting(tenant), translation.override("de"), timezone.override("Europe/Berlin"):
            assert not parallel.usable()
            one_by_one = figures.flat(figures.collect())
    finally:
        registry.dashboard_sections.unregister("zz_test.probe")
    assert side_by_side == one_by_one
    assert {k: side_by_side[k] for k in EXPECTED} == EXPECTED
    pooled, serial = seen
    assert pooled[0].startswith("vendorvet-dashboard") and pooled[1:] == (tenant.pk, "de", "Europe/Berlin")
    assert not serial[0].startswith("vendorvet-dashboard") and serial[1:] == pooled[1:]


def test_inside_a_transaction_the_pass_stays_in_this_thread(seeded_all, settings):  # noqa: F811
    from vendorvet.web.dashboard import parallel

    settings.VENDORVET_DASHBOARD_THREADS = 2
    assert parallel.usable()
    with transaction.atomic():
        assert not parallel.usable()  # the pool's connections would not see this transaction's rows

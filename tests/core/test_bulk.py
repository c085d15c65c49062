"""insert_many stores exactly what the ORM would store, on SQLite and PostgreSQL, and only in the active tenant."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import acting
from vendorvet.web.core.bulk import insert_many
from vendorvet.web.discovery.models import DiscoveredApp, Grant

pytestmark = pytest.mark.django_db


def test_rows_read_back_like_orm_rows(tenant_a, tenant_b, admin_a):
    when = dt.datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=dt.timezone.utc)
    with acting(tenant_a, admin_a):
        app = DiscoveredApp.objects.create(tenant=tenant_a, platform="google", client_id="c1", name="Acme")
        rows = [Grant(tenant=tenant_a, app=app, principal=f"user{i}@acme.de", permission_type="delegated",
                      scopes={"https://mail.google.com/": "", "openid": ""}, first_seen=when,
                      last_seen=when + dt.timedelta(days=i), events=i) for i in range(5)]
        assert insert_many(Grant, rows) == 5
        stored = list(Grant.objects.filter(app=app).order_by("principal"))
        assert [g.principal for g in stored] == [f"user{i}@acme.de" for i in range(5)]
        assert stored[3].scopes == {"https://mail.google.com/": "", "openid": ""}
        assert stored[3].first_seen == when and stored[3].last_seen == when + dt.timedelta(days=3)
        assert stored[3].last_revoked is None and stored[3].revoked_scopes == {} and stored[3].events == 3
        assert stored[0].created is not None and stored[0].created == stored[0].last_updated
        # the database filters on the stored values as on ORM-written ones
        assert Grant.objects.filter(first_seen=when, scopes__has_key="openid").count() == 5


def test_objects_of_another_tenant_are_refused(tenant_a, tenant_b, admin_a):
    with acting(tenant_a, admin_a):
        app = DiscoveredApp.objects.create(tenant=tenant_a, platform="google", client_id="c1", name="Acme")
        foreign = Grant(tenant=tenant_b, app=app, principal="x", permission_type="delegated", scopes={})
        with pytest.raises(ValueError, match="active tenant"):
            insert_many(Grant, [foreign])
        assert not Grant.objects.exists()

"""API list pages far into a long list hold the same rows as plain OFFSET paging (``core.paging``)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import acting

pytestmark = pytest.mark.django_db


def test_api_deep_page_is_the_plain_slice(tenant_a, admin_a, make_vendor, api_as):
    from vendorvet.web.inventory.models import Integration

    vendors = [make_vendor(tenant_a, f"Vendor {v}") for v in range(6)]
    with acting(tenant_a):
        Integration.objects.bulk_create([Integration(tenant=tenant_a, vendor=vendors[i // 50], name=f"App {i % 50:02d}",
                                                     tier=1 + i % 4) for i in range(260)])
        expected = list(Integration.objects.order_by("name", "id").values_list("id", flat=True))
    client = api_as(tenant_a, admin_a)
    seen, queries = [], []
    for page in range(1, 7):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/inventory/integrations/?page={page}&page_size=50&ordering=name")
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["count"] == 260
        seen += [row["id"] for row in body["results"]]
        deep = any('"id" IN (SELECT' in q["sql"] for q in ctx.captured_queries)
        assert deep == (page >= 5), page
        queries.append(len(ctx.captured_queries))
    assert seen == expected
    # the rows keep what the list loads with them (vendor joined, endpoints prefetched): no query per row
    assert queries[4] == queries[5] == queries[1], queries  # (the first request also reads the token once)

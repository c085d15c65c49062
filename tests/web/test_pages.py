"""Every page renders for an administrator, carries the CSP, and contains no inline script or style."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.conftest import assert_csp_clean

pytestmark = pytest.mark.django_db


def page_urls(inv):
    crm = inv["Acme CRM"]
    acme = inv["vendors"]["acme"]
    return [
        reverse("inventory:integration_list"),
        reverse("inventory:integration_list") + "?q=crm&status=approved&sort=-tier",
        reverse("inventory:integration_add"),
        reverse("inventory:integration_detail", args=[crm.pk]),
        reverse("inventory:integration_edit", args=[crm.pk]),
        reverse("inventory:integration_delete", args=[crm.pk]),
        reverse("inventory:integration_history", args=[crm.pk]),
        reverse("inventory:vendor_list"),
        reverse("inventory:vendor_add"),
        reverse("inventory:vendor_detail", args=[acme.pk]),
        reverse("inventory:vendor_edit", args=[acme.pk]),
        reverse("inventory:vendor_delete", args=[acme.pk]),
        reverse("inventory:vendor_history", args=[acme.pk]),
        reverse("inventory:change_list"),
        reverse("inventory:change_list") + "?type=integration&actor=system",
        reverse("accounts:tokens"),
        reverse("accounts:members"),
    ]


def test_every_page_renders_with_csp_and_no_inline_code(admin_a, inventory_a, login):
    client = login(admin_a)
    for url in page_urls(inventory_a):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        html = response.content.decode()
        assert_csp_clean(html)
        assert 'name="htmx-config"' in html
        assert "X-CSRFToken" in html  # hx-headers on <body>
        assert "/static/vendorvet/htmx.min.js" in html


def test_login_page_and_redirects(client, admin_a):
    response = client.get("/")
    assert response.status_code == 302
    response = client.get(reverse("inventory:integration_list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    page = client.get(reverse("accounts:login"))
    assert page.status_code == 200
    assert_csp_clean(page.content.decode())
    assert 'name="username"' in page.content.decode()


def test_login_logout_flow(client, admin_a):
    from tests.conftest import PASSWORD

    bad = client.post(reverse("accounts:login"), {"username": admin_a.username, "password": "wrong"})
    assert bad.status_code == 200 and b"nonfield-errors" in bad.content
    ok = client.post(reverse("accounts:login"), {"username": admin_a.username, "password": PASSWORD})
    assert ok.status_code == 302 and ok["Location"] == reverse("dashboard:home")
    assert client.get(reverse("inventory:integration_list")).status_code == 200
    assert client.get(reverse("accounts:logout")).status_code == 405  # logout is POST only
    out = client.post(reverse("accounts:logout"))
    assert out.status_code == 302
    assert client.get(reverse("inventory:integration_list")).status_code == 302


def test_user_without_tenant_sees_no_tenant_page(client, db):
    from django.contrib.auth import get_user_model

    from tests.conftest import PASSWORD

    get_user_model().objects.create_user("lonely", password=PASSWORD)
    client.login(username="lonely", password=PASSWORD)
    response = client.get(reverse("inventory:integration_list"))
    assert response.status_code == 403
    assert b"not a member of any tenant" in response.content


def test_unknown_page_uses_404_template(admin_a, login):
    response = login(admin_a).get("/integrations/999999/")
    assert response.status_code == 404
    assert b"belongs to a tenant you are not working in" in response.content


def test_static_assets_are_served(admin_a, login):
    client = login(admin_a)
    for name in ("htmx.min.js", "app.js", "app.css"):
        response = client.get(f"/static/vendorvet/{name}")
        assert response.status_code == 200, name
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 500

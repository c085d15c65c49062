"""The watch panel on the vendor page, the API (/api/watch/pages/) and ``vendorvet watch add|list|check``."""

from __future__ import annotations

import json

from tests.conftest import acting
from tests.support.watch_server import subprocessor_page

ROWS = [("Hetzner Online GmbH", "Hosting", "Germany"), ("Twilio Inc.", "SMS", "USA")]


def test_panel_add_check_and_remove(tenant_a, admin_a, auditor_a, vendor, server, loopback, login, settings):
    from django.urls import reverse

    from vendorvet.web.watch import scheduling
    from vendorvet.web.watch.models import WatchedPage

    server.html("/subs", subprocessor_page(ROWS))
    client = login(admin_a)
    response = client.post(reverse("watch:add", args=[vendor.pk]), {"url": server.base + "/subs",
                                                                     "kind": "subprocessors"})
    assert response.status_code == 302
    with acting(tenant_a):
        page = WatchedPage.objects.get(vendor=vendor)
        scheduling.run_checks([page.pk])
    html = client.get(reverse("watch:vendor_panel", args=[vendor.pk])).content.decode()
    assert "Sub-processor list" in html and "Checked" in html and server.base + "/subs" in html
    assert 'for="watch-url-' in html  # labelled form
    server.html("/subs", subprocessor_page(ROWS + [("Mailjet SAS", "E-mail", "France")]))
    with acting(tenant_a):
        scheduling.run_checks([page.pk])
    html = client.get(reverse("watch:vendor_panel", args=[vendor.pk])).content.decode()
    assert "Changed on" in html and "+ Mailjet SAS | E-mail | France" in html
    server.stall.add("/subs")
    settings.VENDORVET_WATCH_TIMEOUT = 0.5
    with acting(tenant_a):
        scheduling.run_checks([page.pk])
    html = client.get(reverse("watch:vendor_panel", args=[vendor.pk])).content.decode()
    assert "Could not check" in html and "timed out" in html and "Last good check" in html
    # an auditor sees the panel but may not add or remove
    reader = login(auditor_a)
    assert reader.get(reverse("watch:vendor_panel", args=[vendor.pk])).status_code == 200
    assert reader.post(reverse("watch:remove", args=[page.pk])).status_code == 403
    assert client.post(reverse("watch:remove", args=[page.pk])).status_code == 302
    with acting(tenant_a):
        assert not WatchedPage.objects.exists()


def test_panel_in_german(tenant_a, admin_a, vendor, login):
    from django.urls import reverse

    client = login(admin_a, HTTP_ACCEPT_LANGUAGE="de")
    html = client.get(reverse("watch:vendor_panel", args=[vendor.pk])).content.decode()
    assert "Diese Seite beobachten" in html and "Liste der Unterauftragsverarbeiter" in html


def test_api_add_list_check(tenant_a, admin_a, vendor, server, loopback, api_as):
    server.html("/subs", subprocessor_page(ROWS))
    api = api_as(tenant_a, admin_a)
    created = api.post("/api/watch/pages/", {"vendor": vendor.pk, "url": server.base + "/subs",
                                             "kind": "subprocessors"}, format="json")
    assert created.status_code == 201, created.content
    again = api.post("/api/watch/pages/", {"vendor": vendor.pk, "url": server.base + "/subs",
                                           "kind": "subprocessors"}, format="json")
    assert again.status_code == 400
    bad = api.post("/api/watch/pages/", {"vendor": vendor.pk, "url": "ftp://x.example/", "kind": "dpa"},
                   format="json")
    assert bad.status_code == 400
    pk = created.json()["id"]
    checked = api.post(f"/api/watch/pages/{pk}/check/")
    assert checked.status_code == 200 and checked.json()["state"] == "first"
    assert [r["countries"] for r in checked.json()["page"]["rows"]] == [["DE"], ["US"]]
    listed = api.get(f"/api/watch/pages/?vendor={vendor.pk}").json()
    items = listed["results"] if isinstance(listed, dict) else listed
    assert [p["state"] for p in items] == ["checked"]
    assert api.get("/api/watch/pages/?vendor=abc").status_code == 400
    assert api.delete(f"/api/watch/pages/{pk}/").status_code == 204


def test_cli_add_list_check(tenant_a, admin_a, vendor, server, loopback, capsys):
    from vendorvet.cli.main import main

    server.html("/subs", subprocessor_page(ROWS))
    base = ["--tenant", "nordlicht", "--user", admin_a.get_username()]
    assert main(["watch", "add", "Acme Cloud Inc.", server.base + "/subs", "--kind", "subprocessors", *base]) == 0
    assert main(["watch", "check", *base]) == 0
    out = capsys.readouterr().out
    assert "checked" in out
    assert main(["watch", "list", "--format", "json", *base]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["state"] == "checked" and row["last_checked"]
    server.huge.add("/subs")
    assert main(["watch", "check", "--all", *base]) == 1
    assert "larger than 5 MB" in capsys.readouterr().out

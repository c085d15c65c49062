"""Merging imports into the inventory: proposed integrations, dedupe across sources and re-imports,
revocations, never overwriting what a person entered, all-or-nothing."""

from __future__ import annotations

import json

import pytest

from tests.discovery.conftest import ENTRA, GOOGLE_DIRECTORY, GOOGLE_TOKENS, PROXY
from vendorvet.engine.discovery import DiscoveryInputError
from vendorvet.web.core.context import PermissionDeniedError, use_tenant
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.discovery.models import DiscoveredApp, Grant, ImportRun
from vendorvet.web.inventory.models import Integration, Vendor

pytestmark = pytest.mark.django_db

MERGE = "557101234987-mailmergepro7c1c1a5u2vq2m3f2.apps.googleusercontent.com"


def _apps(tenant):
    with use_tenant(tenant):
        return {a.name: a for a in DiscoveredApp.objects.select_related("integration__vendor")}


def test_google_import_keeps_proposals_until_accepted(tenant_a, importing, accepting):
    # issue 13 (intended change): the import creates no integration; a person accepts each proposal
    report = importing(tenant_a, "google_tokens", GOOGLE_TOKENS)
    with use_tenant(tenant_a):
        assert not Integration.objects.exists() and report.run.integrations_created == 0
        assert set(DiscoveredApp.objects.values_list("review_state", flat=True)) == {"pending"}
    accepting(tenant_a)
    assert report.run.apps_new == 6 and report.run.records == 18 and report.run.skipped == 3
    apps = _apps(tenant_a)
    merge = apps["Mail Merge Pro"]
    assert merge.risk == "high" and "restricted_scopes" in merge.flags
    assert merge.status == "active" and merge.users_count == 1  # Lea revoked, Tim still has it
    assert any("https://mail.google.com/" in r["en"] for r in merge.risk_reasons)
    integration = merge.integration
    assert integration.status == "proposed" and integration.discovery_source == "oauth_grant"
    assert integration.kind == "oauth_app" and integration.tags == []
    assert "personal" in integration.data_categories  # reads mail: suggested by the scope content
    # catalogue: Slack's company and country
    slack = apps["Slack"].integration
    assert slack.vendor.name == "Slack Technologies (Salesforce)" and slack.vendor.country == "US"
    calendly = apps["Calendly"]
    assert calendly.status == "revoked"
    with use_tenant(tenant_a):
        lea = Grant.objects.get(app=merge, principal="lea.hoffmann@nordlicht-maschinenbau.de")
        assert lea.status == "revoked" and lea.last_revoked.isoformat().startswith("2024-04-12T13:45:30")
        assert ObjectChange.objects.filter(changed_object_id=merge.integration_id, action="create").exists()
    assert report.run.revocations == 4  # Lea/Mail Merge, Max/Calendly, Lea/Lucidchart, Tim/Zoom


def test_reimport_is_idempotent_and_dedupes_across_sources(tenant_a, importing, accepting):
    importing(tenant_a, "google_tokens", GOOGLE_TOKENS)
    accepting(tenant_a)
    with use_tenant(tenant_a):
        counts = (DiscoveredApp.objects.count(), Grant.objects.count(), Integration.objects.count())
    again = importing(tenant_a, "google_tokens", GOOGLE_TOKENS)
    assert again.run.apps_new == 0 and again.run.grants_new == 0 and again.run.revocations == 0
    with use_tenant(tenant_a):
        assert (DiscoveredApp.objects.count(), Grant.objects.count(), Integration.objects.count()) == counts
    # the Directory API lists the same Slack/Zoom clients: same apps, more sources; Miro is new
    report = importing(tenant_a, "google_directory", GOOGLE_DIRECTORY)
    assert [a.name for a in report.new_apps] == ["Miro"]
    apps = _apps(tenant_a)
    assert apps["Slack"].sources == ["google_directory", "google_tokens"]
    # Zoom was revoked in the token log, but is listed as a current token later: active again
    assert apps["Zoom for Google Workspace"].status == "active"
    # the proxy log finds Slack too: a second DiscoveredApp, the same integration
    importing(tenant_a, "proxy_log", PROXY)
    apps = _apps(tenant_a)
    with use_tenant(tenant_a):
        web_slack = DiscoveredApp.objects.get(platform="web", client_id="slack")
        assert web_slack.integration_id == apps["Slack"].integration_id
        assert Integration.objects.filter(name="Slack").count() == 1


def test_person_entered_fields_are_never_overwritten(tenant_a, importing, make_vendor, as_tenant):
    vendor = make_vendor(tenant_a, "Slack Technologies (Salesforce)", country="US")
    with as_tenant(tenant_a):
        mine = Integration.objects.create(vendor=vendor, name="Slack", status="approved", department="IT",
                                          purpose="Team chat", kind="saas", discovery_source="manual")
    importing(tenant_a, "google_tokens", GOOGLE_TOKENS)
    mine.refresh_from_db()
    assert (mine.status, mine.department, mine.purpose, mine.kind, mine.discovery_source) == \
        ("approved", "IT", "Team chat", "saas", "manual")
    assert _apps(tenant_a)["Slack"].integration_id == mine.pk
    with use_tenant(tenant_a):
        from django.contrib.contenttypes.models import ContentType

        ct = ContentType.objects.get_for_model(Integration)
        # the only update: the discovery-owned tier factor (and the tier it moves), recorded in the history
        updates = list(ObjectChange.objects.filter(changed_object_type=ct, changed_object_id=mine.pk,
                                                   action="update"))
        assert len(updates) == 1
        pre, post = updates[0].prechange_data, updates[0].postchange_data
        assert {k for k in post if post[k] != pre.get(k)} <= {"granted_scope_risk", "granted_access",
                                                              "granted_scopes", "granted_publisher", "tier",
                                                              "last_updated"}
        assert post["granted_scope_risk"] in ("low", "medium", "high")
        # the discovered app's own changes are shown in the integration's history
        assert ObjectChange.objects.filter(related_object_type=ct, related_object_id=mine.pk).exists()


def test_entra_import_rates_application_permissions_and_flags(tenant_a, importing, accepting):
    importing(tenant_a, "entra", ENTRA)
    accepting(tenant_a)
    apps = _apps(tenant_a)
    hr = apps["HR-Sync (Personio)"]
    assert hr.risk == "high" and "application_permissions" in hr.flags
    assert hr.catalogue_key == "personio" and hr.integration.name == "Personio"
    assert hr.integration.access_scope == "tenant_wide"
    mailsync = apps["MailSync Helper"]
    assert {"unverified_publisher", "reply_url_not_https", "offline_access"} <= set(mailsync.flags)
    assert mailsync.users_count == 2
    zoom = apps["Zoom"]
    scopes = {s["scope"]: s for s in zoom.scopes}
    assert scopes["Calendars.ReadWrite"]["risk"] == "high" and scopes["Calendars.ReadWrite"]["raised_because"] == \
        "tenant_wide"
    assert "unverified_publisher" not in zoom.flags


def test_least_privilege_gap_from_required_scopes(tenant_a, importing, as_tenant):
    importing(tenant_a, "entra", ENTRA)
    from vendorvet.web.discovery.importer import reassess

    with as_tenant(tenant_a, role="assessor"):
        app = DiscoveredApp.objects.get(name="Adobe Acrobat Sign")
        app.required_scopes = ["openid", "profile", "email", "User.Read"]
        reassess(app)
        app.refresh_from_db()
    assert app.excess_scopes == ["Files.ReadWrite.All", "offline_access"]
    assert "least_privilege_gap" in app.flags


def test_bad_input_stores_nothing(tenant_a, importing, tmp_path):
    broken = tmp_path / "page3.json"
    broken.write_text('{"value": [{"clientId": "x", "consentType": "Principal", "resourceId": "r", "scope": "Mai')
    with pytest.raises(DiscoveryInputError, match="page3.json"):
        importing(tenant_a, "entra", [*ENTRA, broken])
    with use_tenant(tenant_a):
        assert not DiscoveredApp.objects.exists() and not ImportRun.objects.exists()
        assert not Integration.objects.exists() and not Vendor.objects.exists()


def test_import_needs_the_import_permission(tenant_a, importing):
    with pytest.raises(PermissionDeniedError):
        importing(tenant_a, "google_directory", GOOGLE_DIRECTORY, role="auditor")


def test_tenants_are_separate(tenant_a, tenant_b, importing):
    importing(tenant_a, "google_directory", GOOGLE_DIRECTORY)
    report = importing(tenant_b, "google_directory", GOOGLE_DIRECTORY)
    assert len(report.new_apps) == 3  # nothing of tenant A is reused
    assert len(_apps(tenant_b)) == 3


def test_repeated_proxy_log_does_not_double_count(tenant_a, importing):
    importing(tenant_a, "proxy_log", PROXY)
    report = importing(tenant_a, "proxy_log", PROXY)
    assert report.repeated_files and "already imported" in report.run.warnings[0]
    with use_tenant(tenant_a):
        assert DiscoveredApp.objects.get(client_id="asana").hits == 2


def test_cli_discover_and_list_json(tenant_a, assessor_a, capsys):
    from vendorvet.cli.main import main

    args = ["--tenant", "nordlicht", "--user", "arne.assessor"]
    assert main(["discover", "google-tokens", *map(str, GOOGLE_TOKENS), *args]) == 0
    out = capsys.readouterr().out
    assert "6 apps (6 new)" in out and "new apps since the last import:" in out
    assert "high    Mail Merge Pro" in out
    assert main(["discover", "entra", *map(str, ENTRA), *args]) == 0
    capsys.readouterr()
    assert main(["discover", "list", "--format", "json", *args]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"apps", "warnings"}
    required = {"name", "sources", "client_id", "users", "status", "risk", "risk_reasons", "flags", "scopes",
                "first_seen", "last_seen"}
    assert all(required <= set(a) for a in doc["apps"])
    merge = next(a for a in doc["apps"] if a["client_id"] == MERGE)
    assert merge["risk"] == "high" and merge["status"] == "active" and merge["sources"] == ["google_tokens"]
    assert merge["users"] == ["lea.hoffmann@nordlicht-maschinenbau.de", "tim.becker@nordlicht-maschinenbau.de"]
    assert {"scope": "https://mail.google.com/", "risk": "high"}.items() <= merge["scopes"][0].items()
    assert merge["first_seen"] == "2024-04-05T15:31:55Z"
    assert doc["apps"][0]["risk"] == "high"
    assert any("without client_id" in w for w in doc["warnings"])
    assert main(["discover", "list", "--format", "table", "--new", *args]) == 0
    table = capsys.readouterr().out
    assert "MailSync Helper" in table and "Mail Merge Pro" not in table


def test_cli_bad_file_exits_1_with_message(tenant_a, assessor_a, capsys, tmp_path):
    from vendorvet.cli.main import main

    bad = tmp_path / "report.pdf"
    bad.write_bytes(b"%PDF-1.4 whatever")
    assert main(["discover", "proxy-log", str(bad), "--tenant", "nordlicht", "--user", "arne.assessor"]) == 1
    err = capsys.readouterr().err
    assert "report.pdf: this is a PDF document" in err and "nothing was imported" in err

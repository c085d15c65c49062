"""Admin exports as admins really produce them (issue 17): Microsoft first-party apps referenced only through
app-role assignments, Graph PowerShell output in UTF-16, service principals without grants, revoked apps'
history, Google users named by e-mail and by profile id, mixed Reports API exports, epoch-millisecond times,
CSV keyed by the application id, and apps that call Admin SDK APIs."""

from __future__ import annotations

import json

import pytest

from vendorvet.engine.discovery import parse_files
from vendorvet.web.core.context import use_tenant
from vendorvet.web.discovery.models import DiscoveredApp, Grant

GRAPH_SP = "5c1a7f0e-2b3d-4e5f-8a9b-0c1d2e3f4a5b"
TEAMS_SP = "a0b1c2d3-e4f5-4a6b-8c9d-0e1f2a3b4c5d"  # Microsoft first-party (Microsoft Services tenant)
ITS_SP = "d4c3b2a1-0f9e-4d8c-b7a6-5e4d3c2b1a09"  # Microsoft's own corporate tenant (72f988bf…)
VENDOR_SP = "f1e2d3c4-b5a6-4978-8a9b-c0d1e2f3a4b5"
IDLE_SP = "0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9"
MAIL_READ_ALL = "810c84a8-4a9e-49e6-bf7d-12d183f40d01"
ALICE = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"


def _sp(object_id, app_id, name, owner, **extra):
    return {"id": object_id, "appId": app_id, "displayName": name, "appOwnerOrganizationId": owner,
            "servicePrincipalType": "Application", "publisherName": extra.pop("publisher", name),
            "verifiedPublisher": {"verifiedPublisherId": extra.pop("verified", None)}, **extra}


SPS = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals", "value": [
    _sp(GRAPH_SP, "00000003-0000-0000-c000-000000000000", "Microsoft Graph", "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
        appRoles=[{"id": MAIL_READ_ALL, "value": "Mail.Read", "allowedMemberTypes": ["Application"]}]),
    _sp(TEAMS_SP, "1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams", "f8cdef31-a31e-4b4a-93e4-5f571e91255a"),
    _sp(ITS_SP, "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal", "72f988bf-86f1-41af-91ab-2d7cd011db47"),
    _sp(VENDOR_SP, "2d9f4b61-8c3a-4e7b-9f10-6a5b4c3d2e1f", "Belegfix Buchhaltung", "6b1c7e2a-1111-4c2d-9e8f-0a1b2c3d4e5f",
        publisher="Belegfix GmbH", verified="1234567"),
    _sp(IDLE_SP, "7e6d5c4b-3a29-4187-9f6e-5d4c3b2a1908", "Reisekosten Portal", "3c2b1a09-2222-4d3e-8f70-1a2b3c4d5e6f",
        publisher="Travelly AG", verified="7654321"),
]}
# Graph's appRoleAssignedTo of Microsoft Graph: application permissions of Teams (first party) and Belegfix
ASSIGNED_TO = {"@odata.context": f"https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('{GRAPH_SP}')/"
                                 "appRoleAssignedTo", "value": [
    {"id": "a1", "appRoleId": MAIL_READ_ALL, "creationTimestamp": "2024-02-01T10:00:00Z", "principalId": TEAMS_SP,
     "principalType": "ServicePrincipal", "principalDisplayName": "Microsoft Teams", "resourceId": GRAPH_SP,
     "resourceDisplayName": "Microsoft Graph"},
    {"id": "a2", "appRoleId": MAIL_READ_ALL, "creationTimestamp": "2024-02-03T08:15:00Z", "principalId": VENDOR_SP,
     "principalType": "ServicePrincipal", "principalDisplayName": "Belegfix Buchhaltung", "resourceId": GRAPH_SP,
     "resourceDisplayName": "Microsoft Graph"}]}
# a user assigned to the Azure Portal (Microsoft's own tenant): still first party, never listed
USER_ASSIGNED = {"@odata.context": f"https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('{ITS_SP}')/"
                                   "appRoleAssignedTo", "value": [
    {"id": "u1", "appRoleId": "00000000-0000-0000-0000-000000000000", "creationTimestamp": "2024-01-05T09:00:00Z",
     "principalId": ALICE, "principalType": "User", "principalDisplayName": "Alice Berger", "resourceId": ITS_SP,
     "resourceDisplayName": "Azure Portal"}]}


def write(tmp_path, name, doc, encoding="utf-8", bom=b""):
    path = tmp_path / name
    path.write_bytes(bom + json.dumps(doc, indent=1).encode(encoding))
    return path


def test_first_party_apps_referenced_only_through_app_role_assignments_are_never_listed(tmp_path):
    files = [write(tmp_path, "assigned_to.json", ASSIGNED_TO), write(tmp_path, "users.json", USER_ASSIGNED),
             write(tmp_path, "sps.json", SPS)]
    result = parse_files("entra", [str(p) for p in files])
    names = sorted(a.name for a in result.apps.values())
    assert names == ["Belegfix Buchhaltung", "Reisekosten Portal"]
    belegfix = result.apps[("microsoft", "2d9f4b61-8c3a-4e7b-9f10-6a5b4c3d2e1f")]
    grant = belegfix.grants[("*", "application")]
    assert grant.scopes == {"Mail.Read": "Microsoft Graph"} and grant.first_seen == "2024-02-03T08:15:00Z"


def ps(items):
    """What ``Get-Mg… | ConvertTo-Json`` writes: a bare array, PascalCase, the SDK's AdditionalProperties."""
    def pascal(value):
        if isinstance(value, dict):
            return {k[:1].upper() + k[1:]: pascal(v) for k, v in value.items()}
        if isinstance(value, list):
            return [pascal(v) for v in value]
        return value
    return [{**pascal(i), "AdditionalProperties": {}} for i in items]


@pytest.mark.parametrize("encoding,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-le", b""), ("utf-8", b"\xef\xbb\xbf")])
def test_graph_powershell_output_in_utf16(tmp_path, encoding, bom):
    sps = ps(SPS["value"])
    grants = ps([{"id": "g1", "clientId": VENDOR_SP, "consentType": "Principal", "principalId": ALICE,
                  "resourceId": GRAPH_SP, "scope": "User.Read Files.Read.All offline_access"}])
    assignments = ps([{"id": "a2", "appRoleId": MAIL_READ_ALL, "creationTimestamp": "/Date(1706948100000)/",
                       "principalId": VENDOR_SP, "principalType": "ServicePrincipal",
                       "principalDisplayName": "Belegfix Buchhaltung", "resourceId": GRAPH_SP,
                       "resourceDisplayName": "Microsoft Graph"}])
    files = [write(tmp_path, f"{n}.json", doc, encoding, bom) for n, doc in
             (("Get-MgServicePrincipal", sps), ("Get-MgOauth2PermissionGrant", grants),
              ("Get-MgServicePrincipalAppRoleAssignedTo", assignments))]
    result = parse_files("entra", [str(p) for p in files])
    app = result.apps[("microsoft", "2d9f4b61-8c3a-4e7b-9f10-6a5b4c3d2e1f")]
    assert (app.name, app.publisher, app.verified_publisher) == ("Belegfix Buchhaltung", "Belegfix GmbH", True)
    assert sorted(app.grants[(ALICE, "delegated")].scopes) == ["Files.Read.All", "User.Read", "offline_access"]
    assert app.grants[("*", "application")].first_seen == "2024-02-03T08:15:00Z"  # /Date(ms)/ read
    assert ("microsoft", "1fec8e78-bce4-4aaf-ab1b-5451cc387264") not in result.apps  # Teams: first party


@pytest.mark.django_db
def test_service_principal_without_any_grant_is_no_active_grants_not_active(tmp_path, tenant_a, importing):
    importing(tenant_a, "entra", [write(tmp_path, "sps.json", SPS), write(tmp_path, "at.json", ASSIGNED_TO)])
    with use_tenant(tenant_a):
        states = dict(DiscoveredApp.objects.values_list("name", "status"))
    assert states == {"Belegfix Buchhaltung": "active", "Reisekosten Portal": "no_grants"}


@pytest.mark.django_db
def test_revoked_app_keeps_its_scopes_users_and_dates_as_history(tmp_path, tenant_a, importing, assessor_a, login):
    from vendorvet.web.discovery.revocations import history_scopes

    grants = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#oauth2PermissionGrants", "value": [
        {"id": "g1", "clientId": VENDOR_SP, "consentType": "Principal", "principalId": ALICE, "resourceId": GRAPH_SP,
         "scope": "User.Read Files.ReadWrite.All"}]}
    importing(tenant_a, "entra", [write(tmp_path, "sps.json", SPS), write(tmp_path, "g.json", grants)])
    empty = {"@odata.context": grants["@odata.context"], "value": []}
    importing(tenant_a, "entra", [write(tmp_path, "g2.json", empty)])
    with use_tenant(tenant_a):
        app = DiscoveredApp.objects.get(name="Belegfix Buchhaltung")
        grant = Grant.objects.get(app=app)
        assert app.status == "revoked" and grant.status == "revoked"
        assert sorted(grant.scopes) == ["Files.ReadWrite.All", "User.Read"] and grant.first_seen is not None
        assert app.users_count == 1 and app.first_seen is not None  # who had it, and since when
        assert [r["scope"] for r in history_scopes(app, "en")] == ["Files.ReadWrite.All", "User.Read"]
    page = login(assessor_a).get(f"/discovery/apps/{app.pk}/").content.decode()
    assert "Scopes before the revocation" in page and "Files.ReadWrite.All" in page


def token_activity(time, email, profile, event, client, app_name, scopes=(), api=None, application="token"):
    params = [{"name": "client_id", "value": client}, {"name": "app_name", "value": app_name}]
    if scopes:
        params.append({"name": "scope", "multiValue": list(scopes)})
    if api:
        params += [{"name": "api_name", "value": api}, {"name": "method_name", "value": "directory.users.list"}]
    actor = {"callerType": "USER", "profileId": profile}
    if email:
        actor["email"] = email
    return {"kind": "admin#reports#activity",
            "id": {"time": time, "uniqueQualifier": "1", "applicationName": application, "customerId": "C03az79cb"},
            "actor": actor, "events": [{"type": "auth", "name": event, "parameters": params}]}


PLANER = "558811223344-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d.apps.googleusercontent.com"
DRIVE_SCOPE = "https://www.googleapis.com/auth/drive"


def test_mixed_reports_export_imports_token_events_and_counts_the_rest(tmp_path):
    items = [token_activity("2024-05-02T08:00:00.000Z", "jana.schulz@nordlicht.de", "104938573311", "authorize",
                            PLANER, "Schichtplaner Pro", [DRIVE_SCOPE]),
             {"kind": "admin#reports#activity", "id": {"time": "2024-05-02T08:01:00.000Z", "applicationName": "login"},
              "actor": {"email": "jana.schulz@nordlicht.de"}, "events": [{"name": "login_success"}]},
             {"kind": "admin#reports#activity", "id": {"time": "2024-05-02T08:02:00.000Z", "applicationName": "drive"},
              "actor": {"email": "jana.schulz@nordlicht.de"}, "events": [{"name": "view"}]},
             {"kind": "admin#reports#activity", "id": {"time": "2024-05-02T08:03:00.000Z", "applicationName": "drive"},
              "actor": {"email": "jana.schulz@nordlicht.de"}, "events": [{"name": "edit"}]},
             token_activity(1714640700000, None, "104938573311", "activity", PLANER, "Schichtplaner Pro"),
             token_activity("1714644300000", "jana.schulz@nordlicht.de", "104938573311", "activity", PLANER,
                            "Schichtplaner Pro")]
    path = write(tmp_path, "reports.json", {"kind": "admin#reports#activities", "items": items})
    result = parse_files("google_tokens", [str(path)])
    assert result.other_applications == {"drive": 2, "login": 1} and result.skipped == 3
    assert any("3 activities of other applications were skipped (drive: 2, login: 1)" in w for w in result.warnings)
    app = result.apps[("google", PLANER)]
    # one user, although one event names her only by profile id; epoch milliseconds (number and digits) read
    assert list(app.grants) == [("jana.schulz@nordlicht.de", "delegated")]
    grant = app.grants[("jana.schulz@nordlicht.de", "delegated")]
    assert grant.events == 3 and grant.last_seen == "2024-05-02T10:05:00Z" and grant.first_seen == "2024-05-02T08:00:00Z"
    assert result.aliases == {"104938573311": "jana.schulz@nordlicht.de"}


@pytest.mark.django_db
def test_google_user_named_by_email_and_by_profile_id_counts_once(tmp_path, tenant_a, importing):
    log = write(tmp_path, "tokens.json", {"items": [token_activity(
        "2024-05-02T08:00:00.000Z", "jana.schulz@nordlicht.de", "104938573311", "authorize", PLANER,
        "Schichtplaner Pro", [DRIVE_SCOPE])]})
    directory = write(tmp_path, "directory.json", {"kind": "admin#directory#tokenList", "items": [
        {"kind": "admin#directory#token", "clientId": PLANER, "displayText": "Schichtplaner Pro",
         "userKey": "104938573311", "scopes": [DRIVE_SCOPE, "openid"]}]})
    importing(tenant_a, "google_tokens", [log])
    importing(tenant_a, "google_directory", [directory])
    with use_tenant(tenant_a):
        app = DiscoveredApp.objects.get(client_id=PLANER)
        grants = list(Grant.objects.filter(app=app).values_list("principal", "scopes"))
    assert grants == [("jana.schulz@nordlicht.de", {DRIVE_SCOPE: "", "openid": ""})]
    assert app.users_count == 1


@pytest.mark.django_db
def test_directory_first_then_token_log_also_counts_once(tmp_path, tenant_a, importing):
    directory = write(tmp_path, "directory.json", {"items": [
        {"kind": "admin#directory#token", "clientId": PLANER, "displayText": "Schichtplaner Pro",
         "userKey": "104938573311", "scopes": [DRIVE_SCOPE]}]})
    log = write(tmp_path, "tokens.json", {"items": [token_activity(
        "2024-05-02T08:00:00.000Z", "jana.schulz@nordlicht.de", "104938573311", "authorize", PLANER,
        "Schichtplaner Pro", [DRIVE_SCOPE])]})
    importing(tenant_a, "google_directory", [directory])
    importing(tenant_a, "google_tokens", [log])
    with use_tenant(tenant_a):
        assert list(Grant.objects.filter(app__client_id=PLANER).values_list("principal", flat=True)) == [
            "jana.schulz@nordlicht.de"]


def test_a_file_of_only_other_applications_is_still_refused(tmp_path):
    from vendorvet.engine.discovery.errors import DiscoveryInputError

    path = write(tmp_path, "drive.json", {"items": [
        {"id": {"time": "2024-05-02T08:02:00.000Z", "applicationName": "drive"}, "events": [{"name": "view"}]}]})
    with pytest.raises(DiscoveryInputError, match="'drive' audit log, not the token log"):
        parse_files("google_tokens", [str(path)])


@pytest.mark.django_db
def test_csv_keyed_by_application_id_and_a_later_json_import_of_the_same_app(tmp_path, tenant_a, importing):
    csv = tmp_path / "token_audit.csv"
    csv.write_text("Event,Description,Actor,App name,Application ID,Scope,Date\n"
                   f"Authorize,jana.schulz@nordlicht.de authorized access to Schichtplaner Pro,"
                   f"jana.schulz@nordlicht.de,Schichtplaner Pro,{PLANER},{DRIVE_SCOPE},2024-05-01 09:00:00\n",
                   encoding="utf-8")
    importing(tenant_a, "google_tokens", [csv])
    log = write(tmp_path, "tokens.json", {"items": [token_activity(
        "2024-05-02T08:00:00.000Z", "jana.schulz@nordlicht.de", "104938573311", "authorize", PLANER,
        "Schichtplaner Pro", [DRIVE_SCOPE])]})
    importing(tenant_a, "google_tokens", [log])
    with use_tenant(tenant_a):
        assert list(DiscoveredApp.objects.values_list("client_id", flat=True)) == [PLANER]


@pytest.mark.django_db
def test_admin_sdk_activity_raises_the_risk_with_a_reason(tmp_path, tenant_a, importing):
    reporting = "778899001122-abcdefabcdefabcdefabcdefabcdefab.apps.googleusercontent.com"
    items = [token_activity("2024-05-02T08:00:00.000Z", "it.admin@nordlicht.de", "1077", "authorize", reporting,
                            "Lizenz-Reporting", ["openid", "https://www.googleapis.com/auth/userinfo.email"]),
             token_activity("2024-05-02T09:00:00.000Z", "it.admin@nordlicht.de", "1077", "activity", reporting,
                            "Lizenz-Reporting", api="admin"),
             token_activity("2024-05-02T09:05:00.000Z", "it.admin@nordlicht.de", "1077", "activity", PLANER,
                            "Schichtplaner Pro", api="drive")]
    importing(tenant_a, "google_tokens", [write(tmp_path, "tokens.json", {"items": items})])
    with use_tenant(tenant_a):
        app = DiscoveredApp.objects.get(client_id=reporting)
        other = DiscoveredApp.objects.get(client_id=PLANER)
    assert app.admin_apis == ["admin"] and app.risk == "high" and "admin_api" in app.flags
    reason = next(r for r in app.risk_reasons if "Admin SDK" in r["en"])
    assert reason["de"].startswith("Ruft Google-Admin-SDK-APIs auf (admin)")
    assert other.admin_apis == [] and "admin_api" not in other.flags

"""Entra exports are snapshots: what an earlier import found and a newer complete listing no longer lists
was revoked — per grant, per scope, and whole service principals; partial imports revoke only what they cover."""

from __future__ import annotations

import json

import pytest

from tests.discovery.conftest import ENTRA, FIXTURES
from vendorvet.engine.discovery import parse_files
from vendorvet.web.core.context import use_tenant
from vendorvet.web.discovery.models import DiscoveredApp, Grant, ImportRun

pytestmark = pytest.mark.django_db

LATER = FIXTURES / "entra_later"
LATER_SNAPSHOT = [LATER / "oauth2_permission_grants.json", LATER / "graph_app_role_assigned_to.json",
                  LATER / "service_principals.json"]
USER_1 = "3e5b8c21-9d4f-4a6e-b7c8-1f2a3b4c5d6e"
USER_2 = "7a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d"


def _state(tenant) -> dict:
    """Every grant of the tenant: status, scopes, revoked scopes, revocation time; and every app's status."""
    with use_tenant(tenant):
        grants = {(g.app.name, g.principal, g.permission_type): (g.status, sorted(g.scopes),
                                                                 sorted(g.revoked_scopes), g.last_revoked)
                  for g in Grant.objects.select_related("app")}
        apps = {a.name: (a.status, a.risk, tuple(a.flags)) for a in DiscoveredApp.objects.all()}
    return {"grants": grants, "apps": apps}


def _grant(tenant, app, principal, ptype="delegated") -> Grant:
    with use_tenant(tenant):
        return Grant.objects.get(app__name=app, principal=principal, permission_type=ptype)


def _app(tenant, name) -> DiscoveredApp:
    with use_tenant(tenant):
        return DiscoveredApp.objects.select_related("integration").get(name=name)


def test_coverage_of_each_listing():
    full = parse_files("entra", [str(p) for p in ENTRA]).coverage
    assert full.service_principals and full.delegated_all
    assert full.application_resources == {"Microsoft Graph"} and not full.incomplete
    only_sps = parse_files("entra", [str(LATER / "service_principals.json")]).coverage
    assert only_sps.service_principals and not only_sps.delegated_all and not only_sps.application_resources
    first_page = parse_files("entra", [str(LATER / "service_principals_first_page_only.json")])
    assert not first_page.coverage and first_page.coverage.incomplete == ["servicePrincipals"]
    assert any("lacks its last page" in w for w in first_page.warnings)
    empty = parse_files("entra", [str(LATER / "oauth2_permission_grants_empty.json")])
    assert empty.coverage.delegated_all and not empty.apps  # an empty listing still says "no grants"
    one_user = parse_files("entra", [str(LATER / "user_app_role_assignments.json")]).coverage
    assert not one_user


def test_newer_snapshot_revokes_grants_scopes_and_deleted_apps(tenant_a, importing):
    first = importing(tenant_a, "entra", ENTRA)
    assert first.run.revocations == 0 and first.run.revoked["apps"] == []
    report = importing(tenant_a, "entra", LATER_SNAPSHOT)
    run = report.run
    # Zoom's service principal was deleted: the app and its tenant-wide consent are revoked
    zoom = _app(tenant_a, "Zoom")
    assert zoom.status == "revoked" and zoom.risk == "low" and zoom.scopes == []
    assert _grant(tenant_a, "Zoom", "*").status == "revoked"
    assert _grant(tenant_a, "Zoom", "*").last_revoked == run.started
    assert [a.name for a in report.revoked_apps] == ["Zoom"]
    assert run.revoked["apps"] == [{"id": zoom.pk, "name": "Zoom"}]
    # MailSync: one user's grant gone, Mail.Send removed from the other's, its application permission gone
    assert _grant(tenant_a, "MailSync Helper", USER_2).status == "revoked"
    kept = _grant(tenant_a, "MailSync Helper", USER_1)
    assert kept.status == "active" and sorted(kept.scopes) == ["Mail.ReadWrite", "offline_access", "openid"]
    assert kept.revoked_scopes["Mail.Send"]["resource"] == "Microsoft Graph"
    assert kept.revoked_scopes["Mail.Send"]["revoked"].startswith(run.started.strftime("%Y-%m-%dT%H:%M"))
    assert _grant(tenant_a, "MailSync Helper", "*", "application").status == "revoked"
    mailsync = _app(tenant_a, "MailSync Helper")
    assert mailsync.status == "active" and mailsync.users_count == 1
    assert "application_permissions" not in mailsync.flags
    assert {s["scope"] for s in mailsync.scopes} == {"Mail.ReadWrite", "offline_access", "openid"}
    # HR-Sync keeps Directory.ReadWrite.All; User.Read.All was removed
    hr = _grant(tenant_a, "HR-Sync (Personio)", "*", "application")
    assert hr.status == "active" and list(hr.scopes) == ["Directory.ReadWrite.All"]
    assert list(hr.revoked_scopes) == ["User.Read.All"]
    # untouched: Adobe's tenant-wide consent
    assert _grant(tenant_a, "Adobe Acrobat Sign", "*").status == "active"
    entries = {(g["app"], g["principal"], g["type"]): (g["whole"], g["scopes"]) for g in run.revoked["grants"]}
    assert entries == {
        ("Zoom", "*", "delegated"): (True, ["Calendars.ReadWrite", "OnlineMeetings.ReadWrite", "User.Read"]),
        ("MailSync Helper", USER_2, "delegated"): (True, ["Mail.ReadWrite", "offline_access", "openid"]),
        ("MailSync Helper", USER_1, "delegated"): (False, ["Mail.Send"]),
        ("MailSync Helper", "*", "application"): (True, ["Mail.Read"]),
        ("HR-Sync (Personio)", "*", "application"): (False, ["User.Read.All"]),
    }
    assert run.revocations == 5 and run.revoked["grants_total"] == 5


def test_same_snapshot_again_changes_nothing_and_grants_come_back(tenant_a, importing):
    importing(tenant_a, "entra", ENTRA)
    importing(tenant_a, "entra", LATER_SNAPSHOT)
    before = _state(tenant_a)
    again = importing(tenant_a, "entra", LATER_SNAPSHOT)
    assert again.run.revocations == 0 and again.revoked_apps == [] and again.run.revoked["grants"] == []
    assert _state(tenant_a) == before
    # the original snapshot again: everything is granted again, the revoked scopes are cleared
    back = importing(tenant_a, "entra", ENTRA)
    assert back.run.revocations == 0
    assert _app(tenant_a, "Zoom").status == "active"
    assert _grant(tenant_a, "Zoom", "*").status == "active"
    assert _grant(tenant_a, "MailSync Helper", USER_2).status == "active"
    user_1 = _grant(tenant_a, "MailSync Helper", USER_1)
    assert "Mail.Send" in user_1.scopes and user_1.revoked_scopes == {}
    hr = _grant(tenant_a, "HR-Sync (Personio)", "*", "application")
    assert sorted(hr.scopes) == ["Directory.ReadWrite.All", "User.Read.All"] and hr.revoked_scopes == {}
    assert "application_permissions" in _app(tenant_a, "MailSync Helper").flags


def test_partial_imports_revoke_only_what_they_list(tenant_a, importing):
    importing(tenant_a, "entra", ENTRA)
    start = _state(tenant_a)
    # service principals only, all of them present: no grant is revoked
    report = importing(tenant_a, "entra", [FIXTURES / "entra_service_principals_page1.json",
                                           FIXTURES / "entra_service_principals_page2.json"])
    assert report.run.revocations == 0 and _state(tenant_a)["grants"] == start["grants"]
    # the first page of a paged listing alone (Zoom is on the missing page): nothing is revoked, a warning says why
    report = importing(tenant_a, "entra", [LATER / "service_principals_first_page_only.json"])
    assert report.run.revocations == 0 and _app(tenant_a, "Zoom").status == "active"
    assert any("lacks its last page" in w for w in report.run.warnings)
    # one user's assignments: not a snapshot of the tenant
    assert importing(tenant_a, "entra", [LATER / "user_app_role_assignments.json"]).run.revocations == 0
    # delegated grants only: the later grants listing revokes Zoom's and one MailSync user's, not app permissions
    report = importing(tenant_a, "entra", [LATER / "oauth2_permission_grants.json"])
    assert {(g["app"], g["principal"]) for g in report.run.revoked["grants"]} == {
        ("Zoom", "*"), ("MailSync Helper", USER_2), ("MailSync Helper", USER_1)}
    assert _grant(tenant_a, "MailSync Helper", "*", "application").status == "active"
    assert _grant(tenant_a, "HR-Sync (Personio)", "*", "application").status == "active"
    # Zoom's SP is still there, but nothing is granted any more: revoked
    assert _app(tenant_a, "Zoom").status == "revoked" and [a.name for a in report.revoked_apps] == ["Zoom"]
    # an empty grants listing: every delegated grant is gone; application permissions stay
    report = importing(tenant_a, "entra", [LATER / "oauth2_permission_grants_empty.json"])
    assert {g["app"] for g in report.run.revoked["grants"]} == {"Adobe Acrobat Sign", "MailSync Helper",
                                                                "00000000-dead-beef-0000-000000000000"}
    assert _app(tenant_a, "Adobe Acrobat Sign").status == "revoked"
    assert _app(tenant_a, "MailSync Helper").status == "active"  # its application permission remains
    assert _app(tenant_a, "HR-Sync (Personio)").status == "active"
    # service principals alone say nothing about grants: Adobe stays revoked, Zoom (deleted now) is revoked
    report = importing(tenant_a, "entra", [LATER / "service_principals.json"])
    assert _app(tenant_a, "Adobe Acrobat Sign").status == "revoked"
    assert _grant(tenant_a, "HR-Sync (Personio)", "*", "application").status == "active"
    assert report.revoked_apps == [] and report.run.revocations == 0  # Zoom had nothing left to revoke


def test_google_imports_never_revoke_entra_grants(tenant_a, importing):
    from tests.discovery.conftest import GOOGLE_DIRECTORY

    importing(tenant_a, "entra", ENTRA)
    start = _state(tenant_a)["grants"]
    importing(tenant_a, "google_directory", GOOGLE_DIRECTORY)
    assert {k: v for k, v in _state(tenant_a)["grants"].items() if k in start} == start


def test_other_tenant_is_untouched(tenant_a, tenant_b, importing):
    importing(tenant_a, "entra", ENTRA)
    importing(tenant_b, "entra", ENTRA)
    importing(tenant_b, "entra", LATER_SNAPSHOT)
    assert all(status == "active" for status, *_rest in _state(tenant_a)["grants"].values())
    assert _app(tenant_a, "Zoom").status == "active" and _app(tenant_b, "Zoom").status == "revoked"


def test_cli_reports_revocations_and_list_shows_status(tenant_a, assessor_a, capsys):
    from vendorvet.cli.main import main

    args = ["--tenant", "nordlicht", "--user", "arne.assessor"]
    assert main(["discover", "entra", *map(str, ENTRA), *args]) == 0
    capsys.readouterr()
    assert main(["discover", "entra", *map(str, LATER_SNAPSHOT), *args]) == 0
    out = capsys.readouterr().out
    assert "5 revocations" in out and "revoked since the last import:" in out
    assert "app     Zoom  [5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9] — nothing granted remains" in out
    assert f"scopes  MailSync Helper: {USER_1} (delegated) Mail.Send" in out
    assert "grant   MailSync Helper: all users (application) Mail.Read" in out
    assert main(["discover", "list", "--format", "json", *args]) == 0
    doc = json.loads(capsys.readouterr().out)
    status = {a["name"]: a["status"] for a in doc["apps"]}
    assert status["Zoom"] == "revoked" and status["MailSync Helper"] == "active"
    assert main(["discover", "list", "--revoked", *args]) == 0
    table = capsys.readouterr().out
    assert "Zoom" in table and "MailSync Helper" not in table and "1 apps" in table
    assert main(["discover", "entra", *map(str, LATER_SNAPSHOT), "--format", "json", *args]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["import"]["revocations"] == 0 and doc["revoked_apps"] == [] and doc["revoked_grants"] == []


def test_web_list_and_report_show_revocations(tenant_a, importing, login, assessor_a):
    importing(tenant_a, "entra", ENTRA)
    importing(tenant_a, "entra", LATER_SNAPSHOT)
    client = login(assessor_a)
    page = client.get("/discovery/").content.decode()
    assert "Revoked since the last import" in page
    section = page.split('id="revoked-since"', 1)[1].split("</section>", 1)[0]
    assert "Zoom" in section and "Mail.Send" in section and "User.Read.All" in section
    with use_tenant(tenant_a):
        run = ImportRun.objects.order_by("-started", "-pk").first()
    report = client.get(f"/discovery/imports/{run.pk}/").content.decode()
    assert "Revoked in this import" in report and "Zoom" in report
    zoom = _app(tenant_a, "Zoom")
    detail = client.get(f"/discovery/apps/{zoom.pk}/").content.decode()
    assert "Revoked" in detail
    client.cookies.load({"django_language": "de"})
    german = client.get("/discovery/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Seit dem letzten Import widerrufen" in german

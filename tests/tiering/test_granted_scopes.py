"""Granted OAuth scopes feed the criticality tier: the highest scope risk of an integration's discovered apps,
how those scopes were granted (application permission, all users, single users), named in the reason."""

from __future__ import annotations

import json

import pytest

from tests.discovery.conftest import accepting, importing  # noqa: F401  (fixtures)
from tests.web.conftest import login  # noqa: F401  (fixture)
from vendorvet.engine.discovery.scopes import GrantInput, assess, granted_access
from vendorvet.engine.tiering import apply_policy, compute_tier, facts_from


def _tier(risk, access="user", scopes=("Mail.Read",), **kwargs):
    return compute_tier(facts_from([], granted_scope_risk=risk, granted_access=access, granted_scopes=scopes),
                        **kwargs)


@pytest.mark.parametrize(("risk", "access", "tier", "rules"), [
    ("high", "application", 1, ["scopes.high.broad", "scopes.high"]),
    ("high", "tenant_wide", 1, ["scopes.high.broad", "scopes.high"]),
    ("high", "user", 2, ["scopes.high"]),
    ("medium", "tenant_wide", 3, ["scopes.medium"]),
    ("low", "application", 4, []),
    ("", "", 4, []),
])
def test_scope_rules(risk, access, tier, rules):
    result = _tier(risk, access)
    assert result.tier == tier and [r.rule_id for r in result.reasons] == rules


def test_reason_names_the_scopes_in_both_languages():
    result = _tier("high", "application", ("Mail.Read", "Directory.ReadWrite.All"))
    assert result.explain("en")[0] == ("granted high-risk OAuth permissions without a signed-in user or for all "
                                       "users: Mail.Read, Directory.ReadWrite.All → at least tier 1")
    assert result.explain("de")[1] == ("hochriskante OAuth-Berechtigungen freigegeben: Mail.Read, "
                                       "Directory.ReadWrite.All → mindestens Stufe 2")
    many = _tier("high", "user", tuple(f"S{i}" for i in range(8)))
    assert many.reasons[0].text["en"].endswith("S0, S1, S2, S3, S4 …")


def test_policy_can_lower_or_switch_off_scope_rules():
    rules = apply_policy({"rules": {"scopes.high.broad": {"tier": 2}, "scopes.medium": {"enabled": False}}})
    assert _tier("high", "application", rules=rules).tier == 2
    assert _tier("medium", "user", rules=rules).tier == 4


def test_granted_access_summary_from_scope_ratings():
    verdict = assess("microsoft", [
        GrantInput({"User.Read": "Microsoft Graph", "Mail.ReadWrite": "Microsoft Graph"}, "delegated", False),
        GrantInput({"Files.Read.All": "Microsoft Graph"}, "delegated", True),
    ], verified_publisher=True)
    summary = granted_access([s.as_dict() for s in verdict.scopes])
    assert summary.risk == "high" and summary.access == "tenant_wide"
    assert summary.scopes == ("Files.Read.All", "Mail.ReadWrite")  # tenant-wide first
    app_perm = assess("microsoft", [GrantInput({"Directory.Read.All": "Microsoft Graph"}, "application", True)])
    assert granted_access([s.as_dict() for s in app_perm.scopes]).access == "application"
    google = assess("google", [GrantInput({"https://www.googleapis.com/auth/drive": ""})])
    assert granted_access([s.as_dict() for s in google.scopes]).scopes == ("drive",)
    assert granted_access([]).risk == ""


@pytest.mark.django_db
def test_discovery_sets_the_factor_and_the_tier_follows(tenant_a, importing, accepting, as_tenant):  # noqa: F811
    from tests.discovery.conftest import ENTRA, FIXTURES
    from vendorvet.web.core.context import use_tenant
    from vendorvet.web.discovery.models import DiscoveredApp

    importing(tenant_a, "entra", ENTRA)
    accepting(tenant_a)  # proposals become integrations only when a person accepts them (issue 13)
    with use_tenant(tenant_a):
        apps = {a.name: a.integration for a in DiscoveredApp.objects.select_related("integration")}
    hr, mailsync, adobe = apps["HR-Sync (Personio)"], apps["MailSync Helper"], apps["Adobe Acrobat Sign"]
    assert (hr.granted_scope_risk, hr.granted_access, hr.granted_scopes) == (
        "high", "application", ["Directory.ReadWrite.All", "User.Read.All"])
    assert mailsync.granted_access == "application" and mailsync.granted_scopes[0] == "Mail.Read"
    assert mailsync.tier == 1
    with as_tenant(tenant_a):
        reasons = {r.rule_id: r.text["en"] for r in mailsync.tier_result().reasons}
    assert "Mail.Read" in reasons["scopes.high.broad"]
    assert adobe.granted_scope_risk == "high" and adobe.granted_access == "tenant_wide"
    # a later snapshot revokes MailSync's application permission: the factor and the tier follow
    later = FIXTURES / "entra_later"
    importing(tenant_a, "entra", [later / "oauth2_permission_grants.json", later / "graph_app_role_assigned_to.json",
                                  later / "service_principals.json"])
    with use_tenant(tenant_a):
        mailsync.refresh_from_db()
        zoom = DiscoveredApp.objects.get(name="Zoom").integration
    assert mailsync.granted_access == "user" and mailsync.granted_scopes == ["Mail.ReadWrite"]
    with as_tenant(tenant_a):
        assert "scopes.high.broad" not in {r.rule_id for r in mailsync.tier_result().reasons}
    assert zoom.granted_scope_risk == ""  # the app is gone: nothing granted any more


@pytest.mark.django_db
def test_person_edit_keeps_the_discovered_factor(tenant_a, importing, accepting, as_tenant):  # noqa: F811
    from tests.discovery.conftest import ENTRA
    from vendorvet.web.inventory import services
    from vendorvet.web.inventory.models import Integration

    importing(tenant_a, "entra", ENTRA)
    accepting(tenant_a)  # proposals become integrations only when a person accepts them (issue 13)
    with as_tenant(tenant_a, role="assessor"):
        hr = Integration.objects.get(name="Personio")
        hr.department = "HR"
        services.save_object(hr)
        hr.refresh_from_db()
    assert hr.granted_scope_risk == "high" and hr.tier == 1


@pytest.mark.django_db
def test_tier_command_page_and_review_show_the_scopes(tenant_a, importing, accepting, assessor_a, login, capsys):  # noqa: F811
    from tests.discovery.conftest import ENTRA
    from vendorvet.cli.main import main
    from vendorvet.web.assessments import services as assessment_services
    from vendorvet.web.core.context import use_tenant
    from vendorvet.web.discovery.models import DiscoveredApp
    from tests.conftest import acting

    importing(tenant_a, "entra", ENTRA)
    accepting(tenant_a)  # proposals become integrations only when a person accepts them (issue 13)
    with use_tenant(tenant_a):
        integration = DiscoveredApp.objects.get(name="MailSync Helper").integration
    args = ["--tenant", "nordlicht", "--user", "arne.assessor"]
    assert main(["tier", str(integration.pk), *args]) == 0
    out = capsys.readouterr().out
    assert "Tier 1" in out
    assert "granted high-risk OAuth permissions without a signed-in user or for all users: Mail.Read" in out
    assert main(["tier", str(integration.pk), "--format", "json", "--language", "de", *args]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert any(r["rule"] == "scopes.high" and "Mail.Read" in r["text"] for r in doc["reasons"])
    client = login(assessor_a)
    page = client.get(integration.get_absolute_url()).content.decode()
    assert "granted high-risk OAuth permissions" in page and "Mail.Read" in page
    # the review's point 3: the least-privilege requirement shows the granted scopes with their risk
    with acting(tenant_a, user=assessor_a):
        assessment = assessment_services.start_assessment(integration)
    detail = client.get(assessment.get_absolute_url()).content.decode()
    block = detail.split('data-requirement="auth.least_privilege"', 1)[1].split("</article>", 1)[0]
    assert "Granted scopes (discovery)" in block and "Mail.ReadWrite" in block and "High risk" in block
    other = detail.split('data-requirement="auth.oauth"', 1)[1].split("</article>", 1)[0]
    assert "Granted scopes (discovery)" not in other

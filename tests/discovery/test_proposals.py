"""Discovery feeds the inventory cleanly (issue 13): discovered apps are proposals outside the inventory, the
register, the tiers and monitoring until a person accepts them (or rejects them, with a reason); unnamed Entra
apps are labelled by publisher and id; granted scopes suggest data categories with their source named; admin
consent shows as "all users"; an unverified publisher with high-risk scopes is at least tier 2."""

from __future__ import annotations

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from tests.api.conftest import api_as  # noqa: F401  (fixture)
from tests.conftest import acting
from tests.discovery.conftest import ENTRA, GOOGLE_TOKENS
from vendorvet.engine.discovery.scopes import suggest_data
from vendorvet.engine.tiering import compute_tier, facts_from
from vendorvet.web.core.context import use_tenant
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.discovery import proposals
from vendorvet.web.discovery.models import DiscoveredApp
from vendorvet.web.inventory.models import Integration

GUID = "1234abcd-5678-4def-9012-3456789abcde"


def test_scopes_suggest_data_categories_with_their_source():
    mail = suggest_data("microsoft", ["Mail.Read", "openid", "offline_access"])
    assert mail.categories == ("personal",)
    assert mail.kinds[0]["kind"] == "mail" and mail.kinds[0]["communications"]
    assert mail.kinds[0]["label"] == {"en": "mail (communications)", "de": "E-Mails (Kommunikationsinhalte)"}
    assert "learn.microsoft.com/en-us/graph/permissions-reference" in mail.source["en"]
    assert "Art. 4 Nr. 1 DSGVO" in mail.source["de"] and "Art. 4(1)" in mail.source["en"]
    files = suggest_data("microsoft", ["Files.ReadWrite.All", "Calendars.Read", "Contacts.Read", "User.Read.All"])
    assert files.categories == ("internal", "personal")
    assert [k["kind"] for k in files.kinds] == ["files", "calendar", "contacts", "directory"]
    google = suggest_data("google", ["https://www.googleapis.com/auth/gmail.readonly",
                                     "https://www.googleapis.com/auth/chat.messages"])
    assert google.categories == ("personal",) and all(k["communications"] for k in google.kinds)
    assert suggest_data("microsoft", ["openid", "profile", "email"]).categories == ()
    assert suggest_data("microsoft", []).source == ""  # nothing suggested: no source claimed


def test_unverified_publisher_with_high_risk_scopes_is_at_least_tier_2():
    unverified = compute_tier(facts_from([], granted_scope_risk="high", granted_access="user",
                                         granted_scopes=("Mail.Read",), granted_publisher="unverified"))
    assert unverified.tier == 2
    reason = next(r for r in unverified.reasons if r.rule_id == "scopes.high.unverified_publisher")
    assert reason.tier == 2 and "Mail.Read" in reason.text["en"] and "nicht von Microsoft verifiziert" in reason.text["de"]
    verified = compute_tier(facts_from([], granted_scope_risk="high", granted_access="user",
                                       granted_scopes=("Mail.Read",), granted_publisher="verified"))
    assert "scopes.high.unverified_publisher" not in {r.rule_id for r in verified.reasons}
    medium = compute_tier(facts_from([], granted_scope_risk="medium", granted_publisher="unverified"))
    assert medium.tier == 3  # the rule is about high-risk scopes only


def test_unnamed_entra_app_is_labelled_by_publisher_and_id():
    from django.utils import translation

    app = DiscoveredApp(platform="microsoft", client_id=GUID, name=GUID, publisher="Contoso Ltd")
    nameless = DiscoveredApp(platform="microsoft", client_id=GUID, name="")
    with translation.override("en"):
        assert app.unnamed and app.label == "unnamed Entra app 1234abcd… by Contoso Ltd"
        assert GUID not in app.label
        assert nameless.label == "unnamed Entra app 1234abcd…, publisher unknown"
    with translation.override("de"):
        assert app.label == "unbenannte Entra-App 1234abcd… von Contoso Ltd"
    named = DiscoveredApp(platform="microsoft", client_id=GUID, name="Zoom", publisher="Zoom")
    assert not named.unnamed and named.label == "Zoom"
    assert proposals.suggested_names(app) == ("", "Contoso Ltd")  # the person must name it


@pytest.mark.django_db
def test_proposals_stay_outside_the_inventory_until_accepted(tenant_a, importing, assessor_a, login):
    importing(tenant_a, "entra", ENTRA)
    client = login(assessor_a)
    with use_tenant(tenant_a):
        assert not Integration.objects.exists()
        app = DiscoveredApp.objects.get(name="MailSync Helper")
    inventory = client.get(reverse("inventory:integration_list"))
    assert inventory.status_code == 200 and "MailSync Helper" not in inventory.content.decode()
    register = client.get("/legal/ropa/?lang=en&include=all").content.decode()
    assert "MailSync Helper" not in register
    listing = client.get("/discovery/").content.decode()
    assert "proposals wait for review" in listing and "Proposal – not reviewed" in listing
    detail = client.get(f"/discovery/apps/{app.pk}/").content.decode()
    assert "mail (communications)" in detail and "Suggested data categories:" in detail
    assert "learn.microsoft.com/en-us/graph/permissions-reference" in detail
    boxes = re.findall(r'<input type="checkbox" name="data_categories" value="(\w+)"[^>]*?( checked)?>', detail)
    assert [v for v, checked in boxes if checked] == ["personal"]  # the suggestion, pre-selected
    # accept: the integration carries the suggested categories, so the missing-AVV check fires
    response = client.post(f"/discovery/apps/{app.pk}/accept/", {
        "name": "MailSync Helper", "vendor": "MailSync Ltd", "data_categories": ["personal"]})
    assert response.status_code == 302
    with acting(tenant_a):
        app.refresh_from_db()
        integration = app.integration
        assert app.review_state == "accepted" and app.reviewed_by == "arne.assessor"
        assert integration.data_categories == ["personal"] and integration.status == "proposed"
        assert integration.tags == [] and integration.granted_publisher == "unverified"
        reasons = {r.rule_id for r in integration.tier_result().reasons}
        assert "scopes.high.unverified_publisher" in reasons and integration.tier <= 2
        from vendorvet.web.legal.calendar import missing_dpa

        found = missing_dpa(timezone.localdate(), timezone.localdate().isoformat(), timezone.now())
        mine = [r for r in found if r.event.integration_id == integration.pk]
        assert len(mine) == 1 and mine[0].event.kind == "dpa_missing"
        app_ct = ContentType.objects.get_for_model(DiscoveredApp)
        change = ObjectChange.objects.filter(changed_object_type=app_ct, changed_object_id=app.pk,
                                             action="update").latest("pk")
        assert change.postchange_data["review_state"] == "accepted"
        assert ObjectChange.objects.filter(changed_object_id=integration.pk, action="create",
                                           changed_object_type=ContentType.objects.get_for_model(Integration)).exists()
    again = client.post(f"/discovery/apps/{app.pk}/accept/", {"name": "X", "vendor": "Y"})
    assert again.status_code == 400 and "already accepted" in again.content.decode()
    # the register lists it once accepted (a personal-data processing without legal basis: a gap)
    register = client.get("/legal/ropa/?lang=en").content.decode()
    assert "MailSync Helper" in register


@pytest.mark.django_db
def test_reject_hides_with_reason_and_history(tenant_a, importing, assessor_a, login):
    importing(tenant_a, "google_tokens", GOOGLE_TOKENS)
    client = login(assessor_a)
    with use_tenant(tenant_a):
        app = DiscoveredApp.objects.get(name="Calendly")
    empty = client.post(f"/discovery/apps/{app.pk}/reject/", {"reason": "  "})
    assert empty.status_code == 400
    with use_tenant(tenant_a):
        app.refresh_from_db()
        assert app.review_state == "pending"
    response = client.post(f"/discovery/apps/{app.pk}/reject/", {"reason": "Private use, blocked in Workspace"})
    assert response.status_code == 302
    with use_tenant(tenant_a):
        app.refresh_from_db()
        assert app.review_state == "rejected" and app.review_reason == "Private use, blocked in Workspace"
        change = ObjectChange.objects.filter(changed_object_type=ContentType.objects.get_for_model(DiscoveredApp),
                                             changed_object_id=app.pk, action="update").latest("pk")
        assert change.postchange_data["review_reason"] == "Private use, blocked in Workspace"
        assert not Integration.objects.exists()
    def table(html):  # the apps table (the revocation report above it still names what was revoked)
        return html.split('class="filters"')[1].split("</table>")[0]

    listing = client.get("/discovery/").content.decode()
    assert ">Calendly<" not in table(listing) and ">Zoom for Google Workspace<" in table(listing)
    assert ">Calendly<" not in listing.split("New since the last import")[1].split("</section>")[0]
    rejected = client.get("/discovery/?review=rejected").content.decode()
    assert ">Calendly<" in table(rejected)
    # a later import does not bring it back as a proposal or link it
    importing(tenant_a, "google_tokens", GOOGLE_TOKENS)
    with use_tenant(tenant_a):
        app.refresh_from_db()
        assert app.review_state == "rejected" and app.integration_id is None


@pytest.mark.django_db
def test_admin_consent_shows_all_users(tenant_a, importing, assessor_a, login):
    importing(tenant_a, "entra", ENTRA)
    client = login(assessor_a)
    with use_tenant(tenant_a):
        adobe = DiscoveredApp.objects.get(name="Adobe Acrobat Sign")
    assert adobe.tenant_wide
    detail = client.get(f"/discovery/apps/{adobe.pk}/").content.decode()
    users_row = detail.split("<th>Users</th>")[1].split("</tr>")[0]
    assert "all users" in users_row
    listing = client.get("/discovery/").content.decode()
    row = listing.rsplit(f'href="/discovery/apps/{adobe.pk}/"', 1)[1].split("</tr>")[0]  # the table row
    assert "all users" in row


@pytest.mark.django_db
def test_unnamed_entra_apps_from_an_export_without_service_principals(tenant_a, importing, assessor_a, login):
    importing(tenant_a, "entra", ENTRA[:2])  # grants only: no names, no publishers
    client = login(assessor_a)
    with use_tenant(tenant_a):
        apps = list(DiscoveredApp.objects.all())
    unnamed = [a for a in apps if a.unnamed]
    assert unnamed
    listing = client.get("/discovery/").content.decode()
    for a in unnamed:
        assert a.label.startswith("unnamed Entra app ") and a.label in listing
    detail = client.get(f"/discovery/apps/{unnamed[0].pk}/").content.decode()
    assert "rename it when accepting" in detail


@pytest.mark.django_db
def test_api_accept_and_reject(tenant_a, importing, assessor_a, auditor_a, api_as):  # noqa: F811
    importing(tenant_a, "entra", ENTRA)
    with use_tenant(tenant_a):
        zoom = DiscoveredApp.objects.get(name="Zoom")
        adobe = DiscoveredApp.objects.get(name="Adobe Acrobat Sign")
    auditor = api_as(tenant_a, auditor_a)
    assert auditor.post(f"/api/discovery/apps/{zoom.pk}/accept/", {"name": "Zoom", "vendor": "Zoom"},
                        format="json").status_code == 403
    doc = auditor.get(f"/api/discovery/apps/{zoom.pk}/").json()
    assert doc["review_state"] == "pending" and "personal" in doc["suggested_data"]["categories"]
    client = api_as(tenant_a, assessor_a)
    created = client.post(f"/api/discovery/apps/{zoom.pk}/accept/", {"name": "Zoom", "vendor": "Zoom Video"},
                          format="json")
    assert created.status_code == 201, created.content
    assert "personal" in created.json()["data_categories"]  # suggested when not given
    assert client.post(f"/api/discovery/apps/{adobe.pk}/reject/", {}, format="json").status_code == 400
    rejected = client.post(f"/api/discovery/apps/{adobe.pk}/reject/", {"reason": "duplicate of DocuSign"},
                           format="json")
    assert rejected.status_code == 200 and rejected.json()["review_state"] == "rejected"
    pending = client.get("/api/discovery/apps/?review_state=pending").json()
    items = pending["results"] if isinstance(pending, dict) else pending
    assert {a["name"] for a in items}.isdisjoint({"Zoom", "Adobe Acrobat Sign"})


@pytest.mark.django_db
def test_proposal_page_in_german(tenant_a, importing, assessor_a, login):
    importing(tenant_a, "entra", ENTRA)
    client = login(assessor_a, HTTP_ACCEPT_LANGUAGE="de")
    client.cookies.load({"django_language": "de"})
    with use_tenant(tenant_a):
        app = DiscoveredApp.objects.get(name="MailSync Helper")
        adobe = DiscoveredApp.objects.get(name="Adobe Acrobat Sign")
    detail = client.get(f"/discovery/apps/{app.pk}/").content.decode()
    assert "Vorschlag für das Inventar" in detail and "E-Mails (Kommunikationsinhalte)" in detail
    assert "Ins Inventar übernehmen" in detail and "Vorgeschlagene Datenkategorien:" in detail
    assert "alle Nutzer" in client.get(f"/discovery/apps/{adobe.pk}/").content.decode()
    listing = client.get("/discovery/").content.decode()
    assert "Vorschläge warten auf Prüfung" in listing and "Vorschlag – nicht geprüft" in listing

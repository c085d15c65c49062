"""The demo: loader idempotence and content, ``vendorvet demo`` and ``vendorvet serve`` as a user runs them."""

from __future__ import annotations

import re
import shlex
import sqlite3
import stat
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from vendorvet.web.accounts.models import Membership, Tenant
from vendorvet.web.core.context import use_tenant
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.demo import DEMO_ACTOR_LABEL, grant_demo_admin, load_demo
from vendorvet.web.inventory.models import Contact, Endpoint, Integration, Vendor

from tests.cli.test_ops import clean_subprocess_env, running_server, with_migrated
from tests.support.module_data import loaded_for_module

COUNTED = (Tenant.objects, Vendor.all_tenants, Contact.all_tenants, Integration.all_tenants,
           Endpoint.all_tenants, Membership.all_tenants, ObjectChange.all_tenants)


def counts() -> list[int]:
    return [manager.count() for manager in COUNTED]


@pytest.fixture(scope="module")
def first_load(request, django_db_setup, django_db_blocker):
    """The demo loaded once for the module's database tests — [(slug, created)] of that first load — and restored
    for each test by a savepoint rollback (tests/support/module_data.py); each test loaded it itself before."""
    with loaded_for_module(request, django_db_blocker,
                           lambda: [(t.slug, created) for t, created in load_demo()]) as loaded:
        yield loaded


@pytest.mark.django_db
def test_demo_loader_is_idempotent(first_load):
    assert first_load == [("nordlicht", True), ("hafenblick", True), ("elbufer", True)]
    after_first = counts()
    history = ObjectChange.all_tenants.count()

    first = load_demo()  # the loaded demo again: nothing is created
    assert [(t.slug, created) for t, created in first] == [("nordlicht", False), ("hafenblick", False),
                                                           ("elbufer", False)]
    second = load_demo()
    assert [(t.slug, created) for t, created in second] == [("nordlicht", False), ("hafenblick", False),
                                                            ("elbufer", False)]
    assert [t.pk for t, _ in second] == [t.pk for t, _ in first]
    assert counts() == after_first
    assert ObjectChange.all_tenants.count() == history


@pytest.mark.django_db
def test_demo_content_spans_tiers_statuses_and_tenants(first_load):
    nordlicht, hafenblick, elbufer = (tenant for tenant, _ in load_demo())
    assert nordlicht.name == "Nordlicht Maschinenbau GmbH"
    assert hafenblick.name == "Hafenblick Logistik AG"
    with use_tenant(nordlicht):
        integrations = list(Integration.objects.select_related("vendor"))
        assert 14 <= len(integrations) <= 18
        assert {i.tier for i in integrations} == {1, 2, 3, 4}
        assert len({i.status for i in integrations}) >= 5
        assert {i.kind for i in integrations} >= {"saas", "api", "agent", "oauth_app"}
        by_name = {i.name: i for i in integrations}
        m365 = by_name["Microsoft 365 (Exchange Online, Teams, SharePoint)"]
        assert (m365.vendor.name, m365.vendor.country, m365.tier) == ("Microsoft Ireland Operations Ltd", "IE", 1)
        personio = by_name["Personio HR"]
        assert "special_category" in personio.data_categories and personio.vendor.country == "DE"
        shadow = [i for i in integrations if i.discovery_source == "oauth_grant"]
        # the hand-made shadow-IT app; the one the demo's Entra discovery import finds (MailSync Helper) stays a
        # proposal outside the inventory until someone accepts it (issue 13, checked below)
        assert {i.name for i in shadow} == {"QuickPDF Sign (Outlook add-in)"}
        assert {i.status for i in shadow} == {"proposed"}
        assert Endpoint.objects.filter(integration=by_name["Stripe Payments"]).exists()
        assert Contact.objects.exists()
        updates = ObjectChange.objects.filter(action="update")
        assert updates.count() >= 5
        assert set(updates.values_list("actor_label", flat=True)) == {DEMO_ACTOR_LABEL}
        from django.contrib.contenttypes.models import ContentType

        personio_change = updates.get(changed_object_id=personio.pk,
                                      changed_object_type=ContentType.objects.get_for_model(Integration))
        assert personio_change.prechange_data["status"] == "in_review"
        assert personio_change.postchange_data["status"] == "approved_with_conditions"
    with use_tenant(hafenblick):
        assert Integration.objects.count() == 3
        assert not Integration.objects.filter(pk=m365.pk).exists()
    assert elbufer.name == "Elbufer Finanz AG"
    with use_tenant(elbufer):  # the financial entity: its DORA register is complete (tests/dora for the details)
        from vendorvet.web.dora import services as dora

        assembly = dora.assemble()
        assert assembly is not None and Integration.objects.count() == 4
        assert dora.completeness(assembly)[0] == []
    with use_tenant(nordlicht):
        from vendorvet.web.dora import services as dora

        assert dora.assemble() is None  # not a financial entity: no register


@pytest.mark.django_db
def test_demo_admin_is_granted_once_in_both_tenants(first_load):
    tenants = [tenant for tenant, _ in load_demo()]
    user = get_user_model().objects.create_user("admin", password="Z9-demo-password-not-used")
    assert grant_demo_admin(user, tenants) is True
    history = ObjectChange.all_tenants.count()
    assert grant_demo_admin(user, tenants) is False
    assert ObjectChange.all_tenants.count() == history
    assert sorted(Membership.all_tenants.filter(user=user).values_list("tenant__slug", "role")) == [
        ("elbufer", "admin"), ("hafenblick", "admin"), ("nordlicht", "admin")]


# -- as a user runs it ---------------------------------------------------------------------------
clean_env = clean_subprocess_env


def vendorvet(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vendorvet.cli.main", *args], env=env, capture_output=True,
                          text=True, timeout=180, stdin=subprocess.DEVNULL)


def table_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"select count(*) from {t}").fetchone()[0]  # noqa: S608 - fixed names
                for t in ("accounts_tenant", "inventory_integration", "core_objectchange", "auth_user")}


def test_demo_command_prints_the_same_login_twice(tmp_path):
    env = clean_env(tmp_path)
    first = vendorvet("demo", "--no-serve", "--port", "8123", env=env)
    assert first.returncode == 0, first.stderr
    assert "not a production" in first.stderr
    assert "URL:      http://127.0.0.1:8123/" in first.stdout
    assert "Username: admin" in first.stdout
    # the printed way to start the server works as written (no bare "vendorvet" that is not on the PATH)
    hint = re.search(r"Start the server with: (.+) demo --port 8123", first.stdout).group(1)
    started = subprocess.run([*shlex.split(hint), "demo", "--help"], env=env, capture_output=True, text=True,
                             timeout=120, stdin=subprocess.DEVNULL)
    assert started.returncode == 0 and "--no-serve" in started.stdout, (hint, started.stderr)
    password = re.search(r"Password: (\S+)", first.stdout).group(1)
    assert len(password) >= 20
    login_file = tmp_path / "demo-login.txt"
    assert stat.S_IMODE(login_file.stat().st_mode) == 0o600
    assert password in login_file.read_text()
    before = table_counts(tmp_path / "vendorvet.sqlite3")
    assert before["accounts_tenant"] == 3 and 20 <= before["inventory_integration"] <= 24  # + Elbufer Finanz AG

    second = vendorvet("demo", "--no-serve", env=env)
    assert second.returncode == 0, second.stderr
    assert re.search(r"Password: (\S+)", second.stdout).group(1) == password
    assert "Reusing demo tenant Nordlicht Maschinenbau GmbH" in second.stdout
    assert table_counts(tmp_path / "vendorvet.sqlite3") == before


def fetch(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - local test server
        return response.status, response.headers.get("Content-Type", ""), response.read()


def test_serve_answers_the_login_page_with_its_css_and_js(tmp_path, migrated_database):
    env = clean_env(tmp_path)
    with_migrated(migrated_database, tmp_path)
    with running_server(env) as port:
        base = f"http://127.0.0.1:{port}"
        status, ctype, body = fetch(f"{base}/accounts/login/")
        assert status == 200 and ctype.startswith("text/html")
        page = body.decode()
        assert 'name="password"' in page
        css = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', page)
        js = re.findall(r'<script[^>]+src="([^"]+)"', page)
        assert css and js
        for href in css:
            status, ctype, body = fetch(base + href)
            assert status == 200 and ctype.startswith("text/css") and len(body) > 100, href
        for src in js:
            status, ctype, body = fetch(base + src)
            assert status == 200 and "javascript" in ctype and len(body) > 20, src


@pytest.mark.django_db
def test_demo_shows_the_whole_process_not_only_an_inventory(first_load):
    """A decided review with a condition, one in progress, an expiring certificate, two transfer checks."""
    from vendorvet.web.assessments.models import Assessment, Certification
    from vendorvet.web.demo import load_demo
    from vendorvet.web.legal.models import TransferAssessment

    (nordlicht, _created), *_ = load_demo()
    assert first_load[0] == ("nordlicht", True)  # as loaded fresh
    with use_tenant(nordlicht):
        decided = Assessment.objects.get(integration__name="GitHub Enterprise Cloud")
        assert decided.status == "decided" and decided.decision.outcome == "approve_with_conditions"
        assert decided.decision.conditions.count() == 1
        assert Assessment.objects.get(integration__name="HubSpot Marketing Hub").status != "decided"
        soon = Certification.objects.get(certificate_number="DEMO-ISO-0002")
        assert (soon.valid_until - timezone.localdate()).days <= 60
        bases = dict(TransferAssessment.objects.values_list("integration__name", "basis"))
        assert bases == {"Salesforce Sales Cloud": "dpf", "HubSpot Marketing Hub": "scc"}
        from vendorvet.web.monitoring.models import AlertDelivery, MonitoringEvent, MonitoringSettings

        kinds = set(MonitoringEvent.objects.values_list("kind", flat=True))
        assert {"vendor_cert_expiring", "dpa_missing"} <= kinds
        # a demo never starts scanning real vendors on its own, and sends no e-mail without a mail server
        assert MonitoringSettings.objects.get().enabled is False
        assert not AlertDelivery.objects.exists()


@pytest.mark.django_db
def test_the_loaded_demo_is_consistent(first_load):
    """Issue 13: every approved demo integration has a decided review; alert rules that need a mail server start
    disabled; the discovery and SBOM examples the demo promises are there."""
    from vendorvet.web.assessments.models import Decision
    from vendorvet.web.discovery.models import DiscoveredApp
    from vendorvet.web.monitoring.models import AlertRule
    from vendorvet.web.supplychain.models import SbomComponent, SbomVersion

    tenants = [tenant for tenant, _ in load_demo()]
    for tenant in tenants:
        with use_tenant(tenant):
            approved = Integration.objects.filter(status__in=["approved", "approved_with_conditions"])
            assert approved.exists()
            for integration in approved:
                decision = Decision.objects.filter(assessment__integration=integration).order_by("-pk").first()
                assert decision is not None, f"{tenant.slug}: {integration} is approved without a decided review"
                assert decision.outcome.startswith("approve") and \
                    (decision.outcome == "approve_with_conditions") == (integration.status == "approved_with_conditions")
            rules = list(AlertRule.objects.all())
            assert rules and not [r.name for r in rules if r.channel == "email" and r.enabled]
    nordlicht = tenants[0]
    with use_tenant(nordlicht):
        mailsync = DiscoveredApp.objects.get(name="MailSync Helper")  # unverified publisher, reads and sends mail
        assert mailsync.integration_id is None  # a proposal, not yet in the inventory
        assert mailsync.verified_publisher is False and "unverified_publisher" in mailsync.flags
        assert mailsync.risk in ("high", "critical")
        sbom = SbomVersion.objects.get(integration__name="Veeam Backup & Replication agent")
        assert SbomComponent.objects.filter(sbom=sbom, name="log4j-core", version="2.14.1").exists()

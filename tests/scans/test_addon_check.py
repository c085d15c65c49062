"""Adding a scan check is one module: a test-only check package (tests/fixtures/checks_addon), registered
through the registry's add-on mechanism, appears in the engine's grade, the CLI (check list and scan output),
the API's check catalogue and schema, and the web's check page — with no other file naming it, and in English
where it has no German text."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.api.conftest import api_as  # noqa: F401  (fixture)
from tests.web.conftest import assert_csp_clean, login  # noqa: F401  (fixture)
from vendorvet.cli.main import main
from vendorvet.engine import registry

ADDON = "tests.fixtures.checks_addon"
TITLE = "Canary add-on check"
RISK = "A canary risk text that only the test-only add-on check states."


@pytest.fixture
def addon(monkeypatch):
    monkeypatch.setenv(registry.PACKAGES_ENV, ADDON)
    registry.all_checks.cache_clear()
    yield registry.all_checks()["canary.address"]
    monkeypatch.delenv(registry.PACKAGES_ENV)
    registry.all_checks.cache_clear()


def test_without_the_addon_the_check_is_unknown():
    registry.all_checks.cache_clear()
    assert "canary.address" not in registry.all_checks()


def test_the_engine_runs_it_and_scoring_applies_its_cap(addon):
    from dataclasses import replace

    from tests.engine.test_tls_verdicts import SAFE, grade
    from vendorvet.engine.facts import AddressLocation, LocationFacts, ScanFacts
    from vendorvet.engine.models import Attempt, TargetResult, parse_target
    from vendorvet.engine.runner import evaluate
    from vendorvet.engine.scoring import grade_target

    assert addon.severity.value == "medium" and addon.requires == ("location",)
    assert grade(SAFE).grade == "A"  # the built-in TLS checks alone
    location = Attempt.success(LocationFacts((AddressLocation("203.0.113.10", "DE"),), "test"))
    facts = ScanFacts(target=parse_target("api.vendor.example"), tls=Attempt.success(SAFE), location=location,
                      now=SAFE.checked_at)
    result = TargetResult(target=facts.target, findings=evaluate(facts, registry.select(["tls", "canary"])))
    grade_target(result, replace(facts))
    assert result.grade == "C"
    assert any(d.cap == "C" and "canary" in d.reason for d in result.deductions)


def test_the_cli_lists_and_runs_it(addon, capsys):
    assert main(["scan", "--list-checks"]) == 0
    table = capsys.readouterr().out
    assert "canary.address" in table and TITLE in table and "tls.cipher.weak" in table
    assert main(["scan", "--list-checks", "--format", "json", "--checks", "canary"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["id"] == "canary.address" and row["risk"] == RISK and row["requires"] == ["location"]

    code = main(["scan", "127.0.0.1", "--allow-private", "--checks", "canary", "--format", "json"])
    out = capsys.readouterr().out
    assert code == 0, out
    [target] = json.loads(out)["targets"]
    [finding] = target["findings"]
    assert finding["check_id"] == "canary.address" and finding["status"] == "warn"
    assert finding["title"] == TITLE and finding["evidence"]["addresses"] == ["127.0.0.1"]


@pytest.mark.django_db
def test_the_api_catalogue_and_schema_show_it(addon, api_as, tenant_a, auditor_a):
    api = api_as(tenant_a, auditor_a)
    response = api.get("/api/scan-checks/")
    assert response.status_code == 200, response.content
    rows = {r["id"]: r for r in response.json()}
    assert rows["canary.address"] == {"id": "canary.address", "kind": "scan", "severity": "medium", "title": TITLE,
                                      "risk": RISK, "remediation": addon.remediation,
                                      "sources": ["vendorvet test suite"]}
    assert rows["openapi.auth.none"]["kind"] == "openapi" and rows["openapi.auth.none"]["risk"]
    only_audit = api.get("/api/scan-checks/?kind=openapi").json()
    assert only_audit and {r["kind"] for r in only_audit} == {"openapi"}
    schema = api.get("/api/schema/", {"format": "json"}).json()
    assert "/api/scan-checks/" in schema["paths"]
    from rest_framework.test import APIClient

    assert APIClient().get("/api/scan-checks/").status_code in (401, 403)  # guarded like every API route


@pytest.mark.django_db
def test_the_check_page_shows_it_in_english_without_a_german_text(addon, login, auditor_a):
    english = login(auditor_a, HTTP_ACCEPT_LANGUAGE="en").get(reverse("scans:check_list"))
    assert english.status_code == 200
    page = english.content.decode()
    assert_csp_clean(page)
    assert TITLE in page and RISK in page and "No TLS compression (CRIME)" in page
    assert "canary.address" not in page  # no ids on web pages
    german = login(auditor_a, HTTP_ACCEPT_LANGUAGE="de").get(reverse("scans:check_list")).content.decode()
    from django.test import Client

    assert Client().get(reverse("scans:check_list")).status_code == 302  # anonymous: to the sign-in page
    assert TITLE in german and "Keine TLS-Komprimierung (CRIME)" in german and "Prüfungen" in german

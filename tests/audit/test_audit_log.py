"""The security audit log: what it records, its hash chain (verify, tamper, prune, export) and who may read it."""

from __future__ import annotations

import json
import os
import re
import stat
import threading
from datetime import timedelta

import httpx
import pytest
from django.db import connection, connections
from django.test import Client

from tests.conftest import PASSWORD, acting
from vendorvet.cli.main import main as cli
from vendorvet.web.audit import chain
from vendorvet.web.audit.models import AuditEvent, ChainHead
from vendorvet.web.core.security import audit

pytestmark = pytest.mark.django_db


def kinds() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("kind", flat=True))


def login(user) -> Client:
    client = Client(HTTP_USER_AGENT="pytest-agent/1.0")
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def test_logins_failed_logins_logouts_are_recorded_without_the_password(tenant_a, admin_a):
    client = Client(HTTP_USER_AGENT="pytest-agent/1.0")
    client.post("/accounts/login/", {"username": admin_a.username, "password": "wrong-password-123"})
    client.post("/accounts/login/", {"username": "nobody-here", "password": "also-wrong-password"})
    client.post("/accounts/login/", {"username": admin_a.username, "password": PASSWORD})
    client.post("/accounts/logout/")
    events = list(AuditEvent.objects.filter(kind__startswith="log").order_by("seq"))
    assert [e.kind for e in events] == ["login.failed", "login.failed", "login", "logout"]
    failed_known, failed_unknown, ok, out = events
    assert failed_known.user_id == admin_a.pk and failed_known.details == {"username": admin_a.username}
    assert failed_unknown.user_id is None and failed_unknown.details == {"username": "nobody-here"}
    assert ok.username == admin_a.username and ok.ip == "127.0.0.1" and ok.user_agent == "pytest-agent/1.0"
    assert out.user_id == admin_a.pk
    everything = "".join(AuditEvent.objects.values_list("details_json", flat=True))
    assert "wrong-password" not in everything and PASSWORD not in everything
    assert chain.verify().ok


def test_role_membership_token_and_settings_changes_are_recorded(tenant_a, admin_a, member):
    carla = member(tenant_a, "carla.change", "auditor")
    client = login(admin_a)
    from vendorvet.web.accounts.models import Membership

    membership = Membership.all_tenants.get(user=carla)
    assert client.post(f"/accounts/members/{membership.pk}/role/", {"role": "assessor"}).status_code == 302
    client.post("/accounts/tokens/", {"name": "CI export", "days": "30"})
    from vendorvet.web.accounts.models import APIToken

    token = APIToken.all_tenants.get(name="CI export")
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    client.post(f"/accounts/members/{membership.pk}/remove/")
    from vendorvet.web.monitoring.models import MonitoringSettings

    with acting(tenant_a, admin_a):
        settings_row = MonitoringSettings.objects.create()
        settings_row.enabled = not settings_row.enabled
        settings_row.save()
    got = {e.kind: e for e in AuditEvent.objects.order_by("seq")}
    assert got["membership.added"].details == {"member": "carla.change", "role": "auditor",
                                               "membership_id": membership.pk}
    role = got["role.changed"]
    assert role.details["from_role"] == "auditor" and role.details["to_role"] == "assessor"
    assert role.tenant_id == tenant_a.pk and role.username == admin_a.username and role.actor_kind == "user"
    assert role.ip == "127.0.0.1" and role.user_agent == "pytest-agent/1.0"
    assert got["token.created"].details["token_name"] == "CI export" and "key_hash" not in got["token.created"].details_json
    assert got["token.revoked"].details["token_id"] == token.pk
    assert got["membership.removed"].details["role"] == "assessor"
    changed = AuditEvent.objects.filter(kind="settings.changed").order_by("seq").last()
    assert changed.details["setting"] == "monitoring.monitoringsettings" and changed.details["fields"] == ["enabled"]
    assert chain.verify().ok


def test_exports_downloads_and_token_use_with_throttle(tenant_a, admin_a, make_integration):
    make_integration(tenant_a, name="Acme CRM")
    client = login(admin_a)
    assert client.get("/integrations/export.csv").status_code == 200
    ev = AuditEvent.objects.get(kind="export.inventory")
    assert ev.details["format"] == "csv" and ev.tenant_id == tenant_a.pk and ev.username == admin_a.username
    from vendorvet.web.accounts.models import APIToken

    with acting(tenant_a, admin_a):
        token, key = APIToken.issue(admin_a, "script")
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    for _ in range(3):
        assert api.get("/api/integrations/").status_code == 200
        APIToken.all_tenants.filter(pk=token.pk).update(last_used=None)  # each request would now record a use
    used = AuditEvent.objects.filter(kind="token.used")
    assert used.count() == 1, "a token's use is recorded at most once an hour"
    assert used.get().details == {"token_id": token.pk} and used.get().actor_kind == "token"
    # another token is a separate subject
    with acting(tenant_a, admin_a):
        _other, other_key = APIToken.issue(admin_a, "script 2")
    Client(HTTP_AUTHORIZATION=f"Token {other_key}").get("/api/integrations/")
    assert AuditEvent.objects.filter(kind="token.used").count() == 2


def test_emitter_drops_secret_looking_details(tenant_a, admin_a):
    with acting(tenant_a, admin_a):
        audit("settings.changed", setting="x", password="hunter2", webhook_url="https://hooks.example/abc",
              client_secret="s3cr3t", fields=["a"])
    ev = AuditEvent.objects.get(kind="settings.changed")
    assert ev.details == {"setting": "x", "fields": ["a"]}
    assert ev.tenant_id == tenant_a.pk and ev.username == admin_a.username


def _some_events(n=5):
    for i in range(n):
        audit("export.inventory", format="csv", number=i)


def test_tampering_with_one_row_is_detected_and_named(capsys):
    _some_events(5)
    assert chain.verify().ok and cli(["audit", "verify"]) == 0
    assert "5 events verified" in capsys.readouterr().out
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET details_json = %s WHERE seq = 3", ['{"format":"xlsx","number":2}'])
    result = chain.verify()
    assert not result.ok and result.broken_seq == 3 and "changed after it was written" in result.reason
    assert cli(["audit", "verify"]) == 1
    assert "BROKEN at row 3" in capsys.readouterr().err


def test_a_forged_row_with_a_recomputed_hash_breaks_the_next_link():
    _some_events(4)
    forged = AuditEvent.objects.get(seq=2)
    forged.username = "someone-else"
    forged.hash = forged.compute_hash()
    AuditEvent.objects.filter(pk=forged.pk).update(username=forged.username, hash=forged.hash)
    result = chain.verify()
    assert not result.ok and result.broken_seq == 3 and "does not point to the row before it" in result.reason


def test_removed_rows_in_the_middle_and_at_the_end_are_detected():
    _some_events(5)
    AuditEvent.objects.filter(seq=5).delete()
    result = chain.verify()
    assert not result.ok and "head says 5" in result.reason
    AuditEvent.objects.filter(seq=2).delete()
    result = chain.verify()
    assert not result.ok and result.broken_seq == 2 and "missing" in result.reason


def test_prune_keeps_the_chain_verifiable(capsys):
    _some_events(5)
    third = AuditEvent.objects.get(seq=3)
    removed = chain.prune(days=1, now=third.time + timedelta(days=1, microseconds=1))
    assert removed == 3
    head = ChainHead.objects.get()
    assert (head.anchor_seq, head.anchor_hash) == (3, third.hash)
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [4, 5]
    _some_events(1)
    result = chain.verify()
    assert result.ok and result.checked == 3
    assert cli(["audit", "prune", "--days", "400"]) == 0 and "0 events" in capsys.readouterr().out
    # moving the anchor back does not hide a re-inserted old row
    ChainHead.objects.update(anchor_seq=2)
    assert not chain.verify().ok


def test_export_jsonl_for_a_siem(tmp_path, tenant_a, admin_a, capsys):
    with acting(tenant_a, admin_a):
        _some_events(3)
    audit("login.failed", username="x")
    out = tmp_path / "audit.jsonl"
    assert cli(["audit", "export", "--format", "jsonl", "--since", "2000-01-01", "-o", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line["kind"] != "user.created" and not line["kind"].startswith("member")]
    assert [line["kind"] for line in lines] == ["export.inventory"] * 3 + ["login.failed"]
    assert lines[0]["details"] == {"format": "csv", "number": 0} and lines[0]["username"] == admin_a.username
    assert lines[1]["prev_hash"] == lines[0]["hash"] and lines[1]["seq"] == lines[0]["seq"] + 1
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert cli(["audit", "export", "--since", "2999-01-01"]) == 0 and capsys.readouterr().out == ""
    assert cli(["audit", "export", "--tenant", tenant_a.slug]) == 0
    exported = [json.loads(line)["kind"] for line in capsys.readouterr().out.splitlines()]
    assert exported.count("export.inventory") == 3 and "login.failed" not in exported
    assert cli(["audit", "export", "--since", "yesterday"]) == 2


def cells(response) -> str:
    """The event names in the table (not in the filter's options)."""
    return " ".join(re.findall(r'<td class="primary">([^<]+)</td>', response.content.decode()))


def test_who_reads_the_log(tenant_a, tenant_b, admin_a, admin_b, assessor_a, auditor_a, django_user_model):
    with acting(tenant_a, admin_a):
        audit("export.inventory", format="csv")
    with acting(tenant_b, admin_b):
        audit("export.ropa", format="xlsx")
    Client().post("/accounts/login/", {"username": admin_b.username, "password": "nope-nope-nope"})
    page_a = login(admin_a).get("/audit/")
    assert page_a.status_code == 200
    text = cells(page_a)
    assert "Inventory exported" in text and "Record of processing activities exported" not in text
    assert "Failed login" not in text  # tenant B's admin's failed login is not tenant A's business
    assert "Login" in text  # anna's own login (made by the test client) is a member's login
    for user in (assessor_a, auditor_a):
        assert login(user).get("/audit/").status_code == 403
    operator = django_user_model.objects.create_superuser("olga.operator", "olga@example.test", PASSWORD)
    page = cells(login(operator).get("/audit/"))
    assert "Inventory exported" in page and "Record of processing activities exported" in page
    assert "Failed login" in page
    filtered = cells(login(operator).get("/audit/", {"tenant": str(tenant_b.pk), "kind": "export.ropa"}))
    assert "Record of processing activities exported" in filtered and "Inventory exported" not in filtered
    german = login(admin_a).get("/audit/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Sicherheitsprotokoll" in german and "Inventar exportiert" in german


@pytest.mark.django_db(transaction=True)
def test_over_real_http_the_chain_verifies_and_tampering_is_detected(live_server, tenant_a, admin_a):
    with httpx.Client(base_url=live_server.url, headers={"User-Agent": "httpx-test"}) as browser:
        page = browser.get("/accounts/login/")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        browser.post("/accounts/login/", data={"username": admin_a.username, "password": "bad-password-1",
                                               "csrfmiddlewaretoken": csrf})
        page = browser.get("/accounts/login/")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = browser.post("/accounts/login/", data={"username": admin_a.username, "password": PASSWORD,
                                                          "csrfmiddlewaretoken": csrf})
        assert response.status_code == 302
        assert browser.get("/integrations/export.json").status_code == 200
        log = browser.get("/audit/")
        assert log.status_code == 200 and "Failed login" in log.text and "Inventory exported" in log.text
    assert kinds()[-3:] == ["login.failed", "login", "export.inventory"]
    assert {e.ip for e in AuditEvent.objects.all() if e.kind.startswith(("login", "export"))} == {"127.0.0.1"}
    assert chain.verify().ok
    AuditEvent.objects.filter(kind="login.failed").update(ip="10.9.8.7")
    failed = AuditEvent.objects.get(kind="login.failed")
    result = chain.verify()
    assert not result.ok and result.broken_seq == failed.seq


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_chain():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers on PostgreSQL (SQLite serialises every write transaction anyway)")
    errors = []
    start = threading.Barrier(4)

    def writer(n):
        try:
            start.wait()
            for i in range(25):
                audit("export.inventory", writer=n, number=i)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, 101))
    result = chain.verify()
    assert result.ok and result.checked == 100


def test_the_monitoring_tick_prunes_by_the_retention_period(settings, monkeypatch):
    from django.utils import timezone

    from vendorvet.web.monitoring.scheduling import tick

    _some_events(3)
    settings.VENDORVET_AUDIT_RETENTION_DAYS = 400
    assert tick().errors == [] and AuditEvent.objects.count() == 3  # nothing is old enough
    future = AuditEvent.objects.get(seq=2).time + timedelta(days=400, microseconds=1)
    monkeypatch.setattr(timezone, "now", lambda: future)  # the tick runs 400 days later
    assert tick().errors == []
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [3] and chain.verify().ok


def test_command_line_exports_are_recorded(tenant_a, admin_a, make_integration, tmp_path):
    make_integration(tenant_a, name="Acme CRM")
    assert cli(["export", "--format", "json", "-o", str(tmp_path / "x.json"), "--tenant", tenant_a.slug,
                "--user", admin_a.username]) == 0
    assert cli(["export-ropa", "--format", "csv", "-o", str(tmp_path / "r.csv"), "--tenant", tenant_a.slug,
                "--user", admin_a.username]) == 0
    events = {e.kind: e for e in AuditEvent.objects.filter(kind__startswith="export.")}
    assert set(events) == {"export.inventory", "export.ropa"}
    assert all(e.actor_kind == "cli" and e.tenant_id == tenant_a.pk and e.username == admin_a.username
               for e in events.values())

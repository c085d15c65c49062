"""Webhook secrets and webhook/Slack/Teams URLs never reach the change history, are never shown after saving, and
old history rows are scrubbed by a migration."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from tests.api.conftest import api_as  # noqa: F401  (fixture)
from tests.conftest import acting
from tests.web.conftest import login  # noqa: F401  (fixture)
from vendorvet.web.core.models import REDACTED, ObjectChange

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A German page request leaves German active in this thread; later tests read English messages."""
    yield
    translation.activate("en")

URL = "https://93.184.215.14/hooks/T0KEN-url-part"
NEW_URL = "https://93.184.215.14/hooks/N3W-url-part"
SECRET = "s3cret-signing-KEY-1"
NEW_SECRET = "s3cret-signing-KEY-2"
TRACES = ("T0KEN-url-part", "N3W-url-part", "s3cret-signing")


def _rule(tenant):
    from vendorvet.web.monitoring.models import AlertRule

    with acting(tenant):
        return AlertRule.objects.get(name="Hook")


def test_secret_and_url_are_never_in_the_history_nor_shown_again(tenant_a, admin_a, auditor_a, login, api_as):
    admin = login(admin_a)
    created = admin.post("/monitoring/rules/new/", {"name": "Hook", "enabled": "on", "channel": "webhook",
                                                    "min_severity": "high", "url": URL, "secret": SECRET})
    assert created.status_code == 302, created.content.decode()[:2000]
    rule = _rule(tenant_a)
    assert (rule.url, rule.secret) == (URL, SECRET)
    edit_url = f"/monitoring/rules/{rule.pk}/"
    form = admin.get(edit_url).content.decode()
    assert not any(t in form for t in TRACES) and "Set (not shown)" in form
    # an edit that leaves both fields empty keeps them; a new secret replaces the old one
    kept = admin.post(edit_url, {"name": "Hook", "enabled": "on", "channel": "webhook", "min_severity": "low",
                                 "url": "", "secret": ""})
    assert kept.status_code == 302, kept.content.decode()[:2000]
    assert (_rule(tenant_a).url, _rule(tenant_a).secret, _rule(tenant_a).min_severity) == (URL, SECRET, "low")
    assert admin.post(edit_url, {"name": "Hook", "enabled": "on", "channel": "webhook", "min_severity": "low",
                                 "url": NEW_URL, "secret": NEW_SECRET}).status_code == 302
    assert (_rule(tenant_a).url, _rule(tenant_a).secret) == (NEW_URL, NEW_SECRET)

    entries = ObjectChange.all_tenants.filter(changed_object_id=rule.pk, object_repr="Hook").order_by("pk")
    stored = json.dumps([[e.prechange_data, e.postchange_data] for e in entries])
    assert len(entries) == 3 and not any(t in stored for t in TRACES)
    last = entries.last()
    # "changed" is recorded without the value: the markers differ, neither is the secret
    assert last.prechange_data["secret"].startswith(REDACTED) and last.postchange_data["secret"].startswith(REDACTED)
    assert last.prechange_data["secret"] != last.postchange_data["secret"]
    assert last.prechange_data["url"] != last.postchange_data["url"]

    for user in (admin_a, auditor_a):
        page = login(user).get("/changes/")
        assert page.status_code == 200 and "Hook" in page.content.decode()
        assert "set (secret, not shown)" in page.content.decode()
        assert not any(t in page.content.decode() for t in TRACES)
        listed = api_as(tenant_a, user).get("/api/changes/")
        assert listed.status_code == 200 and not any(t in listed.content.decode() for t in TRACES)

    api_rule = api_as(tenant_a, admin_a).get(f"/api/alert-rules/{rule.pk}/").json()
    assert api_rule["secret_set"] is True and api_rule["url_set"] is True
    assert "secret" not in api_rule and "url" not in api_rule
    assert not any(t in json.dumps(api_rule) for t in TRACES)


def test_migration_scrubs_existing_history_rows(tenant_a, admin_a):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from vendorvet.web.monitoring.models import AlertRule

    rule_type = ContentType.objects.get_for_model(AlertRule)
    seeded = ObjectChange(tenant=tenant_a, action="update", actor_kind="user", actor_label="old",
                          request_id="00000000-0000-0000-0000-000000000001", changed_object_type=rule_type,
                          changed_object_id=1, object_repr="Old hook",
                          prechange_data={"name": "Old hook", "url": URL, "secret": SECRET},
                          postchange_data={"name": "Old hook", "url": NEW_URL, "secret": ""})
    seeded.save()
    module = __import__("vendorvet.web.monitoring.migrations.0005_scrub_secrets_from_history",
                        fromlist=["scrub"])
    state = MigrationExecutor(connection).loader.project_state(("monitoring", "0005_scrub_secrets_from_history"))
    module.scrub(state.apps, None)
    row = ObjectChange.all_tenants.get(pk=seeded.pk)
    stored = json.dumps([row.prechange_data, row.postchange_data])
    assert not any(t in stored for t in TRACES)
    assert row.prechange_data["url"].startswith(REDACTED) and row.prechange_data["secret"].startswith(REDACTED)
    assert row.postchange_data["secret"] == "" and row.prechange_data["name"] == "Old hook"


def test_german_history_and_form_say_set_without_the_value(tenant_a, admin_a, login):
    from vendorvet.web.monitoring.models import AlertRule

    with acting(tenant_a, admin_a):
        rule = AlertRule.objects.create(name="Hook", channel="slack", url=URL, min_severity="high")
        rule.url = NEW_URL
        rule.save()
    client = login(admin_a, HTTP_ACCEPT_LANGUAGE="de")
    history = client.get("/changes/").content.decode()
    assert "gesetzt (geheim, wird nicht angezeigt)" in history and not any(t in history for t in TRACES)
    form = client.get(f"/monitoring/rules/{rule.pk}/").content.decode()
    assert "Gesetzt (wird nicht angezeigt)" in form and not any(t in form for t in TRACES)

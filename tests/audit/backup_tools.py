"""Run in a separate process against one installation (VENDORVET_DATA_DIR, DATABASE_URL):

    python -m tests.audit.backup_tools seed     # migrate, load the demo, add uploaded files, tokens, audit events
    python -m tests.audit.backup_tools digest   # print {table: SHA-256 of its rows, "files": {path: SHA-256}}

The digest covers every table Django knows (also many-to-many tables), rows ordered by primary key, values
normalised so the same data hashes the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import os
import sys
import uuid
from pathlib import Path


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vendorvet.web.settings")
    import django

    django.setup()


def seed() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from vendorvet.web.accounts.models import APIToken, Membership, Tenant
    from vendorvet.web.assessments import services as review
    from vendorvet.web.assessments.models import Answer
    from vendorvet.web.core.context import Actor, tenant_session
    from vendorvet.web.core.security import audit
    from vendorvet.web.demo import load_demo
    from vendorvet.web.inventory.models import Vendor
    from vendorvet.web.legal.models import Contract

    load_demo()
    tenant = Tenant.objects.get(slug="nordlicht")
    user = get_user_model().objects.create_user("rita.restore", "rita@example.test", "a-long-enough-passw0rd")
    group = Group.objects.create(name="operators")
    group.permissions.add(*Permission.objects.filter(codename__startswith="view_")[:5])
    user.groups.add(group)
    user.user_permissions.add(Permission.objects.get(codename="change_tenant"))
    actor = Actor(kind="cli", label="seed", user=user, role="admin")
    with tenant_session(tenant, actor):
        Membership.objects.create(user=user, role="admin")
        APIToken.issue(user, "backup test token")
        vendor = Vendor.objects.order_by("pk").first()
        contract = Contract(vendor=vendor, type="dpa", title="AVV with file")
        contract.file.save("avv.pdf", SimpleUploadedFile("avv.pdf", b"%PDF-1.7 contract \xe2\x82\xac " * 50), save=False)
        contract.file_name = "AVV Müller.pdf"
        contract.save()
        answer = next(a for a in Answer.objects.select_related("assessment").order_by("pk")
                      if not a.assessment.is_decided)
        review.add_evidence(answer, SimpleUploadedFile("soc2.pdf", b"%PDF-1.7 evidence " + bytes(range(256))),
                            "SOC 2 report")
        audit("export.inventory", format="csv")
    audit("login.failed", username="mallory")
    print("seeded", file=sys.stderr)


def _norm(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, (dt.date, dt.time, decimal.Decimal, uuid.UUID, dt.timedelta)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return value


def digest() -> dict:
    from django.apps import apps
    from django.conf import settings

    out: dict = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label == "sessions.session" or not model._meta.managed or model._meta.proxy:
            continue
        names = [f.attname for f in model._meta.concrete_fields]
        h = hashlib.sha256()
        count = 0
        for row in model._base_manager.order_by("pk").values_list(*names):
            h.update(json.dumps([_norm(v) for v in row], sort_keys=True, ensure_ascii=False,
                                default=str).encode() + b"\n")
            count += 1
        out[label] = f"{count}:{h.hexdigest()}"
    media = Path(settings.MEDIA_ROOT)
    out["files"] = {p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                    for p in sorted(media.rglob("*")) if p.is_file()}
    out["file_modes"] = sorted({oct(p.stat().st_mode & 0o777) for p in media.rglob("*")})
    return out


if __name__ == "__main__":
    setup()
    if sys.argv[1] == "seed":
        seed()
    else:
        print(json.dumps(digest(), sort_keys=True))

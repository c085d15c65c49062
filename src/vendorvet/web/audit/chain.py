"""Append to, verify, prune and export the audit hash chain."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from vendorvet.web.audit.models import GENESIS, AuditEvent, ChainHead, canonical

HEAD_PK = 1
# kind -> seconds: at most one event per (kind, subject) in that period (token use: first use per hour)
THROTTLED = {"token.used": 3600}


def _locked_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=HEAD_PK).first()
    if head is None:
        try:
            with transaction.atomic():
                ChainHead.objects.create(pk=HEAD_PK)
        except IntegrityError:  # another writer created it first
            pass
        head = ChainHead.objects.select_for_update().get(pk=HEAD_PK)
    return head


def _throttled(kind: str, tenant_id, details: dict, now) -> bool:
    period = THROTTLED.get(kind)
    if not period:
        return False
    subject = canonical({"token_id": details.get("token_id")})[1:-1]  # '"token_id":12'
    recent = AuditEvent.objects.filter(kind=kind, tenant_id=tenant_id, time__gte=now - timedelta(seconds=period))
    return recent.filter(Q(details_json__contains=subject + ",") | Q(details_json__contains=subject + "}")).exists()


def append(kind: str, *, tenant=None, user=None, ip: str = "", user_agent: str = "", actor_kind: str = "",
           details: dict | None = None) -> AuditEvent | None:
    """Add one event at the end of the chain (serialised by the head row's lock). None if throttled."""
    details = details or {}
    tenant_id = getattr(tenant, "pk", None)
    with transaction.atomic():
        head = _locked_head()
        now = timezone.now()
        if _throttled(kind, tenant_id, details, now):
            return None
        event = AuditEvent(
            seq=head.last_seq + 1, time=now, kind=kind[:60], tenant_id=tenant_id,
            tenant_label=str(getattr(tenant, "slug", "") or "")[:200] if tenant is not None else "",
            user_id=getattr(user, "pk", None),
            username=(user.get_username() if user is not None and hasattr(user, "get_username") else "")[:150],
            actor_kind=(actor_kind or "")[:10], ip=(ip or "")[:45], user_agent=(user_agent or "")[:300],
            details_json=canonical(details), prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        head.last_seq, head.last_hash = event.seq, event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass
class Verification:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    broken_seq: int | None = None
    reason: str = ""


def verify(batch: int = 2000) -> Verification:
    """Walk the chain from the anchor to the head; stop at the first row that does not fit."""
    head = ChainHead.objects.filter(pk=HEAD_PK).first() or ChainHead(pk=HEAD_PK)
    expected_seq, expected_prev = head.anchor_seq + 1, head.anchor_hash
    checked = 0

    def broken(seq, reason):
        return Verification(False, checked, head.last_seq, head.last_hash, seq, reason)

    last = head.anchor_seq
    while True:
        rows = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:batch])
        if not rows:
            break
        for event in rows:
            if event.seq != expected_seq:
                return broken(expected_seq, f"row {expected_seq} is missing (the next row is {event.seq})")
            if event.prev_hash != expected_prev:
                return broken(event.seq, f"row {event.seq} does not point to the row before it "
                                         f"(prev_hash {event.prev_hash[:12]}…, expected {expected_prev[:12]}…)")
            if event.compute_hash() != event.hash:
                return broken(event.seq, f"row {event.seq} was changed after it was written "
                                         "(its content does not match its hash)")
            expected_seq, expected_prev = event.seq + 1, event.hash
            checked += 1
            last = event.seq
    if AuditEvent.objects.filter(seq__lte=head.anchor_seq).exists():
        return broken(head.anchor_seq, "rows before the pruning anchor are still present (the anchor was moved)")
    if last != head.last_seq or expected_prev != head.last_hash:
        return broken(last + 1, f"the chain ends at row {last}, but the head says {head.last_seq} "
                                "(rows at the end were removed, or the head was changed)")
    return Verification(True, checked, head.last_seq, head.last_hash)


def retention_days() -> int:
    return int(getattr(settings, "VENDORVET_AUDIT_RETENTION_DAYS", 400))


def prune(days: int | None = None, now=None) -> int:
    """Delete events older than the retention period; the last deleted row's hash becomes the anchor."""
    days = retention_days() if days is None else days
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    if not AuditEvent.objects.filter(time__lt=cutoff).exists():  # the usual case: no lock taken
        return 0
    with transaction.atomic():
        head = _locked_head()
        last_old = AuditEvent.objects.filter(time__lt=cutoff).order_by("-seq").first()
        if last_old is None:
            return 0
        deleted, _ = AuditEvent.objects.filter(seq__lte=last_old.seq).delete()
        head.anchor_seq, head.anchor_hash, head.pruned_until = last_old.seq, last_old.hash, last_old.time
        head.save(update_fields=["anchor_seq", "anchor_hash", "pruned_until"])
    return deleted


def iter_jsonl(since=None, tenant_id=None):
    """The events as JSON lines (oldest first), with their hashes, for a SIEM."""
    qs = AuditEvent.objects.order_by("seq")
    if since is not None:
        qs = qs.filter(time__gte=since)
    if tenant_id is not None:
        qs = qs.filter(tenant_id=tenant_id)
    for event in qs.iterator(chunk_size=2000):
        yield json.dumps(event.as_export(), ensure_ascii=False, sort_keys=True) + "\n"


__all__ = ["GENESIS", "THROTTLED", "append", "verify", "prune", "iter_jsonl", "Verification"]

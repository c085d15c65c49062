"""The security audit log: an append-only hash chain of security events.

Each :class:`AuditEvent` carries ``hash = SHA-256(prev_hash + canonical JSON of its own fields)``, and its
``prev_hash`` is the hash of the event before it (by ``seq``). The single :class:`ChainHead` row holds the last
sequence number and hash, and the *anchor*: the hash of the last row removed by pruning, which the oldest
remaining row must point to. Appends lock the head row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite runs
``BEGIN IMMEDIATE`` transactions, so writers are serialised anyway), so concurrent writers cannot fork the chain.

The rows name tenant and user by id *and* label, without foreign keys: deleting a tenant or a user must not
rewrite (and so break) the log. Details are stored as the exact canonical JSON text that was hashed, so no
database normalisation can change what is verified.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


def canonical(data) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class AuditEvent(models.Model):
    seq = models.BigIntegerField(unique=True)
    time = models.DateTimeField(_("time"), db_index=True)
    kind = models.CharField(_("event"), max_length=60, db_index=True)
    tenant_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    tenant_label = models.CharField(_("tenant"), max_length=200, blank=True)
    user_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    username = models.CharField(_("user"), max_length=150, blank=True)
    actor_kind = models.CharField(max_length=10, blank=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    details_json = models.TextField(default="{}")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["tenant_id", "-seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.username or '-'}"

    @property
    def details(self) -> dict:
        try:
            return json.loads(self.details_json)
        except ValueError:
            return {}

    def hashed_fields(self) -> dict:
        """What the hash covers: every column except the hash itself."""
        return {
            "seq": self.seq,
            "time": self.time.astimezone(dt.timezone.utc).isoformat(timespec="microseconds") if self.time else None,
            "kind": self.kind, "tenant_id": self.tenant_id, "tenant_label": self.tenant_label,
            "user_id": self.user_id, "username": self.username, "actor_kind": self.actor_kind, "ip": self.ip,
            "user_agent": self.user_agent, "details": self.details_json,
        }

    def compute_hash(self) -> str:
        return hashlib.sha256((self.prev_hash + canonical(self.hashed_fields())).encode("utf-8")).hexdigest()

    def as_export(self) -> dict:
        out = self.hashed_fields()
        out["details"] = self.details
        out["time"] = self.time.isoformat()
        out["prev_hash"], out["hash"] = self.prev_hash, self.hash
        return out


class ChainHead(models.Model):
    """One row (pk 1): the chain's last link and the anchor left by pruning."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS)
    anchor_seq = models.BigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64, default=GENESIS)
    pruned_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit chain head")

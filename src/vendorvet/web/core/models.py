"""Base models: every inventory object belongs to a tenant and logs its changes."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vendorvet.web.core.context import (
    TenantScopeError,
    current_tenant,
    require_actor,
)
from vendorvet.web.core.managers import AllTenantsManager, TenantScopedManager

NOT_LOGGED = {"id", "tenant", "created", "last_updated"}
# A field marked ``change_log_secret = True`` (webhook secrets and URLs …) is logged as this marker plus a keyed
# fingerprint: the history says *that* it changed, never the value (also hidden from read-only auditors).
REDACTED = "[redacted]"


def secret_marker(value: Any) -> str:
    """``""`` for an empty secret, else ``[redacted] <8 hex>``: an HMAC with the installation's SECRET_KEY, so a
    change shows as a different marker while the value cannot be guessed from it."""
    if value in (None, ""):
        return ""
    import hashlib
    import hmac

    from django.conf import settings

    digest = hmac.new(str(settings.SECRET_KEY).encode(), str(value).encode(), hashlib.sha256).hexdigest()[:8]
    return f"{REDACTED} {digest}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The logged state of an object: concrete fields, foreign keys as ids."""
    data: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if f.name in NOT_LOGGED or getattr(f, "change_log_exclude", False):
            continue
        value = getattr(instance, f.attname)
        data[f.name] = secret_marker(value) if getattr(f, "change_log_secret", False) else _jsonable(value)
    return data


class TenantOwnedModel(models.Model):
    """Abstract base: tenant FK, timestamps, scoped managers, change logging.

    ``change_log_parent`` names a FK whose target is shown as the related object in
    the history (an endpoint's changes appear in its integration's history).
    """

    tenant = models.ForeignKey("accounts.Tenant", on_delete=models.CASCADE, editable=False, related_name="+")
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True)

    objects = TenantScopedManager()
    all_tenants = AllTenantsManager()

    change_log_parent: str | None = None

    class Meta:
        abstract = True
        base_manager_name = "all_tenants"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._prechange = snapshot(instance) if len(values) == len(cls._meta.concrete_fields) else None
        return instance

    # -- tenant integrity -------------------------------------------------
    def _check_tenant(self) -> None:
        active = current_tenant()
        if self.tenant_id is None:
            if active is None:
                raise TenantScopeError(f"cannot save {self._meta.label} with no active tenant")
            self.tenant = active
        elif active is not None and self.tenant_id != active.pk:
            raise TenantScopeError(f"{self._meta.label} belongs to another tenant than the active one")
        for f in self._meta.concrete_fields:
            if isinstance(f, models.ForeignKey) and f.name != "tenant":
                remote = f.related_model
                if isinstance(remote, type) and issubclass(remote, TenantOwnedModel):
                    rid = getattr(self, f.attname)
                    if rid is None:
                        continue
                    related = getattr(self, f.name)
                    if related.tenant_id != self.tenant_id:
                        raise TenantScopeError(f"{self._meta.label}.{f.name} points into another tenant")

    # -- change log (written by the signal receivers in core.changelog, so cascades are logged too) --------
    @classmethod
    def logged_field_names(cls) -> list[str]:
        return [f.name for f in cls._meta.concrete_fields
                if f.name not in NOT_LOGGED and not getattr(f, "change_log_exclude", False)]

    def change_snapshot(self) -> dict[str, Any]:
        return snapshot(self)

    def change_entry(self, action: str, pre: dict | None, post: dict | None, actor=None) -> "ObjectChange | None":
        """The unsaved history entry for a change of this object, or None when there is nothing to record."""
        if not getattr(self, "change_logged", True):
            return None
        if action == ObjectChange.UPDATE and pre == post:
            return None
        actor = actor or require_actor()
        related_ct = related_id = None
        if self.change_log_parent:
            parent_field = self._meta.get_field(self.change_log_parent)
            related_id = getattr(self, parent_field.attname, None)  # the id: the parent may be going too
            if related_id is not None:
                related_ct = ContentType.objects.get_for_model(parent_field.related_model, for_concrete_model=True)
        return ObjectChange(
            tenant_id=self.tenant_id,
            action=action,
            actor_kind=actor.kind,
            actor_label=actor.label[:150],
            user_id=getattr(actor.user, "pk", None),
            token_id=getattr(actor.token, "pk", None),
            request_id=actor.request_id,
            changed_object_type=ContentType.objects.get_for_model(self, for_concrete_model=True),
            changed_object_id=self.pk,
            object_repr=str(self)[:200],
            related_object_type=related_ct,
            related_object_id=related_id,
            prechange_data=pre,
            postchange_data=post,
        )

    def log_change(self, action: str, pre: dict | None, post: dict | None, actor=None) -> None:
        entry = self.change_entry(action, pre, post, actor)
        if entry is not None:
            entry.save()

    def save(self, *args, **kwargs):
        self._check_tenant()
        require_actor()  # fail before writing anything
        with transaction.atomic():  # the row and its history entry (post_save) together
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_tenant()
        require_actor()
        with transaction.atomic():  # the rows, the cascade and their history entries together
            return super().delete(*args, **kwargs)


class ObjectChange(models.Model):
    """One recorded change: who (user, token, CLI, task), when, what (before/after)."""

    CREATE, UPDATE, DELETE = "create", "update", "delete"
    ACTIONS = [(CREATE, _("created")), (UPDATE, _("updated")), (DELETE, _("deleted"))]

    tenant = models.ForeignKey("accounts.Tenant", on_delete=models.CASCADE, related_name="+")
    time = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=10, choices=ACTIONS)
    actor_kind = models.CharField(max_length=10)
    actor_label = models.CharField(max_length=150)
    user = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    token = models.ForeignKey("accounts.APIToken", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    request_id = models.UUIDField()
    changed_object_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    changed_object_id = models.BigIntegerField()
    object_repr = models.CharField(max_length=200)
    related_object_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    related_object_id = models.BigIntegerField(null=True, blank=True)
    prechange_data = models.JSONField(null=True, blank=True)
    postchange_data = models.JSONField(null=True, blank=True)

    objects = TenantScopedManager()
    all_tenants = AllTenantsManager()

    class Meta:
        base_manager_name = "all_tenants"
        ordering = ["-time", "-pk"]
        indexes = [
            models.Index(fields=["tenant", "changed_object_type", "changed_object_id"]),
            models.Index(fields=["tenant", "related_object_type", "related_object_id"]),
            models.Index(fields=["tenant", "-time"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr} by {self.actor_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("the change history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("the change history is append-only")

    @property
    def diff(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for every field that differs."""
        pre = self.prechange_data or {}
        post = self.postchange_data or {}
        keys = list(dict.fromkeys([*pre.keys(), *post.keys()]))
        return [(k, pre.get(k), post.get(k)) for k in keys if pre.get(k) != post.get(k)]

"""The change history is written by signal receivers, so every path that saves or deletes a tenant-owned row
through Django — ``save()``, ``QuerySet.delete()``, and the cascade of a deletion (a vendor's contacts and
integrations) — leaves its entries. The paths that skip signals (``update()``, ``bulk_*``) are refused on
change-logged models by ``core.managers``.

Connected per model in ``CoreConfig.ready()``: the deletion receivers only for change-logged models, so a model
that keeps no history (tens of thousands of grants) is still deleted in one statement.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from vendorvet.web.core.context import Actor, require_actor
from vendorvet.web.core.models import ObjectChange, TenantOwnedModel, snapshot


def _before_save(sender, instance, raw=False, **kwargs):
    if raw or not getattr(instance, "change_logged", True):  # fixtures: stored as given; or keeps no history
        return
    pre = None
    if not (instance._state.adding or instance.pk is None):
        pre = getattr(instance, "_prechange", None)
        if pre is None:
            stored = sender.all_tenants.filter(pk=instance.pk).first()
            pre = snapshot(stored) if stored else None
    instance._change_pre = pre


def _after_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    post = snapshot(instance)
    if getattr(instance, "change_logged", True):
        instance.log_change(ObjectChange.CREATE if created else ObjectChange.UPDATE,
                            None if created else getattr(instance, "_change_pre", None), post)
    instance._prechange = post  # the state a later logged save of this instance starts from


def _origin_model(origin):
    if isinstance(origin, QuerySet):
        return origin.model
    return type(origin) if origin is not None else None


def _deletion_actor(instance, origin) -> Actor | None:
    """Who the deletion is attributed to, or None when no entry is written (the tenant itself goes)."""
    origin_model = _origin_model(origin)
    if origin_model is not None and origin_model is instance._meta.get_field("tenant").related_model:
        return None  # deleting a tenant deletes its history too: nothing is left to record it in
    # a tenant's own rows, or a cascade from outside them (an operator deleting a user account): attributed
    return require_actor()


def _before_delete(sender, instance, origin=None, **kwargs):
    instance._change_delete = (_deletion_actor(instance, origin), snapshot(instance))


def _after_delete(sender, instance, origin=None, **kwargs):
    actor, pre = getattr(instance, "_change_delete", (None, None))
    if actor is None:
        return
    instance.log_change(ObjectChange.DELETE, pre, None, actor=actor)


def connect() -> None:
    for model in apps.get_models():
        if not issubclass(model, TenantOwnedModel):
            continue
        uid = f"vendorvet_changelog_{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}_pre_save")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}_post_save")
        if getattr(model, "change_logged", True):
            pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"{uid}_pre_delete")
            post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}_post_delete")

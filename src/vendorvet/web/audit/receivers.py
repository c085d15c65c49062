"""What lands in the audit log: events emitted with ``core.security.audit``, Django's login signals, and the
security-relevant subset of the change history (members and roles, API tokens, tenant settings) and of
model saves (users' privileges, second factors).

Details name *which* fields changed, never their values: settings may hold webhook secrets and URLs.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save

from vendorvet.web.audit import chain
from vendorvet.web.core.context import current_actor
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.core.security import client_ip, request_meta, security_event, user_agent

# change-history model label -> audit category (labels, not imports: the audit app sits below the feature apps)
SETTINGS_MODELS = {
    "inventory.tierpolicy", "monitoring.monitoringsettings", "monitoring.alertrule", "scans.tenantscansettings",
    "legal.ropasettings",
}
MEMBERSHIP_MODEL, TOKEN_MODEL = "accounts.membership", "accounts.apitoken"
# apps whose rows are second factors (django-otp devices, django-allauth's MFA authenticators)
MFA_APPS = {"otp_totp", "otp_static", "otp_hotp", "otp_email", "otp_webauthn", "mfa", "webauthn"}
USER_FLAGS = ("is_active", "is_staff", "is_superuser")


def _tenant(tenant_id):
    from vendorvet.web.accounts.models import Tenant

    return Tenant.objects.filter(pk=tenant_id).first() if tenant_id else None


def _user(user_id):
    return get_user_model().objects.filter(pk=user_id).first() if user_id else None


def _actor_kind() -> str:
    actor = current_actor()
    return actor.kind if actor is not None else "system"


def on_security_event(sender, kind, tenant, user, ip, user_agent, actor_kind, details, **kwargs):
    chain.append(kind, tenant=tenant, user=user, ip=ip, user_agent=user_agent, actor_kind=actor_kind,
                 details=details)


def _request_fields(request) -> dict:
    if request is None:
        ip, agent = request_meta()
        return {"ip": ip, "user_agent": agent}
    return {"ip": client_ip(request), "user_agent": user_agent(request)}


def _method(user) -> str:
    return (getattr(user, "backend", "") or "").rpartition(".")[2][:60]


def on_login(sender, request, user, **kwargs):
    chain.append("login", user=user, actor_kind="user", details={"method": _method(user)},
                 **_request_fields(request))


def on_logout(sender, request, user, **kwargs):
    if user is not None:
        chain.append("logout", user=user, actor_kind="user", **_request_fields(request))


def on_login_failed(sender, credentials, request=None, **kwargs):
    User = get_user_model()
    attempted = str((credentials or {}).get(User.USERNAME_FIELD) or (credentials or {}).get("username") or "")[:150]
    known = User.objects.filter(**{User.USERNAME_FIELD: attempted}).first() if attempted else None
    chain.append("login.failed", user=known, actor_kind="user", details={"username": attempted},
                 **_request_fields(request))


def _changed_fields(change: ObjectChange) -> list[str]:
    return sorted(field for field, _before, _after in change.diff)


def on_object_change(sender, instance: ObjectChange, created, raw=False, **kwargs):
    if raw or not created:
        return
    label = f"{instance.changed_object_type.app_label}.{instance.changed_object_type.model}"
    pre, post = instance.prechange_data or {}, instance.postchange_data or {}
    kind, details = None, {}
    if label == MEMBERSHIP_MODEL:
        member = _user(post.get("user") or pre.get("user"))
        details = {"member": member.get_username() if member else None, "membership_id": instance.changed_object_id}
        if instance.action == ObjectChange.CREATE:
            kind, details["role"] = "membership.added", post.get("role")
        elif instance.action == ObjectChange.DELETE:
            kind, details["role"] = "membership.removed", pre.get("role")
        elif pre.get("role") != post.get("role"):
            kind, details["from_role"], details["to_role"] = "role.changed", pre.get("role"), post.get("role")
    elif label == TOKEN_MODEL:
        details = {"token_id": instance.changed_object_id, "token_name": (post or pre).get("name"),
                   "owner": getattr(_user((post or pre).get("user")), "username", None)}
        if instance.action == ObjectChange.CREATE:
            kind = "token.created"
            details.update(read_only=post.get("read_only"), expires=post.get("expires"))
        elif instance.action == ObjectChange.DELETE:
            kind = "token.deleted"
        elif pre.get("revoked") is None and post.get("revoked") is not None:
            kind = "token.revoked"
    elif label in SETTINGS_MODELS:
        kind = "settings.changed"
        details = {"setting": label, "object_id": instance.changed_object_id, "action": instance.action,
                   "fields": _changed_fields(instance)}
    if kind is None:
        return
    chain.append(kind, tenant=_tenant(instance.tenant_id), user=_user(instance.user_id),
                 actor_kind=instance.actor_kind, details=details, **_request_fields(None))


def on_user_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or (update_fields is not None and set(update_fields) <= {"last_login"}):
        instance._audit_flags = None
        return
    instance._audit_flags = sender.objects.filter(pk=instance.pk).values(*USER_FLAGS).first()


def on_user_post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        flags = {flag: getattr(instance, flag) for flag in USER_FLAGS}
        chain.append("user.created", user=None, actor_kind=_actor_kind(),
                     details={"account": instance.get_username(), **flags}, **_request_fields(None))
        return
    before = getattr(instance, "_audit_flags", None)
    if not before:
        return
    changed = {flag: [before[flag], getattr(instance, flag)] for flag in USER_FLAGS
               if before[flag] != getattr(instance, flag)}
    if changed:
        chain.append("user.privileges_changed", user=None, actor_kind=_actor_kind(),
                     details={"account": instance.get_username(), "changed": changed}, **_request_fields(None))


def _mfa_owner(instance):
    user_id = getattr(instance, "user_id", None)
    return _user(user_id)


def on_any_save(sender, instance, created, raw=False, **kwargs):
    if raw or not created or sender._meta.app_label not in MFA_APPS:
        return
    chain.append("mfa.added", user=_mfa_owner(instance), actor_kind=_actor_kind(),
                 details={"method": sender._meta.model_name}, **_request_fields(None))


def on_any_delete(sender, instance, **kwargs):
    if sender._meta.app_label not in MFA_APPS:
        return
    chain.append("mfa.removed", user=_mfa_owner(instance), actor_kind=_actor_kind(),
                 details={"method": sender._meta.model_name}, **_request_fields(None))


def connect() -> None:
    uid = "vendorvet.audit"
    security_event.connect(on_security_event, dispatch_uid=f"{uid}.event")
    user_logged_in.connect(on_login, dispatch_uid=f"{uid}.login")
    user_logged_out.connect(on_logout, dispatch_uid=f"{uid}.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid=f"{uid}.login_failed")
    post_save.connect(on_object_change, sender=ObjectChange, dispatch_uid=f"{uid}.change")
    User = get_user_model()
    pre_save.connect(on_user_pre_save, sender=User, dispatch_uid=f"{uid}.user_pre")
    post_save.connect(on_user_post_save, sender=User, dispatch_uid=f"{uid}.user_post")
    post_save.connect(on_any_save, dispatch_uid=f"{uid}.mfa_save")
    post_delete.connect(on_any_delete, dispatch_uid=f"{uid}.mfa_delete")

"""Whether a user may still sign in with a password (a tenant can require single sign-on)."""

from __future__ import annotations

from vendorvet.web.accounts.models import memberships_of
from vendorvet.web.accounts.sso.models import SsoProvider


def local_login_refused(user) -> SsoProvider | None:
    """The provider of a tenant of ``user`` that allows only single sign-on; operators (superusers) are exempt so
    the installation always keeps a way in."""
    if user.is_superuser:
        return None
    tenant_ids = [m.tenant_id for m in memberships_of(user)]
    return (SsoProvider.objects.select_related("tenant")
            .filter(tenant_id__in=tenant_ids, enabled=True, allow_local_login=False).first())


def find_provider(text: str) -> SsoProvider | None:
    """The enabled provider for what a user typed: an e-mail address, an e-mail domain or a tenant's short name."""
    value = (text or "").strip().lower()
    if not value or len(value) > 254:
        return None
    domain = value.rsplit("@", 1)[-1]
    providers = SsoProvider.objects.select_related("tenant").filter(enabled=True)
    if "@" not in value:
        by_slug = providers.filter(tenant__slug__iexact=value).first()
        if by_slug is not None:
            return by_slug
    for provider in providers.exclude(email_domains=""):
        if domain in provider.domain_list():
            return provider
    return None

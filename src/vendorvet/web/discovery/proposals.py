"""Discovered apps are proposals: a person accepts one into the inventory (it becomes an integration with the
data categories its scopes suggest, confirmed or changed by that person) or rejects it with a reason (it is
hidden from the proposals). Both are saved through the change history: the app's row records who decided
what and why, and an accepted app's new integration is logged as created."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vendorvet.engine.discovery import catalogue, scopes as scope_rating
from vendorvet.web.accounts import roles
from vendorvet.web.core.context import require_actor
from vendorvet.web.discovery.models import AppStatus, DiscoveredApp, ReviewState
from vendorvet.web.inventory import services
from vendorvet.web.inventory.choices import AccessScope, DataCategory, DiscoverySource, Kind, Status
from vendorvet.web.inventory.models import Integration, Vendor


class ProposalError(ValueError):
    """The decision cannot be made as asked (already decided, or a required answer is missing)."""


def suggestion(app: DiscoveredApp) -> scope_rating.DataSuggestion:
    """The data categories the app's active granted scopes suggest (content rules, source named)."""
    names = [s["scope"] for s in app.scopes or [] if s.get("scope")]
    return scope_rating.suggest_data(app.platform, names)


def suggested_names(app: DiscoveredApp) -> tuple[str, str]:
    """Integration and vendor name to start from; an unnamed app gets none (the person must name it)."""
    entry = catalogue.get(app.catalogue_key) if app.catalogue_key else None
    if entry is not None:
        return entry.name, entry.company
    if app.unnamed:
        return "", app.publisher
    return app.name, app.publisher or app.name


def pending():
    return DiscoveredApp.objects.filter(review_state=ReviewState.PENDING)


@transaction.atomic
def accept(app: DiscoveredApp, *, name: str, vendor_name: str, data_categories: list[str]) -> Integration:
    """Accept ``app`` into the inventory as a proposed integration; returns it. Needs *add*."""
    roles.require(roles.ADD)
    app = DiscoveredApp.objects.select_for_update().get(pk=app.pk)
    if app.review_state == ReviewState.ACCEPTED and app.integration_id:
        raise ProposalError(_("This app was already accepted."))
    name, vendor_name = (name or "").strip()[:200], (vendor_name or "").strip()[:200]
    if not name or not vendor_name:
        raise ProposalError(_("Name the integration and its vendor."))
    valid = set(DataCategory.values)
    if any(c not in valid for c in data_categories):
        raise ProposalError(_("Unknown data category."))
    integration = app.integration
    if integration is None:
        vendor = Vendor.objects.filter(name__iexact=vendor_name).first()
        if vendor is None:
            entry = catalogue.get(app.catalogue_key) if app.catalogue_key else None
            vendor = services.save_object(Vendor(name=vendor_name, country=entry.country if entry else ""))
        if Integration.objects.filter(vendor=vendor, name__iexact=name).exists():
            raise ProposalError(_("%(vendor)s already has an integration named %(name)s: choose another name.")
                                % {"vendor": vendor.name, "name": name})
        oauth = app.platform in ("google", "microsoft")
        granted = scope_rating.granted_access(app.scopes or []) if app.status == AppStatus.ACTIVE else \
            scope_rating.GrantedAccess()
        integration = services.save_object(Integration(
            vendor=vendor, name=name, kind=Kind.OAUTH_APP if oauth else Kind.SAAS, status=Status.PROPOSED,
            discovery_source=DiscoverySource.OAUTH_GRANT if oauth else DiscoverySource.PROXY_LOG,
            access_scope=AccessScope.TENANT_WIDE if app.tenant_wide else "",
            approx_users=None if app.tenant_wide else (app.users_count or None),
            data_categories=sorted(set(data_categories)),
            notes=_("Accepted from discovery by %(who)s; client ID %(id)s.") % {
                "who": require_actor().label, "id": app.client_id},
            granted_scope_risk=granted.risk, granted_access=granted.access,
            granted_scopes=list(granted.scopes)[:20],
            granted_publisher="" if app.verified_publisher is None or not granted.risk else
            ("verified" if app.verified_publisher else "unverified"),
        ))
    else:  # created by an import before proposals existed: accepting makes it a reviewed entry
        integration.tags = [t for t in integration.tags or [] if t != "discovered"]
        integration.data_categories = sorted(set(integration.data_categories or []) | set(data_categories))
        services.save_object(integration)
    app.integration = integration
    _decide(app, ReviewState.ACCEPTED, "")
    return integration


@transaction.atomic
def reject(app: DiscoveredApp, reason: str) -> DiscoveredApp:
    """Reject ``app``: hidden from the proposals, kept with the reason. Needs *change*."""
    roles.require(roles.CHANGE)
    app = DiscoveredApp.objects.select_for_update().get(pk=app.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ProposalError(_("Give a reason for rejecting the app."))
    if app.review_state == ReviewState.ACCEPTED:
        raise ProposalError(_("This app was already accepted into the inventory; retire the integration instead."))
    _decide(app, ReviewState.REJECTED, reason[:500])
    return app


def _decide(app: DiscoveredApp, state: str, reason: str) -> None:
    app.review_state, app.review_reason = state, reason
    app.reviewed_by, app.reviewed_at = require_actor().label[:150], timezone.now()
    app.save()

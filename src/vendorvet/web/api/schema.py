"""OpenAPI description of the API's authentication (imported by api.urls to register it)."""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import alpha_operation_sorter


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "vendorvet.web.api.authentication.TokenAuthentication"
    name = "tokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(_(
                "An API token (vv_…), sent as `Authorization: Bearer <key>` or `Authorization: Token <key>`. "
                "Create one with `vendorvet token create` or POST /api/accounts/tokens/ while logged in; it acts in "
                "its tenant with its user's current role.")),
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "vendorvet.web.api.authentication.TenantSessionAuthentication"
    name = "cookieAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": str(_("The web UI's login session (the tenant chosen there); writes need the CSRF "
                                 "token in the X-CSRFToken header.")),
        }


class ApiAutoSchema(AutoSchema):
    """Operation descriptions come only from ``extend_schema`` (translatable), never from docstrings,
    which are notes for developers."""

    def get_description(self):
        return ""


DEPRECATED_TAG = "deprecated paths"  # the OpenAPI tag of the old paths that answer as deprecated aliases


class DeprecatedAutoSchema(ApiAutoSchema):
    """Operations of a deprecated alias path: marked deprecated, grouped under one tag, with their own ids."""

    def is_deprecated(self):
        return True

    def get_tags(self):
        return [DEPRECATED_TAG]

    def get_operation_id(self):
        return "deprecated_" + super().get_operation_id()


def operation_sorter(endpoint):
    """SPECTACULAR_SETTINGS["SORT_OPERATIONS"]: alphabetically, the deprecated alias paths after all others."""
    view = getattr(endpoint[3], "cls", None)
    return (bool(getattr(view, "deprecated_alias", False)), alpha_operation_sorter(endpoint))


# One name per choice set (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]): without them drf-spectacular names
# several sets ``StatusEnum``/``KindEnum``/``StateEnum`` and resolves the clash with hash suffixes. The sets are
# read from the models through Django's app registry, so the API infrastructure imports no feature app.

def _model_choices(label: str, model: str, field: str):
    def load():
        try:
            return list(apps.get_model(label, model)._meta.get_field(field).choices or [])
        except LookupError:
            return []

    return load


scan_run_status_choices = _model_choices("scans", "ScanRun", "status")
def event_kind_choices():
    """The registered event kinds (the model field has no fixed choices: a new kind needs no migration)."""
    from vendorvet.web.core.events import kind_choices

    return kind_choices()  # (key, label): drf-spectacular hashes both
event_severity_choices = _model_choices("monitoring", "MonitoringEvent", "severity")
app_risk_choices = _model_choices("discovery", "DiscoveredApp", "risk")
yes_no_unknown_choices = _model_choices("legal", "VendorLegal", "dpf_status")
tier_choices = _model_choices("inventory", "Integration", "tier")


def check_kind_choices():
    return ["openapi", "scan"]


def token_state_choices():
    return ["active", "expired", "revoked", "inactive"]


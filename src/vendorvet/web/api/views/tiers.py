"""The tenant's tier policy: read it with the rules in force; change it (permission 'decide')."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from vendorvet.web.api.base import TenantContextMixin
from vendorvet.web.core.context import current_tenant
from vendorvet.web.inventory import services
from vendorvet.web.inventory.models import tier_rules_for

PolicyIn = inline_serializer("TierPolicyIn", {
    "rules": serializers.DictField(help_text="rule id → {tier, enabled, records_at_least, users_at_least}"),
    "justification": serializers.CharField(),
})
PolicyOut = inline_serializer("TierPolicy", {
    "rules": serializers.DictField(help_text="this tenant's deviations from the default rules"),
    "justification": serializers.CharField(),
    "rules_in_force": serializers.DictField(help_text="the default rules with the deviations applied"),
    "changed_integrations": serializers.IntegerField(required=False),
})


def _body(policy, changed=None) -> dict:
    data = {"rules": policy.rules if policy else {}, "justification": policy.justification if policy else "",
            "rules_in_force": tier_rules_for(current_tenant().pk)}
    if changed is not None:
        data["changed_integrations"] = changed
    return data


class TierPolicyView(TenantContextMixin, APIView):
    # PUT is a 'change' by HTTP method (RolePermission); the view also requires 'decide'.

    @extend_schema(summary=_("Tier policy"), responses=PolicyOut,
                   description=_("This tenant's deviations from the default tier rules and the rules in force."))
    def get(self, request):
        return Response(_body(services.current_tier_policy()))

    @extend_schema(summary=_("Change the tier policy"), request=PolicyIn, responses=PolicyOut,
                   description=_("Needs the 'decide' permission. Every integration's tier is recomputed; "
                                 "each change is recorded in the history."))
    def put(self, request):
        from vendorvet.web.accounts import roles

        roles.require(roles.DECIDE)
        rules = request.data.get("rules", {})
        if not isinstance(rules, dict):
            return Response({"rules": ["Expected an object of rule id → settings."]},
                            status=status.HTTP_400_BAD_REQUEST)
        try:
            policy, changed = services.set_tier_policy(rules, str(request.data.get("justification", "")))
        except ValidationError as exc:
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response(_body(policy, changed))

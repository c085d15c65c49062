"""The tenant's tier policy: see the default rules, change tiers and thresholds, switch rules off."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from vendorvet import content
from vendorvet.engine.tiering import THRESHOLD_KEYS
from vendorvet.web.accounts import roles
from vendorvet.web.core.i18n import content_language
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.inventory import services


def _rows(policy_rules: dict, data=None, language: str = "en") -> list[dict]:
    """One row per default rule: its default and the tenant's setting (or the posted value)."""
    rows = []
    for rule in content.load("tiering")["rules"]:
        own = policy_rules.get(rule["id"], {})
        thresholds = []
        for key in THRESHOLD_KEYS:
            if key in rule["when"]:
                field = f"{key}__{rule['id']}"
                value = data.get(field) if data is not None else own.get(key, rule["when"][key])
                thresholds.append({"key": key, "field": field, "default": rule["when"][key], "value": value})
        rows.append({
            "id": rule["id"],
            # the placeholder ("{granted_scopes}") is filled in when the rule matches; here it is described
            "reason": re.sub(r"\{\w+\}", _("the permissions concerned"),
                             rule["reason"].get(language) or rule["reason"]["en"]),
            "default_tier": int(rule["tier"]),
            "tier": (data.get(f"tier__{rule['id']}") if data is not None else own.get("tier", int(rule["tier"]))),
            "enabled": (f"enabled__{rule['id']}" in data) if data is not None else own.get("enabled", True),
            "thresholds": thresholds,
            "changed": bool(own),
        })
    return rows


def _parse(data) -> tuple[dict, list[str]]:
    """Posted form → policy rules; collects errors instead of raising on the first."""
    rules: dict[str, dict] = {}
    errors: list[str] = []
    for rule in content.load("tiering")["rules"]:
        rid = rule["id"]
        settings: dict = {"enabled": f"enabled__{rid}" in data}
        raw_tier = (data.get(f"tier__{rid}") or "").strip()
        if raw_tier not in {"1", "2", "3", "4"}:
            errors.append(_("%(rule)s: choose a tier from 1 to 4.") % {"rule": rid})
        else:
            settings["tier"] = int(raw_tier)
        for key in THRESHOLD_KEYS:
            if key in rule["when"]:
                raw = (data.get(f"{key}__{rid}") or "").strip().replace(".", "").replace(",", "")
                if not raw.isdigit() or int(raw) < 1:
                    errors.append(_("%(rule)s: the threshold must be a positive whole number.") % {"rule": rid})
                else:
                    settings[key] = int(raw)
        rules[rid] = settings
    return rules, errors


class TierPolicyView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def _render(self, request, policy, data=None, justification=None, errors=(), status=200):
        return render(request, "inventory/tier_policy.html", {
            "policy": policy,
            "rows": _rows(policy.rules if policy else {}, data, content_language()),
            "justification": justification if justification is not None else (policy.justification if policy else ""),
            "errors": errors,
            "rules_version": content.load("tiering")["version"],
        }, status=status)

    def get(self, request):
        return self._render(request, services.current_tier_policy())

    def post(self, request):
        roles.require(roles.DECIDE)
        policy = services.current_tier_policy()
        rules, errors = _parse(request.POST)
        justification = (request.POST.get("justification") or "").strip()
        if not errors:
            try:
                policy, changed = services.set_tier_policy(rules, justification)
            except ValidationError as exc:
                errors = [message for messages_ in exc.message_dict.values() for message in messages_]
            else:
                messages.success(request, _("Tier policy saved; %(count)d integration(s) changed tier.")
                                 % {"count": changed})
                return redirect("inventory:tier_policy")
        return self._render(request, policy, request.POST, justification, errors, status=400)

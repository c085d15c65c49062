"""``vendorvet tier INTEGRATION_ID``: an integration's criticality tier with every reason."""

from __future__ import annotations

import argparse
import json

from vendorvet.cli.options import add_format_argument
from vendorvet.cli.runtime import CLIError, acting_in_tenant, add_actor_arguments


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "tier", help="show an integration's criticality tier and why",
        description="Print the tier (1 critical … 4 low) computed from the integration's data categories, access "
        "scope, outage impact and reach, with every rule that raised it, and the checklist conditions that apply.")
    parser.add_argument("integration_id", type=int, metavar="INTEGRATION_ID")
    parser.add_argument("--language", choices=["en", "de"], default="en")
    add_format_argument(parser)
    add_actor_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from vendorvet.web.accounts import roles
        from vendorvet.web.assessments.services import integration_conditions
        from vendorvet.web.inventory.models import Integration

        roles.require(roles.VIEW)
        integration = Integration.objects.select_related("vendor").filter(pk=args.integration_id).first()
        if integration is None:
            raise CLIError(f"no integration {args.integration_id} in this tenant")
        result = integration.tier_result()
        conditions, _reasons = integration_conditions(integration)
        if args.format == "json":
            print(json.dumps({"integration": integration.pk, "name": integration.name, "tier": result.tier,
                              "rules_version": result.rules_version,
                              "reasons": [{"rule": r.rule_id, "tier": r.tier, "text": r.text[args.language]}
                                          for r in result.reasons],
                              "conditions": sorted(conditions)}, ensure_ascii=False, indent=2))
            return 0
        label = "Stufe" if args.language == "de" else "Tier"
        print(f"{integration.name} ({integration.vendor.name}): {label} {result.tier}")
        for line in result.explain(args.language):
            print(f"  - {line}")
        if not result.reasons:
            print("  - " + ("keine Regel hebt die Stufe an" if args.language == "de" else "no rule raised the tier"))
        print(("Bedingungen: " if args.language == "de" else "Conditions: ") + (", ".join(sorted(conditions)) or "—"))
        print(f"(rules {result.rules_version})")
    return 0

"""Microsoft Entra ID: Graph exports of servicePrincipals, oauth2PermissionGrants and app role assignments
(snapshots: what a complete listing no longer holds was revoked)."""

from vendorvet.engine.discovery.microsoft import parse_entra
from vendorvet.engine.discovery.source import DiscoverySource

SOURCE = DiscoverySource(
    id="entra",
    order=30,
    label={"en": "Microsoft Entra ID (Graph export)", "de": "Microsoft Entra ID (Graph-Export)"},
    help={
        "en": "Microsoft Entra ID: Microsoft Graph JSON of servicePrincipals, oauth2PermissionGrants and "
              "appRoleAssignedTo, all pages, in any order.",
        "de": "Microsoft Entra ID: Microsoft-Graph-JSON von servicePrincipals, oauth2PermissionGrants und "
              "appRoleAssignedTo, alle Seiten, in beliebiger Reihenfolge.",
    },
    file_kinds=("json",),
    parse=parse_entra,
)

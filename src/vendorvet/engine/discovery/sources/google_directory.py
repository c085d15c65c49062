"""Google Workspace Directory API: the tokens list of each user (``admin#directory#tokenList``)."""

from vendorvet.engine.discovery.google import parse_directory_tokens
from vendorvet.engine.discovery.source import DiscoverySource

SOURCE = DiscoverySource(
    id="google_directory",
    order=20,
    label={"en": "Google Workspace Directory API tokens", "de": "Google-Workspace-Directory-API-Tokens"},
    help={
        "en": "Google Workspace Directory API: the tokens list of each user.",
        "de": "Google Workspace Directory API: die Token-Liste jedes Nutzers.",
    },
    file_kinds=("json",),
    parse=parse_directory_tokens,
)

"""Proxy and DNS logs: hosts matched against the SaaS catalogue."""

from vendorvet.engine.discovery.proxy import parse_proxy_logs
from vendorvet.engine.discovery.source import DiscoverySource

SOURCE = DiscoverySource(
    id="proxy_log",
    order=40,
    label={"en": "Proxy or DNS log", "de": "Proxy- oder DNS-Protokoll"},
    help={
        "en": "Proxy or DNS logs: a squid access log, a CSV file with a host or URL column, or a plain list of "
              "domains.",
        "de": "Proxy- oder DNS-Protokolle: ein Squid-Access-Log, eine CSV-Datei mit einer Host- oder URL-Spalte "
              "oder eine einfache Domainliste.",
    },
    file_kinds=("log", "csv", "text"),
    parse=parse_proxy_logs,
)

"""Google Workspace token audit log (Reports API ``applications/token``, or the Admin console's CSV export)."""

from vendorvet.engine.discovery.google import parse_token_activity
from vendorvet.engine.discovery.source import DiscoverySource

SOURCE = DiscoverySource(
    id="google_tokens",
    order=10,
    label={"en": "Google Workspace token audit log", "de": "Google-Workspace-Token-Auditprotokoll"},
    help={
        "en": "Google Workspace token audit log: the Reports API response (applications/token; pages concatenated "
              "or one per line) or the Admin console CSV export (English or German headers).",
        "de": "Google-Workspace-Token-Auditprotokoll: die Antwort der Reports API (applications/token; Seiten "
              "aneinandergehängt oder eine pro Zeile) oder der CSV-Export der Admin-Konsole (englische oder "
              "deutsche Spaltenüberschriften).",
    },
    file_kinds=("json", "csv"),
    parse=parse_token_activity,
)

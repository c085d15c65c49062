"""Supply chain (checklist point 10): SBOM parsing and offline OSV vulnerability matching.

Pure Python, no Django: ``versions`` (ordering per ecosystem), ``osv`` (record evaluation
and severity), ``store`` (the offline SQLite index), ``match`` (components → findings),
``sbom`` (CycloneDX / SPDX parsing).
"""

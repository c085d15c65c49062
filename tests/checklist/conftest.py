"""Small inline checklist and framework documents, parsed with ``content.parse`` like shipped files."""

from __future__ import annotations

import textwrap

import pytest

from vendorvet import content
from vendorvet.engine.checklist import build_checklist, build_frameworks

FRAMEWORKS_YAML = textwrap.dedent("""\
    version: 'test'
    source: [https://eur-lex.europa.eu/eli/reg/2016/679/oj]
    frameworks:
      iso27001_2022:
        short: 'ISO/IEC 27001:2022'
        name: ISO/IEC 27001:2022 Annex A
        version: '2022'
        publisher: ISO/IEC
        url: https://www.iso.org/standard/27001
        citation: 'A.{control}'
        controls:
          '5.19': Information security in supplier relationships
          '8.24': Use of cryptography
      gdpr:
        short: GDPR
        name: General Data Protection Regulation (EU) 2016/679
        version: '2016/679'
        publisher: European Parliament and Council
        url: https://eur-lex.europa.eu/eli/reg/2016/679/oj
        citation: 'Art. {control}'
        controls:
          '28(3)': Processor contract
          '32(1)(a)': Pseudonymisation and encryption
    """)

# A worked example: one requirement each at points 1, 2, 5 and 9 and one legal item, at
# different depths. The lines are referenced by the defect tests, which edit one thing each.
CHECKLIST_YAML = textwrap.dedent("""\
    version: 'test-1'
    source:
      - https://eur-lex.europa.eu/eli/reg/2016/679/oj
    points:
      - {id: 1, title: {de: "Zertifikate", en: "Certifications"}}
      - {id: 2, title: {de: "Verschlüsselung", en: "Encryption"}}
      - {id: 5, title: {de: "Versionierung", en: "Versioning"}}
      - {id: 9, title: {de: "Ausfallsicherheit", en: "Resilience"}}
      - {id: legal, title: {de: "Recht", en: "Law"}}
    evidence_types:
      certificate: {de: "Zertifikat", en: "Certificate"}
      contract_clause: {de: "Vertragsklausel", en: "Contract clause"}
      automated_check: {de: "Automatische Prüfung", en: "Automated check"}
    conditions:
      personal_data: {de: "personenbezogene Daten", en: "personal data"}
    requirements:
      - id: cert.any
        point: 1
        max_tier: 4
        text: {de: "Zertifikat vorhanden", en: "Certificate on file"}
        guidance: {de: "Trust-Center prüfen", en: "Check the trust centre"}
        evidence_types: [certificate]
        check_ids: []
        mappings: {iso27001_2022: ['5.19']}
      - id: enc.tls
        point: 2
        max_tier: 4
        text: {de: "TLS 1.3 angeboten", en: "TLS 1.3 offered"}
        guidance: {de: "Automatisch geprüft", en: "Checked automatically"}
        evidence_types: [automated_check]
        check_ids: [tls.protocol.tls13]
        mappings: {iso27001_2022: ['8.24'], gdpr: ['32(1)(a)']}
      - id: lifecycle.notice
        point: 5
        max_tier: 3
        text: {de: "Abkündigungsfrist", en: "Deprecation notice"}
        guidance: {de: "Frist erfassen", en: "Record the period"}
        evidence_types: [contract_clause, automated_check]
        check_ids: [api.lifecycle.deprecation]
        mappings: {}
      - id: resilience.bcp
        point: 9
        max_tier: 1
        text: {de: "Notfallplan getestet", en: "Continuity plan tested"}
        guidance: {de: "Testbericht anfordern", en: "Ask for the test report"}
        evidence_types: [contract_clause]
        check_ids: []
        mappings: {}
      - id: legal.avv
        point: legal
        max_tier: 4
        applies_when: [personal_data]
        text: {de: "AVV geschlossen", en: "DPA signed"}
        guidance: {de: "Art. 28 DSGVO", en: "GDPR Art. 28"}
        evidence_types: [contract_clause]
        check_ids: []
        mappings: {gdpr: ['28(3)']}
    """)


@pytest.fixture
def frameworks():
    return build_frameworks(content.parse("frameworks", FRAMEWORKS_YAML))


@pytest.fixture
def build(frameworks):
    """build(yaml_text) -> Checklist, validated against the inline frameworks."""

    def _build(text: str = CHECKLIST_YAML):
        return build_checklist(content.parse("checklist", text), frameworks)

    return _build

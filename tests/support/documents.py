"""Generated vendor documents with known contents, for the document-reading tests and benchmark.

Every builder writes a file and returns the fields a reader must find (and nothing else). Layouts are modelled
on public certificates and reports: a centred certificate, a label/value table, a German certificate with an
annex page, a multi-page SOC 2 report with running headers and footers and test tables, a two-column German
report, letters, C5 reports, a DOCX certificate, an image-only scan and an unrelated document.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from fpdf import FPDF
from fpdf.enums import XPos, YPos

NEXT = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


class Doc(FPDF):
    def __init__(self, header_text: str = "", footer_text: str = ""):
        super().__init__(format="A4")
        self.core_fonts_encoding = "windows-1252"
        self.header_text, self.footer_text = header_text, footer_text
        self.set_auto_page_break(True, margin=22)
        self.set_font("Helvetica", size=10)

    def header(self):
        if self.header_text:
            self.set_font("Helvetica", size=8)
            self.set_xy(10, 8)
            self.cell(0, 5, self.header_text)
            self.set_xy(10, 20)
            self.set_font("Helvetica", size=10)

    def footer(self):
        if self.footer_text:
            self.set_y(-14)
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, f"{self.footer_text}    Page {self.page_no()} of {{nb}}", align="C")
            self.set_font("Helvetica", size=10)

    def line_(self, text: str = "", size: int = 10, style: str = "", align: str = "L", h: float = 5.5):
        self.set_font("Helvetica", style=style, size=size)
        self.multi_cell(0, h, text, align=align, **NEXT)
        self.set_font("Helvetica", size=10)

    def gap(self, h: float = 4):
        self.ln(h)

    def rows(self, rows: list[list[str]], widths: list[float], header: bool = False):
        for index, row in enumerate(rows):
            self.set_font("Helvetica", style="B" if header and index == 0 else "", size=9)
            y = self.get_y()
            if y > 260:
                self.add_page()
                y = self.get_y()
            x, height = 10, 6
            for cell, width in zip(row, widths):
                self.set_xy(x, y)
                self.multi_cell(width, 6, cell, border=1)
                height = max(height, self.get_y() - y)
                x += width
            self.set_xy(10, y + height)
        self.set_font("Helvetica", size=10)

    def columns(self, left: str, right: str):
        y = self.get_y()
        self.set_xy(10, y)
        self.multi_cell(88, 5, left)
        end = self.get_y()
        self.set_xy(112, y)
        self.multi_cell(88, 5, right)
        self.set_xy(10, max(end, self.get_y()) + 3)


@dataclass
class Sample:
    name: str
    kind: str
    expected: dict


# --- ISO/IEC 27001 ------------------------------------------------------------------------------------------

def iso_centred_en(path: Path) -> Sample:
    pdf = Doc()
    pdf.add_page()
    pdf.line_("CERTIFICATE", 26, "B", "C", 14)
    pdf.line_("Management System as per ISO/IEC 27001:2022", 13, "", "C", 8)
    pdf.gap(6)
    pdf.line_("This is to certify that", 11, "", "C")
    pdf.line_("Nordlicht Cloud Services GmbH", 15, "B", "C", 8)
    pdf.line_("Speicherstraße 12, 20457 Hamburg, Germany", 10, "", "C")
    pdf.gap(6)
    pdf.line_("has established and applies an information security management system for", 10, "", "C")
    pdf.gap(4)
    pdf.line_("Scope: Development, operation and support of the Nordlicht customer data platform, including "
              "hosting in two data centres in Frankfurt am Main and customer support services", 10, "", "C")
    pdf.line_("Statement of Applicability: Version 4.1 of 2025-02-03", 10, "", "C")
    pdf.gap(8)
    pdf.line_("Certificate No.: 12 310 54821 TMS", 10, "", "L")
    pdf.line_("Certification body: CertEuropa Zertifizierung GmbH", 10, "", "L")
    pdf.line_("Date of issue: 14 March 2025", 10, "", "L")
    pdf.line_("Valid until: 13 March 2028", 10, "", "L")
    pdf.line_("Accreditation body: DAkkS (D-ZM-11234-01-00)", 10, "", "L")
    pdf.output(str(path))
    return Sample(path.name, "iso27001_certificate", {
        "standard": "ISO/IEC 27001:2022", "certification_body": "CertEuropa Zertifizierung GmbH",
        "accreditation_body": "DAkkS (D-ZM-11234-01-00)", "certificate_number": "12 310 54821 TMS",
        "holder": "Nordlicht Cloud Services GmbH",
        "scope": "Development, operation and support of the Nordlicht customer data platform, including hosting "
                 "in two data centres in Frankfurt am Main and customer support services",
        "issue_date": "2025-03-14", "expiry_date": "2028-03-13"})


def iso_table_de(path: Path) -> Sample:
    pdf = Doc(footer_text="Zertifizierungsgesellschaft Süd mbH - Dieses Zertifikat bleibt Eigentum der Zertifizierungsstelle")
    pdf.add_page()
    pdf.line_("ZERTIFIKAT", 24, "B", "C", 12)
    pdf.line_("Informationssicherheits-Managementsystem nach ISO/IEC 27001:2013", 12, "", "C", 8)
    pdf.gap(4)
    pdf.line_("Hiermit wird bescheinigt, dass", 11, "", "C")
    pdf.line_("Bergmann Software AG", 15, "B", "C", 8)
    pdf.gap(6)
    pdf.rows([["Zertifikat-Nr.", "ISMS-2023-0417"],
              ["Geltungsbereich", "Entwicklung und Betrieb der Personalabrechnungssoftware LohnPlus als "
                                  "Software-as-a-Service"],
              ["Standorte", "München (Hauptsitz), Nürnberg"],
              ["Zertifizierungsstelle", "Zertifizierungsgesellschaft Süd mbH"],
              ["Ausstellungsdatum", "02.05.2023"],
              ["Gültig bis", "31.10.2025"]], [55, 135])
    pdf.gap(8)
    pdf.line_("Die Zertifizierungsstelle ist durch die DAkkS akkreditiert.", 9)
    pdf.output(str(path))
    return Sample(path.name, "iso27001_certificate", {
        "standard": "ISO/IEC 27001:2013", "certification_body": "Zertifizierungsgesellschaft Süd mbH",
        "accreditation_body": "DAkkS", "certificate_number": "ISMS-2023-0417", "holder": "Bergmann Software AG",
        "scope": "Entwicklung und Betrieb der Personalabrechnungssoftware LohnPlus als Software-as-a-Service",
        "issue_date": "2023-05-02", "expiry_date": "2025-10-31"})


def iso_annex_de(path: Path) -> Sample:
    """A German certificate with wording on the first page and an annex with sites; no accreditation named."""
    pdf = Doc(header_text="Zertifikat ISO/IEC 27001:2022 - Anlage", footer_text="QualiCert Deutschland GmbH")
    pdf.add_page()
    pdf.line_("Z E R T I F I K A T", 22, "B", "C", 12)
    pdf.line_("Die Zertifizierungsstelle der QualiCert Deutschland GmbH bescheinigt hiermit, dass", 10, "", "C")
    pdf.line_("Datenwerk Rhein-Main GmbH & Co. KG", 14, "B", "C", 8)
    pdf.line_("für den Geltungsbereich", 10, "", "C")
    pdf.line_("Geltungsbereich: Rechenzentrumsbetrieb, Managed Hosting und Backup-Dienste für Geschäftskunden", 10, "", "C")
    pdf.line_("ein Managementsystem nach ISO/IEC 27001:2022 eingeführt hat und anwendet.", 10, "", "C")
    pdf.gap(10)
    pdf.line_("Zertifikatsnummer: QC-27001-88120", 10)
    pdf.line_("Zertifizierungsstelle: QualiCert Deutschland GmbH", 10)
    pdf.line_("Gültig bis: 30. Juni 2027", 10)
    pdf.line_("Ausgestellt am: 1. Juli 2024", 10)
    for _ in range(2):
        pdf.add_page()
        pdf.line_("Standorte", 12, "B")
        pdf.rows([["Standort", "Tätigkeit"], ["Frankfurt am Main", "Rechenzentrum"], ["Mainz", "Verwaltung"]],
                 [60, 130], header=True)
    pdf.output(str(path))
    return Sample(path.name, "iso27001_certificate", {
        "standard": "ISO/IEC 27001:2022", "certification_body": "QualiCert Deutschland GmbH",
        "certificate_number": "QC-27001-88120", "holder": "Datenwerk Rhein-Main GmbH & Co. KG",
        "scope": "Rechenzentrumsbetrieb, Managed Hosting und Backup-Dienste für Geschäftskunden",
        "issue_date": "2024-07-01", "expiry_date": "2027-06-30"})


# --- SOC 2 --------------------------------------------------------------------------------------------------

def soc2_type2_en(path: Path, test_pages: int = 4, exceptions: tuple[str, ...] = ("CC3.2", "CC5.13")) -> Sample:
    pdf = Doc(header_text="Harborline Payments, Inc. - SOC 2 Type II Report - Confidential",
              footer_text="Proprietary and confidential")
    pdf.add_page()
    pdf.line_("SOC 2 Type II Report", 22, "B", "C", 12)
    pdf.line_("Report on Harborline Payments, Inc.'s Description of Its Payment Gateway System and on the "
              "Suitability of the Design and Operating Effectiveness of Its Controls Relevant to Security, "
              "Availability and Confidentiality", 11, "", "C")
    pdf.line_("Throughout the Period April 1, 2025 to March 31, 2026", 11, "", "C")
    pdf.add_page()
    pdf.line_("Section 1 Independent Service Auditor's Report", 13, "B")
    pdf.line_("To the Management of Harborline Payments, Inc.:")
    pdf.line_("Scope")
    pdf.line_("We have examined Harborline Payments, Inc.'s accompanying description of its payment gateway system "
              "found in Section 3 throughout the period April 1, 2025 to March 31, 2026, based on the criteria for "
              "a description of a service organization's system set forth in DC section 200, and the suitability of "
              "the design and operating effectiveness of controls stated in the description to provide reasonable "
              "assurance that the service commitments and system requirements were achieved based on the trust "
              "services criteria relevant to security, availability, and confidentiality set forth in TSP section "
              "100, 2017 Trust Services Criteria for Security, Availability, Processing Integrity, Confidentiality, "
              "and Privacy.")
    pdf.line_("Harborline uses Amazon Web Services, Inc. as a subservice organization for infrastructure hosting. "
              "The description excludes the controls of the subservice organizations (carve-out method).")
    pdf.line_("Opinion", 11, "B")
    pdf.line_("In our opinion, in all material respects, the description presents Harborline's system that was "
              "designed and implemented throughout the period April 1, 2025 to March 31, 2026, in accordance with "
              "the description criteria.")
    pdf.gap(4)
    pdf.line_("Brightwater & Cole LLP")
    pdf.line_("Boston, Massachusetts")
    pdf.line_("May 15, 2026")
    pdf.add_page()
    pdf.line_("Section 3 Description of the System", 13, "B")
    pdf.line_("Subservice Organizations", 11, "B")
    pdf.rows([["Subservice organization", "Services provided", "Method"],
              ["Amazon Web Services, Inc.", "Infrastructure hosting", "Carve-out"],
              ["Twilio Inc.", "SMS delivery", "Carve-out"],
              ["Cloudflare, Inc.", "Content delivery and DDoS protection", "Carve-out"]], [70, 80, 40], header=True)
    pdf.gap(4)
    pdf.line_("Complementary User Entity Controls", 11, "B")
    pdf.line_("User entities are responsible for managing their own user accounts and API credentials.")
    pdf.add_page()
    pdf.line_("Section 4 Trust Services Criteria, Controls, Tests and Results", 13, "B")
    rows = [["Control", "Control activity", "Test performed", "Result"]]
    number = 0
    for page in range(test_pages):
        for i in range(9):
            number += 1
            control = f"CC{(number % 9) + 1}.{number}"
            result = "Exception noted." if control in exceptions else "No exceptions noted."
            rows.append([control, f"Access to production systems is reviewed quarterly (activity {number}).",
                         "Inspected the quarterly review for a sample of quarters.", result])
    hit = [c for c in exceptions if any(r[0] == c for r in rows)]
    pdf.rows(rows, [20, 70, 65, 35], header=True)
    pdf.output(str(path))
    return Sample(path.name, "soc2_report", {
        "report_type": "Type 2", "period_start": "2025-04-01", "period_end": "2026-03-31", "opinion": "unmodified",
        "exceptions": len(hit), "service_auditor": "Brightwater & Cole LLP",
        "service_organization": "Harborline Payments, Inc.",
        "subservice_organizations": ["Amazon Web Services, Inc.", "Twilio Inc.", "Cloudflare, Inc."],
        "trust_services_criteria": ["security", "availability", "confidentiality"]})


def soc2_type2_de_columns(path: Path) -> Sample:
    pdf = Doc(header_text="Vertraulich - SOC 2 Typ 2 Bericht der Wolkenwerk AG",
              footer_text="Wolkenwerk AG")
    pdf.add_page()
    pdf.line_("SOC 2 Typ 2 Bericht", 20, "B", "C", 12)
    pdf.line_("Bericht über die Eignung und Wirksamkeit der Kontrollen der Wolkenwerk AG", 11, "", "C")
    pdf.line_("für den Zeitraum vom 01.01.2025 bis 31.12.2025", 11, "", "C")
    pdf.add_page()
    pdf.line_("Abschnitt 1 Bericht des unabhängigen Prüfers", 13, "B")
    pdf.line_("An die Geschäftsführung der Wolkenwerk AG")
    pdf.columns(
        "Wir haben die Beschreibung des Systems der Wolkenwerk AG sowie die Eignung und Wirksamkeit der "
        "Kontrollen geprüft, die nach den Vertrauensdienstekriterien Sicherheit und Verfügbarkeit relevant sind. "
        "Die Prüfung umfasste den Zeitraum vom 01.01.2025 bis 31.12.2025 und wurde nach ISAE 3000 durchgeführt. "
        "Die Wolkenwerk AG setzt Subdienstleister ein, deren Kontrollen nicht Gegenstand der Prüfung waren.",
        "Eingeschränktes Prüfungsurteil: Mit Ausnahme der Auswirkungen des im folgenden Absatz beschriebenen "
        "Sachverhalts waren die Kontrollen nach unserer Beurteilung in allen wesentlichen Belangen geeignet und "
        "wirksam. Bei der Kontrolle zur Rücknahme von Zugriffsrechten wurden in zwei von 25 Stichproben "
        "Zugriffsrechte nicht fristgerecht entzogen.")
    pdf.line_("Stuttgart, 20. Februar 2026")
    pdf.line_("Keller Lindner Wirtschaftsprüfungsgesellschaft")
    pdf.add_page()
    pdf.line_("Subdienstleister", 11, "B")
    pdf.line_("• Hetzner Online GmbH - Rechenzentrumsbetrieb")
    pdf.line_("• Mailjet SAS - E-Mail-Versand")
    pdf.line_("Ergebnisse der Prüfungshandlungen", 11, "B")
    pdf.rows([["Kontrolle", "Prüfungshandlung", "Ergebnis"],
              ["CC6.1", "Einsicht in die Berechtigungskonzepte", "Keine Abweichungen festgestellt."],
              ["CC6.3", "Stichprobe von 25 Austritten", "Abweichung festgestellt (2 von 25)."],
              ["CC7.2", "Einsicht in Überwachungsalarme", "Keine Abweichungen festgestellt."]], [30, 100, 60], True)
    pdf.output(str(path))
    return Sample(path.name, "soc2_report", {
        "report_type": "Type 2", "period_start": "2025-01-01", "period_end": "2025-12-31", "opinion": "qualified",
        "exceptions": 1, "service_auditor": "Keller Lindner Wirtschaftsprüfungsgesellschaft",
        "service_organization": "Wolkenwerk AG", "subservice_organizations": ["Hetzner Online GmbH", "Mailjet SAS"],
        "trust_services_criteria": ["security", "availability"]})


def soc2_type1_en(path: Path) -> Sample:
    pdf = Doc(footer_text="Pinecrest Analytics Ltd - SOC 2 Type 1")
    pdf.add_page()
    pdf.line_("System and Organization Controls (SOC 2) Type 1 Report", 18, "B", "C", 10)
    pdf.line_("Pinecrest Analytics Ltd", 14, "", "C", 8)
    pdf.line_("Relevant to Security as of September 30, 2025", 11, "", "C")
    pdf.add_page()
    pdf.line_("Independent Service Auditor's Report", 13, "B")
    pdf.line_("To the Management of Pinecrest Analytics Ltd")
    pdf.line_("We have examined the description of the analytics platform and the suitability of the design of "
              "controls relevant to the trust services criteria for security as of September 30, 2025.")
    pdf.line_("Basis for Adverse Opinion", 11, "B")
    pdf.line_("Because of the significance of the matters described, the controls were not suitably designed. "
              "Adverse opinion: in our opinion, the description does not present the system fairly.")
    pdf.gap(3)
    pdf.line_("Ashford Reid LLP")
    pdf.output(str(path))
    return Sample(path.name, "soc2_report", {
        "report_type": "Type 1", "period_start": "2025-09-30", "period_end": "2025-09-30", "opinion": "adverse",
        "service_auditor": "Ashford Reid LLP", "service_organization": "Pinecrest Analytics Ltd",
        "trust_services_criteria": ["security"]})


def soc2_disclaimer_en(path: Path) -> Sample:
    """A Type II report whose auditor disclaims an opinion; it names no subservice organizations and no test
    results, so those fields must stay absent."""
    pdf = Doc(header_text="Quillfeather Labs LLC | SOC 2 Type II", footer_text="Restricted use")
    pdf.add_page()
    pdf.line_("SOC 2 Type II Report", 20, "B", "C", 12)
    pdf.rows([["Service organization", "Quillfeather Labs LLC"], ["Service auditor", "Marlow Grant LLP"],
              ["Review period", "1 July 2024 to 30 June 2025"]], [60, 130])
    pdf.add_page()
    pdf.line_("Independent Service Auditor's Report", 13, "B")
    pdf.line_("Basis for Disclaimer of Opinion", 11, "B")
    pdf.line_("Management did not provide the evidence we requested. Because of the significance of the matter, "
              "we do not express an opinion on the description or on the controls.")
    pdf.line_("The report covers controls relevant to the trust services criteria for security and privacy.")
    for _ in range(2):
        pdf.add_page()
        pdf.line_("Description of the system: customer onboarding, identity verification and case handling.")
    pdf.output(str(path))
    return Sample(path.name, "soc2_report", {
        "report_type": "Type 2", "period_start": "2024-07-01", "period_end": "2025-06-30", "opinion": "disclaimer",
        "service_auditor": "Marlow Grant LLP", "service_organization": "Quillfeather Labs LLC",
        "trust_services_criteria": ["security", "privacy"]})


# --- bridge letters -----------------------------------------------------------------------------------------

def bridge_en(path: Path) -> Sample:
    pdf = Doc()
    pdf.add_page()
    pdf.line_("Harborline Payments, Inc.", 14, "B")
    pdf.line_("200 Atlantic Avenue, Boston, MA 02110")
    pdf.gap(6)
    pdf.line_("SOC 2 Bridge Letter", 16, "B")
    pdf.line_("June 30, 2026")
    pdf.line_("Harborline's most recent SOC 2 Type II report covered the period April 1, 2025 through March 31, "
              "2026. This bridge letter covers the period from April 1, 2026 through June 30, 2026 (the bridge "
              "period).")
    pdf.line_("During the bridge period there have been no material changes to the system of internal control.")
    pdf.line_("Sincerely, on behalf of Harborline Payments, Inc.")
    pdf.line_("Dana Whitfield, Chief Information Security Officer")
    pdf.output(str(path))
    return Sample(path.name, "soc2_bridge_letter", {
        "period_start": "2026-04-01", "period_end": "2026-06-30", "service_organization": "Harborline Payments, Inc."})


def bridge_de(path: Path) -> Sample:
    pdf = Doc(footer_text="Wolkenwerk AG - Sitz Stuttgart - HRB 123456")
    pdf.add_page()
    pdf.line_("Überbrückungsschreiben (Bridge Letter) zum SOC 2 Typ 2 Bericht", 14, "B")
    pdf.rows([["Unternehmen", "Wolkenwerk AG"], ["Letzter Bericht", "01.01.2025 bis 31.12.2025"],
              ["Überbrückungszeitraum", "01.01.2026 bis 31.03.2026"]], [60, 130])
    pdf.gap(4)
    pdf.line_("Die Geschäftsführung der Wolkenwerk AG bestätigt, dass im Überbrückungszeitraum keine wesentlichen "
              "Änderungen am internen Kontrollsystem vorgenommen wurden.")
    pdf.output(str(path))
    return Sample(path.name, "soc2_bridge_letter", {
        "period_start": "2026-01-01", "period_end": "2026-03-31", "service_organization": "Wolkenwerk AG"})


# --- BSI C5 -------------------------------------------------------------------------------------------------

def c5_type2_de(path: Path) -> Sample:
    pdf = Doc(header_text="C5-Testat Typ 2 - Himmelsleiter Cloud SE", footer_text="Nur für Kunden der Himmelsleiter Cloud SE")
    pdf.add_page()
    pdf.line_("Bericht über die Prüfung nach dem Kriterienkatalog Cloud Computing (C5:2020) des BSI", 16, "B", "C", 9)
    pdf.line_("C5 Typ 2 Testat", 13, "", "C")
    pdf.rows([["Cloud-Anbieter", "Himmelsleiter Cloud SE"],
              ["Prüfzeitraum", "01.10.2024 bis 30.09.2025"],
              ["Kriterien", "Basiskriterien und Zusatzkriterien"],
              ["Prüfer", "Rautenberg & Vogt GmbH Wirtschaftsprüfungsgesellschaft"]], [50, 140])
    pdf.add_page()
    pdf.line_("Prüfungsurteil", 12, "B")
    pdf.line_("Nach unserer Beurteilung waren die Kontrollen im Prüfzeitraum in allen wesentlichen Belangen wirksam.")
    pdf.output(str(path))
    return Sample(path.name, "c5_attestation", {
        "type": "Type 2", "period_start": "2024-10-01", "period_end": "2025-09-30",
        "service_organization": "Himmelsleiter Cloud SE",
        "auditor": "Rautenberg & Vogt GmbH Wirtschaftsprüfungsgesellschaft"})


def c5_type1_en(path: Path) -> Sample:
    pdf = Doc()
    pdf.add_page()
    pdf.line_("BSI C5 Type 1 Attestation Report", 18, "B", "C", 10)
    pdf.line_("Cloud Computing Compliance Criteria Catalogue (C5:2020)", 11, "", "C")
    pdf.line_("To the management of Skyforge Data B.V.")
    pdf.line_("We have examined the suitability of the design of controls as of 31 March 2025.")
    pdf.line_("In our opinion, in all material respects, the controls were suitably designed.")
    pdf.gap(3)
    pdf.line_("Vermeulen Audit B.V.")
    pdf.output(str(path))
    return Sample(path.name, "c5_attestation", {
        "type": "Type 1", "period_start": "2025-03-31", "period_end": "2025-03-31",
        "service_organization": "Skyforge Data B.V.", "auditor": "Vermeulen Audit B.V."})


# --- DOCX, image-only, unrelated ----------------------------------------------------------------------------

def _docx(path: Path, blocks: list) -> None:
    body = []
    for block in blocks:
        if isinstance(block, str):
            body.append(f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(block)}</w:t></w:r></w:p>")
        elif block is None:
            body.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        else:
            rows = "".join("<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{escape(c)}</w:t></w:r></w:p></w:tc>" for c in row)
                           + "</w:tr>" for row in block)
            body.append(f"<w:tbl>{rows}</w:tbl>")
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.'
                'openxmlformats.org/wordprocessingml/2006/main"><w:body>' + "".join(body) + "</w:body></w:document>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org'
                         '/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                         '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                         'officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("word/document.xml", document)


def iso_docx_de(path: Path) -> Sample:
    _docx(path, ["ZERTIFIKAT", "ISO/IEC 27001:2022", "Hiermit wird bescheinigt, dass", "Lagerfeld Logistik IT GmbH",
                 [["Zertifikatsnummer", "LL-ISMS-7781"], ["Geltungsbereich", "IT-Betrieb der Lagerverwaltungssysteme"],
                  ["Zertifizierungsstelle", "Nordcert GmbH"], ["Akkreditierungsstelle", "DAkkS"],
                  ["Ausstellungsdatum", "15.01.2026"], ["Gültig bis", "14.01.2029"]],
                 None, "Anlage: Standorte", "Bremen"])
    return Sample(path.name, "iso27001_certificate", {
        "standard": "ISO/IEC 27001:2022", "holder": "Lagerfeld Logistik IT GmbH", "certificate_number": "LL-ISMS-7781",
        "scope": "IT-Betrieb der Lagerverwaltungssysteme", "certification_body": "Nordcert GmbH",
        "accreditation_body": "DAkkS", "issue_date": "2026-01-15", "expiry_date": "2029-01-14"})


def image_only(path: Path) -> Sample:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    draw.text((200, 200), "CERTIFICATE ISO/IEC 27001:2022  Valid until 2027-01-01", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = Doc()
    pdf.add_page()
    pdf.image(buffer, x=0, y=0, w=210, h=297)
    pdf.output(str(path))
    return Sample(path.name, "unknown", {})


def unrelated(path: Path) -> Sample:
    pdf = Doc()
    pdf.add_page()
    pdf.line_("Rechnung Nr. 2025-114", 16, "B")
    pdf.line_("Leistungszeitraum: 01.11.2025 bis 30.11.2025")
    pdf.line_("Betrag: 1.190,00 EUR")
    pdf.output(str(path))
    return Sample(path.name, "unknown", {})


BUILDERS = {
    "iso_centred_en.pdf": iso_centred_en, "iso_table_de.pdf": iso_table_de, "iso_annex_de.pdf": iso_annex_de,
    "iso_de.docx": iso_docx_de, "soc2_type2_en.pdf": soc2_type2_en, "soc2_type2_de_columns.pdf": soc2_type2_de_columns,
    "soc2_type1_en.pdf": soc2_type1_en, "soc2_disclaimer_en.pdf": soc2_disclaimer_en, "bridge_en.pdf": bridge_en, "bridge_de.pdf": bridge_de,
    "c5_type2_de.pdf": c5_type2_de, "c5_type1_en.pdf": c5_type1_en, "image_only.pdf": image_only,
    "unrelated.pdf": unrelated,
}


def build_all(directory: Path) -> list[Sample]:
    directory.mkdir(parents=True, exist_ok=True)
    return [builder(directory / name) for name, builder in BUILDERS.items()]


def score(samples: list[Sample], results: dict[str, dict]) -> dict:
    """Fields right / fields expected, and every invented (unexpected) or wrong field, per document."""
    right = expected = 0
    invented, wrong, kinds = [], [], []
    for sample in samples:
        result = results[sample.name]
        if result["kind"] != sample.kind:
            kinds.append((sample.name, result["kind"], sample.kind))
        for name, value in sample.expected.items():
            expected += 1
            got = result["fields"].get(name, {}).get("value")
            if got == value:
                right += 1
            else:
                wrong.append((sample.name, name, got, value))
        invented += [(sample.name, name) for name in result["fields"] if name not in sample.expected]
    return {"right": right, "expected": expected, "invented": invented, "wrong": wrong, "kinds": kinds}

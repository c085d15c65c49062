"""ISO/IEC 27001 certificate (English and German)."""

from __future__ import annotations

import re

from vendorvet.engine.documents.rules import Hit, first, labelled, labelled_date, lines
from vendorvet.engine.documents.text import Page

KIND = "iso27001_certificate"
ACCREDITATION_BODIES = ["DAkkS", "UKAS", "ANAB", "COFRAC", "ENAC", "ACCREDIA", "SAS", "RvA", "IAS", "JAS-ANZ",
                        "Akkreditierung Austria", "BELAC", "DANAK"]
SCOPE_LABELS = [r"Scope(?: of (?:certification|registration))?", r"Geltungsbereich", r"Anwendungsbereich"]
# A line starting like this ends the scope text (another field of the certificate begins).
FIELD_START = re.compile(
    r"^(certificate|zertifikat|certification body|zertifizierungsstelle|accredit|akkredit|valid|gültig|"
    r"issue|date|datum|ausstellungs|erstzertifizierung|initial|statement of applicability|erklärung zur|"
    r"sites?\b|standort|registr|this certificate|dieses zertifikat|page|seite)", re.IGNORECASE)
# Certificate wording that follows the scope on the same page is not part of it.
BOILERPLATE = re.compile(r"managementsystem|management system|eingeführt|has (?:established|implemented)|anwendet|"
                         r"ISO\s*/?\s*IEC\s+27001", re.IGNORECASE)


def standard(pages: list[Page]) -> Hit | None:
    return first(pages, r"ISO\s*/?\s*IEC\s+27001\s*:\s*(20(?:13|22))|ISO\s+27001\s*:\s*(20(?:13|22))",
                 pick=lambda m: f"ISO/IEC 27001:{m.group(1) or m.group(2)}")


def scope(pages: list[Page]) -> Hit | None:
    label_re = re.compile(r"(?:^|\|\s*)(?:" + "|".join(SCOPE_LABELS) + r")\s*[:|]?\s*", re.IGNORECASE)
    for page in pages:
        for index, line in enumerate(page.lines):
            m = label_re.match(line) or (label_re.search(line) if "|" in line else None)
            if not m:
                continue
            parts = [line[m.end():].strip(" :|")] if line[m.end():].strip(" :|") else []
            source = [line]
            for following in page.lines[index + 1:index + 8]:
                if (not following.strip() or FIELD_START.match(following) or BOILERPLATE.search(following)
                        or " | " in following):
                    break
                parts.append(following.strip())
                source.append(following)
            text = " ".join(p for p in parts if p)
            if len(text) >= 10:
                return Hit(text, page.number, "\n".join(source))
    return None


def holder(pages: list[Page]) -> Hit | None:
    intro = re.compile(r"(this is to certify that|hiermit wird (?:bescheinigt|bestätigt),? dass|"
                       r"we hereby certify that|bescheinigt hiermit,? dass)\s*(?:the organi[sz]ation)?\s*:?\s*(.*)",
                       re.IGNORECASE)
    for page in pages:
        for index, line in enumerate(page.lines):
            m = intro.search(line)
            if not m:
                continue
            name = m.group(2).strip()
            source = line
            if not name and index + 1 < len(page.lines):
                name, source = page.lines[index + 1].strip(), f"{line}\n{page.lines[index + 1]}"
            if name:
                return Hit(name.rstrip(","), page.number, source)
    return labelled(pages, [r"Certificate holder", r"Zertifikatsinhaber(?:in)?", r"Inhaber(?:in)?",
                            r"Organi[sz]ation", r"Holder"])


def accreditation_body(pages: list[Page]) -> Hit | None:
    hit = labelled(pages, [r"Accreditation body", r"Akkreditierungsstelle", r"Accredited by", r"akkreditiert (?:durch|von)"])
    if hit:
        return hit
    known = re.compile(r"\b(" + "|".join(re.escape(b) for b in ACCREDITATION_BODIES if b != "SAS") + r")\b")
    for number, _i, line in lines(pages):
        if re.search(r"accredit|akkredit", line, re.IGNORECASE) and (m := known.search(line)):
            return Hit(m.group(1), number, line)
    return None


def extract(pages: list[Page]) -> tuple[dict[str, Hit], list[str]]:
    fields = {
        "standard": standard(pages),
        "certification_body": labelled(pages, [r"Certification body", r"Zertifizierungsstelle",
                                               r"Certified by", r"Zertifiziert durch"]),
        "accreditation_body": accreditation_body(pages),
        "certificate_number": labelled(pages, [r"Certificate (?:No\.?|number|registration number)",
                                               r"Zertifikat(?:s)?[- ]?(?:Nr\.?|nummer|Registrier-Nr\.?)",
                                               r"Registration (?:No\.?|number)", r"Registrier(?:nummer|-Nr\.?)"],
                                       value=r"[A-Z0-9][A-Z0-9/\-. ]*[A-Z0-9]"),
        "holder": holder(pages),
        "scope": scope(pages),
        "issue_date": labelled_date(pages, [r"Issue date", r"Date of issue", r"Issued on", r"Ausstellungsdatum",
                                            r"Ausgestellt am", r"Datum der Ausstellung"]),
        "expiry_date": labelled_date(pages, [r"Valid until", r"Expiry date", r"Expiration date", r"Valid through",
                                             r"gültig bis", r"Ablaufdatum", r"Gültigkeit bis"]),
    }
    fields = {name: hit for name, hit in fields.items() if hit}
    notes = []
    if "standard" in fields and fields["standard"].value.endswith(":2013"):
        notes.append("ISO/IEC 27001:2013: the transition period to the 2022 version ended on 2025-10-31; "
                     "a 2013 certificate is no longer valid after that date.")
    return fields, notes

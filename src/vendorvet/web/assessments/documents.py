"""Reading uploaded certificates and reports into suggestions for the certification register.

``read_upload`` runs the engine reader (:mod:`vendorvet.engine.documents`) inline on a size-capped PDF or DOCX and
stores the file with its reading only when the document was recognised; a file without a text layer, an
unrecognised or a malformed file raises ``ValidationError`` and nothing is stored. ``confirm`` takes over the
fields the reviewer ticked (corrected values allowed) into a register entry — nothing becomes a fact before.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vendorvet.engine import documents as reader
from vendorvet.engine.documents.text import read_file
from vendorvet.web.accounts import roles
from vendorvet.web.assessments import evidence as evidence_rules
from vendorvet.web.assessments.models import Certification, CertificationKind, evidence_storage
from vendorvet.web.assessments.models_documents import CertificationDocument, DocumentState
from vendorvet.web.core import uploads
from vendorvet.web.core.context import require_actor, require_tenant

MAX_BYTES = 20 * 1024 * 1024
EXTENSIONS = ("pdf", "docx")
ISO_2013_END = dt.date(2025, 10, 31)

KIND_MAP = {"iso27001_certificate": CertificationKind.ISO27001, "soc2_report": CertificationKind.SOC2_TYPE2,
            "c5_attestation": CertificationKind.BSI_C5}
# engine field -> register field, per document kind
FIELD_MAP = {
    "iso27001_certificate": {"standard": "standard", "certification_body": "issuer",
                             "certificate_number": "certificate_number", "holder": "holder", "scope": "scope",
                             "issue_date": "valid_from", "expiry_date": "valid_until"},
    "soc2_report": {"report_type": "standard", "service_auditor": "issuer", "service_organization": "holder",
                    "period_start": "valid_from", "period_end": "period_end"},
    "soc2_bridge_letter": {"period_end": "bridge_letter_until"},
    "c5_attestation": {"type": "standard", "auditor": "issuer", "service_organization": "holder",
                       "period_start": "valid_from", "period_end": "period_end",
                       "valid_until": "valid_until"},  # not stated in an attestation: the reviewer enters it
}
DATE_FIELDS = {"valid_from", "valid_until", "period_end", "bridge_letter_until"}
CUEC_HEAD = re.compile(r"complementary user[- ]entity controls|komplementäre kontrollen|CUECs?\b", re.IGNORECASE)
CUEC_STOP = re.compile(r"^\s*(section|abschnitt|teil)\s+\d|^\s*\d+(\.\d+)*\s+[A-ZÄÖÜ]", re.IGNORECASE)
CUEC_SPLIT = re.compile(r"(?<=\.)\s+(?=[A-ZÄÖÜ])|\s+(?=[-•*]\s)|\s+(?=CUEC[- ]?\d)")
CUEC_BULLET = re.compile(r"^(?:[-•*]|\d+[.)]|CUEC[- ]?\d+:?)\s*")


def field_labels() -> dict:
    return {"standard": _("Standard"), "certification_body": _("Certification body"),
            "accreditation_body": _("Accreditation body"), "certificate_number": _("Certificate number"),
            "holder": _("Holder"), "scope": _("Scope"), "issue_date": _("Valid from"),
            "expiry_date": _("Valid until"), "report_type": _("Report type"), "period_start": _("Period start"),
            "period_end": _("Period end"), "opinion": _("Opinion"), "exceptions": _("Exceptions noted"),
            "service_auditor": _("Service auditor"), "service_organization": _("Service organisation"),
            "subservice_organizations": _("Subservice organisations"),
            "trust_services_criteria": _("Trust services criteria"), "type": _("Type"), "auditor": _("Auditor"),
            "valid_until": _("Valid until")}


FIELD_ORDER = ("standard", "report_type", "type", "certificate_number", "certification_body", "accreditation_body",
               "service_auditor", "auditor", "holder", "service_organization", "scope", "issue_date", "expiry_date",
               "period_start", "period_end", "valid_until", "opinion", "exceptions", "trust_services_criteria",
               "subservice_organizations")


def ordered(fields: dict) -> list[tuple[str, dict]]:
    """The fields read in a fixed order (a JSON column need not keep the order of its keys)."""
    rank = {name: i for i, name in enumerate(FIELD_ORDER)}
    return sorted(fields.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))


def kind_label(kind: str) -> str:
    return {"iso27001_certificate": _("ISO/IEC 27001 certificate"), "soc2_report": _("SOC 2 report"),
            "soc2_bridge_letter": _("SOC 2 bridge letter"), "c5_attestation": _("BSI C5 attestation")}.get(
        kind, _("unknown document"))


def _cuecs(pages) -> list[str]:
    """The controls listed under a 'complementary user entity controls' heading: bullets, numbers or sentences."""
    found: list[str] = []
    for page in pages:
        inside, block = False, []
        for line in page.lines:
            if CUEC_HEAD.search(line):
                inside, block = True, []
                continue
            if inside and CUEC_STOP.match(line):
                break
            if inside and line.strip():
                block.append(line.strip())
        for item in CUEC_SPLIT.split(" ".join(block)):
            item = CUEC_BULLET.sub("", item).strip()
            if len(item) >= 12:
                found.append(item)
    return list(dict.fromkeys(found))[:50]


def warnings(reading: dict, today: dt.date | None = None) -> list[str]:
    """The reviewer's warnings, in the reader's language, from the fields read."""
    today = today or timezone.localdate()
    fields = {k: v.get("value") for k, v in reading.get("fields", {}).items()}
    out = []
    if str(fields.get("standard", "")).endswith(":2013"):
        out.append(_("ISO/IEC 27001:2013 certificate: the transition to the 2022 edition ended on 31 October 2025; "
                     "certificates to the 2013 edition are no longer valid."))
    end = fields.get("period_end")
    if reading.get("kind") == "soc2_report" and end:
        if (today - dt.date.fromisoformat(end)).days > 365:
            out.append(_("The report period ended on %(date)s, more than 12 months ago: ask for a current report "
                         "or a bridge letter.") % {"date": end})
    if reading.get("kind") == "soc2_report" and fields.get("report_type") == "Type 1":
        out.append(_("A SOC 2 Type 1 report tests design at one date only; the checklist asks for Type 2."))
    opinion = fields.get("opinion")
    if opinion in ("qualified", "adverse", "disclaimer"):
        out.append({"qualified": _("The auditor's opinion is qualified."),
                    "adverse": _("The auditor's opinion is adverse."),
                    "disclaimer": _("The auditor disclaimed an opinion.")}[opinion])
    if isinstance(fields.get("exceptions"), int) and fields["exceptions"] > 0:
        out.append(_("Exceptions noted in the tests of controls: %(n)s.") % {"n": fields["exceptions"]})
    return out


def _rules() -> uploads.UploadRules:
    return uploads.UploadRules(EXTENSIONS, MAX_BYTES, default_name="document")


def read_upload(vendor, upload, today: dt.date | None = None) -> CertificationDocument:
    """Read the uploaded file; store it with its reading only if it was recognised."""
    roles.require(roles.CHANGE)
    name, content_type = uploads.validate_upload(upload, _rules())
    with tempfile.NamedTemporaryFile(suffix="." + uploads.extension(name)) as handle:
        upload.seek(0)
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        try:
            extracted = read_file(handle.name)
            reading = reader.extract_fields(extracted, today=today)
        except reader.DocumentError as exc:
            raise ValidationError(_("The file could not be read: %(reason)s.") % {"reason": str(exc)}) from None
        except Exception:  # a malformed or hostile file: say so, store nothing
            raise ValidationError(_("The file could not be read: it is damaged or not a valid PDF or DOCX "
                                    "file.")) from None
    if not extracted.has_text:
        raise ValidationError(_("The document has no text layer (a scanned or image-only file); nothing was read "
                                "and nothing was stored. Enter the certificate by hand."))
    if reading["kind"] == "unknown":
        raise ValidationError(_("The document was not recognised as an ISO/IEC 27001 certificate, SOC 2 report, "
                                "bridge letter or BSI C5 attestation; nothing was stored."))
    if reading["kind"] == "soc2_report":
        reading["cuecs"] = _cuecs(extracted.pages)
    digest = evidence_rules.sha256_of(upload)
    storage = evidence_storage()
    stored = storage.save(evidence_rules.storage_name(require_tenant().pk), upload)
    try:
        with transaction.atomic():
            doc = CertificationDocument(vendor=vendor, original_name=name, content_type=content_type,
                                        size=upload.size, sha256=digest, kind=reading["kind"], reading=reading,
                                        tenant=vendor.tenant)
            doc.file.name = stored
            doc.full_clean(exclude=["file"])
            doc.save()
    except Exception:
        storage.delete(stored)
        raise
    return doc


def _parse(register_field: str, value):
    if value in (None, ""):
        return None if register_field in DATE_FIELDS else ""
    if register_field in DATE_FIELDS:
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError({register_field: _("Enter a date as YYYY-MM-DD.")}) from None
    return str(value).strip()


def _target(doc: CertificationDocument, number: str) -> Certification:
    if doc.certification_id:
        return doc.certification
    if doc.kind == "soc2_bridge_letter":
        cert = Certification.objects.filter(vendor=doc.vendor, kind=CertificationKind.SOC2_TYPE2).order_by(
            "-period_end", "-pk").first()
        if cert is None:
            raise ValidationError(_("A bridge letter extends a SOC 2 Type II report: add the report first."))
        return cert
    kind = KIND_MAP[doc.kind]
    existing = Certification.objects.filter(vendor=doc.vendor, kind=kind)
    if number:
        existing = existing.filter(certificate_number=number)
    found = existing.order_by("-pk").first() if number else None
    return found or Certification(vendor=doc.vendor, kind=kind, tenant=doc.vendor.tenant)


@transaction.atomic
def confirm(doc: CertificationDocument, taken: dict, user, subservice: list | None = None,
            cuecs: list | None = None, today: dt.date | None = None) -> Certification:
    """Take over the ``taken`` fields ({engine field: value as confirmed}) into the register entry.

    A value that differs from the reading is marked as corrected; the page and text stay those of the reading.
    Without a ``user`` (the demo loader) the active actor's label names who confirmed.
    """
    roles.require(roles.CHANGE)
    doc = CertificationDocument.objects.select_for_update().get(pk=doc.pk)
    if doc.state == DocumentState.CONFIRMED:
        raise ValidationError(_("This document has already been confirmed."))
    mapping = FIELD_MAP[doc.kind]
    read = doc.reading.get("fields", {})
    taken = {k: v for k, v in taken.items() if k in mapping and str(v or "").strip()}
    if not taken:
        raise ValidationError(_("Tick at least one field to take over."))
    number = str(taken.get("certificate_number", "")).strip()
    cert = _target(doc, number)
    creating = cert.pk is None
    record = {}
    for name, value in taken.items():
        register_field = mapping[name]
        parsed = _parse(register_field, value)
        if register_field == "standard" and doc.kind == "soc2_report":
            parsed = f"SOC 2 {parsed}"
        elif register_field == "standard" and doc.kind == "c5_attestation":
            parsed = f"BSI C5 {parsed}"
        setattr(cert, register_field, parsed)
        source = read.get(name) or {}
        record[name] = {"value": str(value).strip(), "page": source.get("page"), "text": source.get("text", ""),
                        "corrected": str(source.get("value", "")) != str(value).strip()}
    cert.full_clean()
    cert.save()
    doc.certification = cert
    doc.state = DocumentState.CONFIRMED
    doc.confirmed = {"fields": record, "subservice_organizations": [str(s)[:300] for s in (subservice or [])],
                     "cuecs": [str(c)[:500] for c in (cuecs or [])], "created_entry": creating}
    doc.confirmed_by = user
    label = (user.get_full_name() or user.get_username()) if user is not None else require_actor().label
    doc.confirmed_by_label = label[:150]
    doc.confirmed_on = today or timezone.localdate()
    doc.save()
    return cert

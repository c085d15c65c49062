"""``vendorvet report audit-pack|management|ropa-pdf|tia-pdf``: the PDF documents (and the audit pack's ZIP).

Needs the export permission of the acting user in the tenant — the same rule as the web's download buttons.
Files are written atomically (a ``.part`` file renamed when complete)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys

from vendorvet.cli.options import add_command, add_group
from vendorvet.cli.runtime import CLIError, acting_in_tenant, add_actor_arguments


def register(subparsers) -> None:
    actions = add_group(subparsers, "report", help="PDF documents: audit pack, management report, Art. 30 register, TIA")
    add_command(actions, "audit-pack", _audit_pack, help="the audit pack of one integration (PDF, or ZIP with --zip)")
    add_command(actions, "management", _management, help="the tenant's management report (PDF)")
    add_command(actions, "ropa-pdf", _ropa, help="the record of processing activities, GDPR Art. 30 (PDF)")
    add_command(actions, "tia-pdf", _tia, help="a transfer impact assessment (PDF)")


def _common(p) -> None:
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="write the document to FILE")
    p.add_argument("--language", choices=("de", "en"), default=None,
                   help="language of the document (default: the installation's)")
    add_actor_arguments(p)


def _audit_pack(p) -> None:
    p.add_argument("integration", type=int, metavar="INTEGRATION_ID", help="the integration's id")
    p.add_argument("--zip", action="store_true", help="a ZIP with the PDF, content.json, evidence files, manifest")
    _common(p)
    p.set_defaults(func=run_audit_pack)


def _management(p) -> None:
    p.add_argument("--start", type=dt.date.fromisoformat, help="first day, YYYY-MM-DD (default: a month before end)")
    p.add_argument("--end", type=dt.date.fromisoformat, help="last day, YYYY-MM-DD (default: today)")
    _common(p)
    p.set_defaults(func=run_management)


def _ropa(p) -> None:
    p.add_argument("--view", choices=("controller", "processor"), default="controller")
    p.add_argument("--include", choices=("current", "all"), default="current")
    _common(p)
    p.set_defaults(func=run_ropa)


def _tia(p) -> None:
    p.add_argument("tia", type=int, metavar="TIA_ID", help="the transfer impact assessment's id")
    _common(p)
    p.set_defaults(func=run_tia)


def _write(path: str, body: bytes) -> None:
    tmp = f"{path}.part"
    try:
        with open(tmp, "wb") as fh:
            fh.write(body)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _language(args) -> str:
    from django.conf import settings

    return args.language or settings.LANGUAGE_CODE[:2]


def _done(args, printed, what: str) -> int:
    print(f"{what} written to {args.output} (SHA-256 of the content data: {printed.sha256})", file=sys.stderr)
    return 0


def _printing(call):
    from vendorvet.web.reports.pdf import PrintError

    try:
        return call()
    except PrintError as exc:
        raise CLIError(str(exc)) from exc


def run_audit_pack(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from vendorvet.web.inventory.models import Integration
        from vendorvet.web.reports import documents

        integration = Integration.objects.select_related("vendor").filter(pk=args.integration).first()
        if integration is None:
            raise CLIError(f"no integration {args.integration} in this tenant")
        if args.zip:
            body, _name, printed = _printing(lambda: documents.audit_pack_zip(integration, _language(args)))
        else:
            printed, _data, _rows = _printing(lambda: documents.audit_pack_pdf(integration, _language(args)))
            body = printed.pdf
        _write(args.output, body)
        return _done(args, printed, "audit pack")


def run_management(args: argparse.Namespace) -> int:
    if args.start and args.end and args.start > args.end:
        raise CLIError("--start must not be after --end", 2)
    with acting_in_tenant(args):
        from vendorvet.web.reports import documents

        printed = _printing(lambda: documents.management_pdf(_language(args), args.start, args.end))
        _write(args.output, printed.pdf)
        return _done(args, printed, "management report")


def run_ropa(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from vendorvet.web.reports import documents

        printed = _printing(lambda: documents.ropa_pdf(args.view, _language(args), args.include))
        _write(args.output, printed.pdf)
        return _done(args, printed, "record of processing activities")


def run_tia(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from vendorvet.web.legal.models import TransferImpactAssessment
        from vendorvet.web.reports import documents

        tia = TransferImpactAssessment.objects.select_related("integration__vendor").filter(pk=args.tia).first()
        if tia is None:
            raise CLIError(f"no transfer impact assessment {args.tia} in this tenant")
        printed = _printing(lambda: documents.tia_pdf(tia, _language(args)))
        _write(args.output, printed.pdf)
        return _done(args, printed, "transfer impact assessment")

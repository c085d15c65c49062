"""``vendorvet doc read FILE``: read a vendor document (ISO/IEC 27001 certificate, SOC 2 report or bridge
letter, BSI C5 attestation) into suggested fields, each with the page and the words it came from."""

from __future__ import annotations

import argparse
import json

from vendorvet.cli.options import add_format_argument, add_group
from vendorvet.cli.runtime import CLIError


def register(subparsers) -> None:
    actions = add_group(subparsers, "doc", help="read vendor documents (certificates, audit reports)")
    parser = actions.add_parser(
        "read", help="read a PDF or DOCX certificate or report into suggested fields",
        description="Read an ISO/IEC 27001 certificate, SOC 2 report, SOC 2 bridge letter or BSI C5 attestation "
        "(PDF with a text layer, or DOCX) offline with readable rules. Every field names the page and the words it "
        "came from; a field the document does not contain is left out. Nothing is stored.")
    parser.add_argument("file", metavar="FILE")
    add_format_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from vendorvet.engine.documents import DocumentError, read_document

    try:
        result = read_document(args.file)
    except FileNotFoundError as exc:
        raise CLIError(f"no such file: {args.file}") from exc
    except IsADirectoryError as exc:
        raise CLIError(f"{args.file} is a directory") from exc
    except DocumentError as exc:
        raise CLIError(f"{args.file}: {exc}") from exc
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(f"Kind: {result['kind']}")
    for name, field in result["fields"].items():
        value = ", ".join(map(str, field["value"])) if isinstance(field["value"], list) else field["value"]
        print(f"  {name}: {value}  (page {field['page']}: \"{field['text'].splitlines()[0][:80]}\")")
    if not result["fields"]:
        print("  (no fields found)")
    for note in result["notes"]:
        print(f"Note: {note}")
    return 0

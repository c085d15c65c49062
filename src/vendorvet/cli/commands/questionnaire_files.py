"""``vendorvet questionnaire caiq-check|xlsx-template|xlsx-check``: standard questionnaires as files.

No database, nothing stored: ``caiq-check FILE`` reads a vendor's completed CSA CAIQ v4 workbook and prints
the vendor-stated answers per checklist point (mapping: ``content/caiq_v4_mapping.yaml``);
``xlsx-template --out FILE`` writes our questionnaire as a spreadsheet; ``xlsx-check FILE`` reads a filled-in
one back. Exit codes: 0 read, 2 wrong usage or a malformed file (the message names row and column).

The ``questionnaire`` group is shared (``vendorvet.cli.options.add_group``): other modules add their own
actions (send, status, remind) to it.
"""

from __future__ import annotations

import argparse
import json
import sys

from vendorvet.cli.options import add_format_argument, add_group
from vendorvet.cli.runtime import CLIError

HELP = "vendor questionnaires: CAIQ import, spreadsheet template"


def register(subparsers) -> None:
    actions = add_group(subparsers, "questionnaire", help=HELP)

    p = actions.add_parser("caiq-check", help="map a completed CSA CAIQ v4 workbook to the checklist points",
                           description="Read a vendor's completed CSA CAIQ v4 (v4.0.x or v4.1) XLSX offline and "
                           "print its answers per checklist point — vendor statements, not verified facts. "
                           "Nothing is stored.")
    p.add_argument("file", metavar="FILE", help="the CAIQ workbook (.xlsx)")
    p.add_argument("--language", choices=("de", "en"), default="en", help="language of the point titles")
    add_format_argument(p)
    p.set_defaults(func=run_caiq_check)

    p = actions.add_parser("xlsx-template", help="write our questionnaire as an XLSX for a vendor",
                           description="Write the checklist questions of a review depth as a protected XLSX "
                           "with an answer drop-down, for vendors who want a spreadsheet.")
    p.add_argument("--out", required=True, metavar="FILE", help="where to write the workbook")
    p.add_argument("--language", choices=("de", "en"), default="de", help="language of the questionnaire")
    p.add_argument("--tier", type=int, choices=(1, 2, 3, 4), default=1,
                   help="review depth: the requirements mandatory at this tier (default 1: all)")
    p.add_argument("--requirement", action="append", metavar="ID", default=[],
                   help="ask only these requirement ids (repeatable)")
    p.add_argument("--vendor", metavar="NAME", help="vendor name shown on the instructions sheet")
    p.add_argument("--due", metavar="DATE", help="answer-by date shown on the instructions sheet")
    p.set_defaults(func=run_xlsx_template)

    p = actions.add_parser("xlsx-check", help="read a filled-in questionnaire workbook back",
                           description="Read a questionnaire workbook written by xlsx-template and filled in by "
                           "the vendor; refuses changed IDs and unknown answers naming row and column.")
    p.add_argument("file", metavar="FILE", help="the filled-in workbook (.xlsx)")
    add_format_argument(p)
    p.set_defaults(func=run_xlsx_check)


def run_caiq_check(args: argparse.Namespace) -> int:
    from vendorvet.engine.checklist import load_checklist
    from vendorvet.engine.questionnaires import CaiqError, load_mapping, read_caiq

    try:
        result = read_caiq(args.file)
    except CaiqError as exc:
        raise CLIError(f"{args.file}: {exc}", 2) from None
    mapping = load_mapping()
    if args.format == "json":
        doc = {"version": result.version, "vendor_name": result.vendor_name, "sheet": result.sheet,
               "mapping_version": result.mapping_version,
               "answers": [{"requirement_id": a.requirement_id, "answer": a.answer, "source_ref": a.source_ref,
                            "comment": a.comment} for a in result.answers],
               "unmapped": result.unmapped, "warnings": result.warnings}
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        return 0
    checklist = load_checklist()
    by_requirement = {a.requirement_id: a for a in result.answers}
    out = [f"CAIQ v{result.version}" + (f" — {result.vendor_name}" if result.vendor_name else "")
           + f" (sheet {result.sheet}; {len(result.questions)} questions; mapping {result.mapping_version})",
           "Vendor statements (self-assessment), not verified.", ""]
    for point in checklist.points:
        answered = [r for r in point.requirements if r.id in by_requirement]
        mapped = [r for r in point.requirements if r.id in mapping.questions_by_requirement]
        out.append(f"{point.key}. {point.title_for(args.language)}" if not point.is_legal
                   else point.title_for(args.language))
        if not answered:
            out.append("    (no CAIQ answer)" if mapped else "    (CAIQ asks nothing matching)")
        for requirement in answered:
            answer = by_requirement[requirement.id]
            out.append(f"    {requirement.id:<28} {answer.answer:<15} {answer.source_ref}")
    out.append("")
    out.append(f"Questions without a mapping: {len(result.unmapped)}")
    for warning in result.warnings:
        out.append(f"warning: {warning}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def run_xlsx_template(args: argparse.Namespace) -> int:
    from vendorvet.engine.checklist import load_checklist
    from vendorvet.engine.questionnaires import QuestionPoint, write_questionnaire_xlsx

    checklist = load_checklist()
    if args.requirement:
        unknown = [r for r in args.requirement if r not in {x.id for x in checklist.requirements}]
        if unknown:
            raise CLIError(f"unknown requirement id(s): {', '.join(unknown)}", 2)
        requirements = [r for r in checklist.requirements if r.id in set(args.requirement)]
    else:
        requirements = list(checklist.requirements_for_tier(args.tier))
    points = [QuestionPoint(requirement_id=r.id, question=r.text_for(args.language)) for r in requirements]
    meta = {"vendor": args.vendor, "due": args.due, "checklist": checklist.version}
    try:
        write_questionnaire_xlsx(points, args.out, language=args.language, meta=meta)
    except OSError as exc:
        raise CLIError(f"{args.out}: {exc.strerror or exc}") from None
    print(f"{args.out}: {len(points)} questions ({args.language})")
    return 0


def run_xlsx_check(args: argparse.Namespace) -> int:
    from vendorvet.engine.questionnaires import QuestionnaireXlsxError, read_questionnaire_workbook

    try:
        result = read_questionnaire_workbook(args.file)
    except QuestionnaireXlsxError as exc:
        raise CLIError(f"{args.file}: {exc}", 2) from None
    if args.format == "json":
        doc = {"language": result.language, "meta": result.meta, "asked": list(result.requirement_ids),
               "answers": [{"requirement_id": a.requirement_id, "answer": a.answer, "comment": a.comment,
                            "source_ref": a.source_ref} for a in result.answers]}
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        return 0
    print(f"{len(result.answers)} of {len(result.requirement_ids)} points answered (vendor statements)")
    for a in result.answers:
        print(f"    {a.requirement_id:<28} {a.answer:<15} {a.source_ref}")
    return 0

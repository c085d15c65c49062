"""``vendorvet questionnaire send|status|remind|import-caiq``: the vendor questionnaire cycle from the shell, with
the web's rules (sending and reminding need the ``change`` permission; every change lands in the history)."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from vendorvet.cli.options import add_format_argument, add_group
from vendorvet.cli.runtime import CLIError, acting_in_tenant, add_actor_arguments


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _recipient(value: str) -> tuple[str, str, str]:
    parts = [p.strip() for p in value.split("|")]
    if len(parts) not in (2, 3) or not all(parts[:2]) or "@" not in parts[1]:
        raise argparse.ArgumentTypeError("a recipient is 'NAME|EMAIL' or 'NAME|EMAIL|de'")
    language = parts[2] if len(parts) == 3 else "en"
    if language not in ("en", "de"):
        raise argparse.ArgumentTypeError("the language is en or de")
    return parts[0], parts[1], language


def register(subparsers) -> None:
    actions = add_group(subparsers, "questionnaire", "send vendor questionnaires, show their status, remind",
                        "Ask the vendor only what the automated evidence could not verify: a personal link by "
                        "e-mail, answers that arrive as vendor-stated suggestions on the review.")
    send = actions.add_parser("send", help="send a questionnaire from an assessment")
    send.add_argument("assessment_id", type=int, metavar="ASSESSMENT_ID")
    send.add_argument("--to", type=_recipient, action="append", required=True, metavar="'NAME|EMAIL[|de]'",
                      help="a recipient (repeatable)")
    send.add_argument("--due", type=_date, required=True, help="due date YYYY-MM-DD")
    send.add_argument("--point", action="append", metavar="REQUIREMENT_ID",
                      help="a point to ask (repeatable; default: every unanswered mandatory point the automated "
                      "evidence does not settle)")
    send.add_argument("--require-code", action="store_true", help="also require a one-time code sent by e-mail")
    send.add_argument("--base-url", default="", help="address of this installation for the link (default: "
                      "VENDORVET_BASE_URL)")
    add_format_argument(send)
    add_actor_arguments(send)
    send.set_defaults(func=run_send)

    status = actions.add_parser("status", help="list questionnaires (open ones by default) or show one")
    status.add_argument("questionnaire_id", type=int, nargs="?", metavar="QUESTIONNAIRE_ID")
    status.add_argument("--all", action="store_true", help="closed ones too")
    add_format_argument(status)
    add_actor_arguments(status)
    status.set_defaults(func=run_status)

    remind = actions.add_parser("remind", help="e-mail the reminders that are due (each once)")
    remind.add_argument("--base-url", default="")
    add_format_argument(remind)
    add_actor_arguments(remind)
    remind.set_defaults(func=run_remind)

    caiq = actions.add_parser("import-caiq", help="import a vendor's completed CSA CAIQ v4 (XLSX) as vendor-stated "
                              "answers of an assessment")
    caiq.add_argument("assessment_id", type=int, metavar="ASSESSMENT_ID")
    caiq.add_argument("file", metavar="FILE.xlsx")
    add_format_argument(caiq)
    add_actor_arguments(caiq)
    caiq.set_defaults(func=run_import_caiq)


def _messages(exc) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return "\n".join(exc.messages)


def _row(q) -> dict:
    items = list(q.items.all())
    return {"id": q.pk, "assessment": q.assessment_id, "integration": q.assessment.integration.name,
            "vendor": q.assessment.integration.vendor.name, "status": q.status, "due_date": q.due_date.isoformat(),
            "round": q.round, "answered": sum(1 for i in items if i.answered_at), "total": len(items),
            "overdue": q.overdue()}


def run_send(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from django.core.exceptions import ValidationError

        from vendorvet.web.assessments.models import Assessment
        from vendorvet.web.questionnaires import services

        assessment = Assessment.objects.select_related("integration__vendor").filter(pk=args.assessment_id).first()
        if assessment is None:
            raise CLIError(f"no assessment {args.assessment_id} in this tenant")
        try:
            q = services.send(assessment, [services.Addressee(n, e, lang) for n, e, lang in args.to], args.due,
                              args.point, require_code=args.require_code, base_url=args.base_url)
        except ValidationError as exc:
            raise CLIError(_messages(exc)) from None
        row = _row(q)
    if args.format == "json":
        print(json.dumps(row, indent=2, ensure_ascii=False))
    else:
        print(f"Sent questionnaire {row['id']} ({row['total']} points) to {len(args.to)} recipient(s), "
              f"due {row['due_date']}.")
    return 0


def run_status(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from vendorvet.web.accounts import roles
        from vendorvet.web.questionnaires.models import OPEN_STATUSES, Questionnaire

        roles.require(roles.VIEW)
        qs = Questionnaire.objects.select_related("assessment__integration__vendor").prefetch_related("items")
        if args.questionnaire_id:
            qs = qs.filter(pk=args.questionnaire_id)
            if not qs.exists():
                raise CLIError(f"no questionnaire {args.questionnaire_id} in this tenant")
        elif not args.all:
            qs = qs.filter(status__in=OPEN_STATUSES)
        rows = [_row(q) for q in qs.order_by("due_date", "pk")]
        if args.questionnaire_id:
            rows[0]["items"] = [{"requirement": i.requirement_id, "state": i.state, "vendor_answer": i.vendor_answer,
                                 "vendor_comment": i.vendor_comment} for i in qs[0].items.all()]
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for r in rows:
        flag = " OVERDUE" if r["overdue"] else ""
        print(f"#{r['id']:<5} {r['status']:<17} {r['answered']}/{r['total']} due {r['due_date']}{flag}  "
              f"{r['integration']} ({r['vendor']})")
        for i in r.get("items", []):
            print(f"    {i['requirement']:<32} {i['state']:<10} {i['vendor_answer'] or '-'}")
    if not rows:
        print("No questionnaires.")
    return 0


def run_remind(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from vendorvet.web.accounts import roles
        from vendorvet.web.questionnaires import services

        roles.require(roles.CHANGE)
        sent = [{"questionnaire": q.pk, "kind": kind} for q, kind in services.due_reminders(base_url=args.base_url)]
    if args.format == "json":
        print(json.dumps(sent, indent=2))
    else:
        print(f"{len(sent)} reminder(s) sent." if sent else "No reminders due.")
    return 0


def run_import_caiq(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from django.core.exceptions import ValidationError

        from vendorvet.web.assessments.models import Assessment
        from vendorvet.web.questionnaires import standard

        assessment = Assessment.objects.filter(pk=args.assessment_id).first()
        if assessment is None:
            raise CLIError(f"no assessment {args.assessment_id} in this tenant")
        try:
            q = standard.import_caiq(assessment, args.file)
        except standard.NotInstalled:
            raise CLIError("the CAIQ reader (vendorvet.engine.questionnaires.caiq) is not installed") from None
        except ValidationError as exc:
            raise CLIError(_messages(exc)) from None
        row = _row(q)
    if args.format == "json":
        print(json.dumps(row, indent=2, ensure_ascii=False))
    else:
        print(f"Imported the CAIQ as questionnaire {row['id']}: {row['answered']} point(s) answered (vendor-stated).")
    return 0

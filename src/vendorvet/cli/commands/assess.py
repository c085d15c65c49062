"""``vendorvet assess start|show|answer|decide|signoff|condition-done``: assessments from the shell, with the web's rules.

The acting user's role in the tenant decides what is allowed (auditors read only; answering
and deciding need the ``change`` permission). Every change lands in the history as actor ``cli``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from vendorvet.cli.options import add_format_argument
from vendorvet.cli.runtime import CLIError, acting_in_tenant, add_actor_arguments

ANSWERS = ["met", "partly_met", "not_met", "not_applicable", "unknown"]
OUTCOMES = ["approve", "approve_with_conditions", "reject"]


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _condition(value: str) -> tuple[str, str, dt.date]:
    parts = value.split("|")
    if len(parts) != 3 or not parts[0].strip() or not parts[1].strip():
        raise argparse.ArgumentTypeError("a condition is 'TEXT|OWNER|YYYY-MM-DD'")
    return parts[0].strip(), parts[1].strip(), _date(parts[2].strip())


def register(subparsers) -> None:
    parser = subparsers.add_parser("assess", help="start, show, answer and decide assessments",
                                   description="Assess an integration against the checklist: the tier decides the "
                                   "mandatory requirements; every answer changes the explained score.")
    actions = parser.add_subparsers(dest="assess_action", metavar="ACTION", required=True)

    start = actions.add_parser("start", help="start an assessment of an integration")
    start.add_argument("integration_id", type=int, metavar="INTEGRATION_ID")
    start.add_argument("--assignee", help="user name of the assessor responsible")
    start.add_argument("--due", type=_date, help="due date YYYY-MM-DD")
    start.add_argument("--optional", nargs="*", default=[], metavar="REQUIREMENT_ID",
                       help="requirements to answer beyond the tier's mandatory set")
    add_format_argument(start)
    add_actor_arguments(start)
    start.set_defaults(func=run_start)

    show = actions.add_parser("show", help="show an assessment: answers, score lines, decision")
    show.add_argument("assessment_id", type=int, metavar="ASSESSMENT_ID")
    add_format_argument(show)
    show.add_argument("--language", choices=["en", "de"], default="en")
    add_actor_arguments(show)
    show.set_defaults(func=run_show)

    answer = actions.add_parser("answer", help="answer one requirement")
    answer.add_argument("assessment_id", type=int, metavar="ASSESSMENT_ID")
    answer.add_argument("requirement_id", metavar="REQUIREMENT_ID")
    answer.add_argument("value", choices=ANSWERS)
    answer.add_argument("--comment")
    add_format_argument(answer)
    add_actor_arguments(answer)
    answer.set_defaults(func=run_answer)

    decide = actions.add_parser("decide", help="record the decision (sets the integration's status)")
    decide.add_argument("assessment_id", type=int, metavar="ASSESSMENT_ID")
    decide.add_argument("outcome", choices=OUTCOMES)
    decide.add_argument("--justification", required=True)
    decide.add_argument("--condition", type=_condition, action="append", default=[], metavar="'TEXT|OWNER|DATE'",
                        help="a condition of an approval with conditions (repeatable)")
    decide.add_argument("--date", type=_date, help="decision date (default today)")
    add_format_argument(decide)
    risk = decide.add_argument_group(
        "risk acceptance", "an approval below the tenant's approval policy needs all four (and a second person)")
    risk.add_argument("--risk-owner", help="the person who owns the accepted risk")
    risk.add_argument("--risk-justification", help="why the risk is accepted")
    risk.add_argument("--compensating-controls", help="what compensates for the shortfall")
    risk.add_argument("--risk-expires", type=_date, metavar="YYYY-MM-DD", help="when the risk acceptance expires")
    add_actor_arguments(decide)
    decide.set_defaults(func=run_decide)

    signoff = actions.add_parser("signoff", help="sign off the legal points of a review (data protection officer)")
    signoff.add_argument("assessment_id", type=int, metavar="ASSESSMENT_ID")
    signoff.add_argument("--note", default="")
    add_actor_arguments(signoff)
    signoff.set_defaults(func=run_signoff)

    done = actions.add_parser("condition-done", help="mark a condition of an approval done")
    done.add_argument("condition_id", type=int, metavar="CONDITION_ID")
    done.add_argument("--note", default="")
    add_actor_arguments(done)
    done.set_defaults(func=run_condition_done)


def _messages(exc) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return "\n".join(exc.messages)


def _assessment(assessment_id: int):
    from vendorvet.web.assessments.models import Assessment

    found = Assessment.objects.select_related("integration__vendor").filter(pk=assessment_id).first()
    if found is None:
        raise CLIError(f"no assessment {assessment_id} in this tenant")
    return found


def run_start(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from django.core.exceptions import ValidationError

        from vendorvet.web.assessments import services
        from vendorvet.web.assessments.forms import member_users
        from vendorvet.web.inventory.models import Integration

        integration = Integration.objects.select_related("vendor").filter(pk=args.integration_id).first()
        if integration is None:
            raise CLIError(f"no integration {args.integration_id} in this tenant")
        assignee = None
        if args.assignee:
            assignee = member_users().filter(username=args.assignee).first()
            if assignee is None:
                raise CLIError(f"{args.assignee!r} is not a member of this tenant")
        try:
            assessment = services.start_assessment(integration, assignee=assignee, due_date=args.due,
                                                   optional=args.optional)
        except ValidationError as exc:
            raise CLIError(_messages(exc)) from None
        count = assessment.answers.filter(mandatory=True).count()
        if args.format == "json":
            print(json.dumps({"id": assessment.pk, "integration": integration.pk, "tier": assessment.tier,
                              "mandatory_requirements": count, "checklist_version": assessment.checklist_version},
                             indent=2, ensure_ascii=False))
            return 0
        print(f"Started assessment {assessment.pk} of {integration.name}: tier {assessment.tier}, "
              f"{count} mandatory requirements (checklist {assessment.checklist_version}).")
    return 0


def run_show(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from vendorvet.engine import scoring_review
        from vendorvet.web.accounts import roles

        roles.require(roles.VIEW)
        a = _assessment(args.assessment_id)
        result = a.score(with_coverage=True)
        answers = list(a.answers.all())
        decision = getattr(a, "decision", None) if a.is_decided else None
        data = {
            "id": a.pk, "integration": a.integration.name, "status": a.status, "tier": a.tier,
            "tier_at_start": a.tier_at_start, "tier_override_justification": a.tier_override_justification,
            "checklist_version": a.checklist_version, "score": result.score, "grade": result.grade,
            "lines": result.explain(args.language), "coverage": result.coverage.as_dict(),
            "answers": [{"requirement": x.requirement_id, "mandatory": x.mandatory, "value": x.value,
                         "comment": x.comment} for x in answers],
            "decision": None if decision is None else {
                "outcome": decision.outcome, "reviewer": decision.reviewer_label,
                "decided_on": decision.decided_on.isoformat(), "justification": decision.justification,
                "next_review_date": decision.next_review_date.isoformat() if decision.next_review_date else None,
                "conditions": [{"id": c.pk, "text": c.text, "owner": c.owner, "due_date": c.due_date.isoformat(),
                                "done": c.done} for c in decision.conditions.all()],
                "risk_acceptance": _acceptance(decision)},
        }
        if args.format == "json":
            print(json.dumps(data, ensure_ascii=False, indent=2))
            return 0
        print(f"Assessment {a.pk}: {a.integration.name} — {a.status}, tier {a.tier}"
              + (f" (override: {a.tier_override_justification})" if a.tier_override else ""))
        print(f"Score {result.score}/100, grade {result.grade} (100 − {scoring_review.fmt(result.points_lost)})")
        coverage = result.coverage
        print(f"Based on {coverage.ran} of {coverage.cited} automated checks"
              + (f"; could not check: {', '.join(coverage.not_covered)}" if coverage.not_covered else "")
              + (f"; {len(coverage.unknown)} mandatory requirement(s) unknown" if coverage.unknown else ""))
        for line in data["lines"]:
            print(f"  {line}")
        print("Answers:")
        for x in answers:
            print(f"  {'*' if x.mandatory else ' '} {x.requirement_id:<32} {x.value}")
        if decision is not None:
            d = data["decision"]
            print(f"Decision: {d['outcome']} on {d['decided_on']} by {d['reviewer']}; next review "
                  f"{d['next_review_date'] or '—'}")
            for c in d["conditions"]:
                print(f"  condition: {c['text']} (owner {c['owner']}, due {c['due_date']})")
    return 0


def _acceptance(decision) -> dict | None:
    from vendorvet.web.assessments.models import RiskAcceptance

    found = RiskAcceptance.objects.filter(decision=decision).first()
    if found is None:
        return None
    return {"risk_owner": found.risk_owner, "justification": found.justification,
            "compensating_controls": found.compensating_controls, "expires_on": found.expires_on.isoformat(),
            "state": found.state(), "accepted_by": found.accepted_by_label}


def run_answer(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from django.core.exceptions import ValidationError

        from vendorvet.web.assessments import services

        a = _assessment(args.assessment_id)
        try:
            services.answer_by_id(a, args.requirement_id, args.value, args.comment)
        except ValidationError as exc:
            raise CLIError(_messages(exc)) from None
        result = a.score()
        if args.format == "json":
            print(json.dumps({"id": a.pk, "requirement_id": args.requirement_id, "value": args.value,
                              "score": result.score, "grade": result.grade}, indent=2, ensure_ascii=False))
            return 0
        print(f"{args.requirement_id}: {args.value}. Score now {result.score}/100, grade {result.grade}.")
    return 0


def run_decide(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from django.core.exceptions import ValidationError

        from vendorvet.web.assessments import services

        from vendorvet.web.assessments import risk

        a = _assessment(args.assessment_id)
        acceptance = None
        if any((args.risk_owner, args.risk_justification, args.compensating_controls, args.risk_expires)):
            acceptance = risk.AcceptanceInput(risk_owner=args.risk_owner or "",
                                              justification=args.risk_justification or "",
                                              compensating_controls=args.compensating_controls or "",
                                              expires_on=args.risk_expires)
        try:
            decision = services.decide(a, args.outcome, args.justification, args.condition, decided_on=args.date,
                                       risk_acceptance=acceptance)
        except ValidationError as exc:
            message = _messages(exc)
            if acceptance is None and "risk acceptance" in message:
                message += ("\n(CLI: --risk-owner, --risk-justification, --compensating-controls and "
                            "--risk-expires record the risk acceptance.)")
            raise CLIError(message) from None
        if args.format == "json":
            print(json.dumps({"id": a.pk, "outcome": decision.outcome, "score": decision.score,
                              "grade": decision.grade, "next_review_date": decision.next_review_date.isoformat()
                              if decision.next_review_date else None}, indent=2, ensure_ascii=False))
            return 0
        print(f"Decided {decision.outcome} for {a.integration.name}: score {decision.score}, grade {decision.grade}; "
              f"next review {decision.next_review_date.isoformat() if decision.next_review_date else '—'}.")
        if acceptance is not None:
            print(f"Risk acceptance recorded: owner {decision.risk_acceptance.risk_owner}, expires "
                  f"{decision.risk_acceptance.expires_on.isoformat()}.")
    return 0


def run_signoff(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from django.core.exceptions import ValidationError

        from vendorvet.web.assessments import risk

        a = _assessment(args.assessment_id)
        try:
            signoff = risk.sign_off_legal(a, args.note)
        except ValidationError as exc:
            raise CLIError(_messages(exc)) from None
        print(f"Legal points of assessment {a.pk} signed off by {signoff.signed_by_label}.")
    return 0


def run_condition_done(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from django.core.exceptions import ValidationError

        from vendorvet.web.assessments import risk
        from vendorvet.web.assessments.models import Condition

        condition = Condition.objects.filter(pk=args.condition_id).first()
        if condition is None:
            raise CLIError(f"no condition {args.condition_id} in this tenant")
        try:
            risk.mark_condition_done(condition, args.note)
        except ValidationError as exc:
            raise CLIError(_messages(exc)) from None
        print(f"Condition {condition.pk} done: {condition.text}")
    return 0

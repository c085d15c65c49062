"""The scans' review evidence: the latest scan's findings of the checks a checklist requirement cites.

Registered as the ``scans`` review-evidence provider. A check that reported ``error`` could not run: it is
*could not check* (with the reason it gave), never pass or fail, and it costs no points.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy as _

from vendorvet.engine import scoring_review
from vendorvet.engine.checklist import load_checklist
from vendorvet.web.core.checktexts import shown_title
from vendorvet.web.core.review import CHECKED, COULD_NOT_CHECK, Problem, Suggestion

PROBLEM_STATUSES = ("fail", "warn", "error")


def scan_check_ids(requirement) -> tuple[str, ...]:
    """The requirement's cited checks that a scan runs (the OpenAPI audit's checks are the spec's)."""
    return tuple(c for c in requirement.check_ids if not c.startswith("openapi."))


class ScanEvidence:
    key = "scans"
    label = _("Scans")
    order = 10

    def requirement_ids(self):
        return [r.id for r in load_checklist().requirements if scan_check_ids(r)]

    def evidence(self, integration, requirement_ids) -> dict[str, Suggestion]:
        from vendorvet.web.scans.services import latest_findings, latest_run

        checklist = load_checklist()
        wanted = {}
        for requirement_id in requirement_ids:
            try:
                wanted[requirement_id] = set(scan_check_ids(checklist.requirement(requirement_id)))
            except KeyError:
                continue
        wanted = {k: v for k, v in wanted.items() if v}
        if not wanted:
            return {}
        run = latest_run(integration)
        if run is None:
            return {r: Suggestion(self.key, COULD_NOT_CHECK, source=_("scan"),
                                  reason=gettext("No scan of this integration has finished yet."),
                                  checks_ran=0, checks_cited=len(c), facts=("no-scan",))
                    for r, c in wanted.items()}
        findings = latest_findings(integration, set().union(*wanted.values()))
        link = reverse("scans:run_detail", args=[run.pk])
        out = {}
        for requirement_id, check_ids in wanted.items():
            mine = [f for f in findings if f.check_id in check_ids]
            ran_checks = {f.check_id for f in mine if f.status != "error"}
            counts: dict[str, int] = {}
            for f in mine:
                counts[f.status] = counts.get(f.status, 0) + 1
            problems = tuple(Problem(shown_title(f), f.scan_target.target, f.check_id, f.status)
                             for f in mine if f.status in PROBLEM_STATUSES)[:5]
            facts = tuple(sorted((f.check_id, f.scan_target.target, f.status) for f in mine))
            common = dict(source=_("scan"), at=run.finished or run.created, link=link,
                          link_label=gettext("scan of %(when)s") % {"when": _when(run.finished or run.created)},
                          counts=tuple(sorted(counts.items())), problems=problems, facts=facts,
                          checks_ran=len(ran_checks), checks_cited=len(check_ids))
            if not ran_checks:
                reasons = [f.detail or shown_title(f) for f in mine if f.status == "error"]
                reason = (gettext("The checks could not run: %(why)s") % {"why": "; ".join(sorted(set(reasons)))[:300]}
                          if reasons else gettext("The latest scan did not run these checks."))
                out[requirement_id] = Suggestion(self.key, COULD_NOT_CHECK, reason=reason, **common)
                continue
            out[requirement_id] = Suggestion(
                self.key, CHECKED, suggested=scoring_review.suggest_answer(f.status for f in mine
                                                                           if f.status != "error"),
                comment=gettext("From the automated checks of scan #%(run)s.") % {"run": run.pk}, **common)
        return out

    def score_inputs(self, integration) -> list:
        """Failed and warned checks of the latest scan. ``error`` (could not run) costs nothing: it is often
        our own policy (an internal address refused), not the vendor's fault."""
        from vendorvet.web.scans.services import latest_findings

        inputs = []
        for finding in latest_findings(integration):
            if finding.status not in ("fail", "warn"):
                continue
            where = finding.scan_target.target
            text = {lang: f"{shown_title(finding, lang)} — {where}" for lang in ("en", "de")}
            inputs.append(scoring_review.FindingInput(f"{finding.check_id}@{where}", text, finding.severity))
        return inputs


def _when(value) -> str:
    from django.utils.formats import date_format
    from django.utils.timezone import localtime

    return date_format(localtime(value), "SHORT_DATETIME_FORMAT") if value else ""


def register() -> None:
    from vendorvet.web.core.registry import registry

    registry.evidence_providers.register(ScanEvidence.key, ScanEvidence())

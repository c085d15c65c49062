"""What the review's point 3 (authentication, least privilege) sees of the discovered grants: each app linked
to the integration with its scopes, their risk and why, and the least-privilege gap a person recorded."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy as _, ngettext

from vendorvet.web.core.i18n import content_language
from vendorvet.web.core.review import CHECKED, COULD_NOT_CHECK, Problem, Suggestion
from vendorvet.web.discovery.models import DiscoveredApp

# requirements of checklist point 3 whose answer depends on what was granted
LEAST_PRIVILEGE_REQUIREMENTS = frozenset({"auth.least_privilege"})


def granted_for_review(integration, requirement_id: str | None) -> list[DiscoveredApp] | None:
    """The integration's discovered apps (highest risk first) with ``scope_rows`` and ``reason_texts`` in the
    content language, for the requirements that ask what was granted; None for every other requirement."""
    if requirement_id not in LEAST_PRIVILEGE_REQUIREMENTS or integration is None:
        return None
    from vendorvet.web.discovery.importer import risk_order

    language = content_language()
    apps = sorted((a for a in DiscoveredApp.objects.filter(integration=integration) if a.scopes), key=risk_order)
    for a in apps:
        a.reason_texts = [r.get(language) or r.get("en", "") for r in a.risk_reasons or []]
        a.scope_rows = [{**s, "reason_text": (s.get("reason") or {}).get(language, "")} for s in a.scopes or []]
    return apps


# --------------------------------------------------------------------------- review-evidence provider


def _openapi_check_ids(requirement) -> tuple[str, ...]:
    return tuple(c for c in requirement.check_ids if c.startswith("openapi."))


class DiscoveryEvidence:
    """Point 3 and the API points: the latest OpenAPI audit's findings of the cited checks, and the scopes
    granted to the integration's discovered apps (least privilege)."""

    key = "discovery"
    label = _("Discovery and API specification")
    order = 20

    def requirement_ids(self):
        from vendorvet.engine.checklist import load_checklist

        return sorted({r.id for r in load_checklist().requirements if _openapi_check_ids(r)}
                      | LEAST_PRIVILEGE_REQUIREMENTS)

    def evidence(self, integration, requirement_ids) -> dict[str, Suggestion]:
        out = {}
        for requirement_id in requirement_ids:
            if requirement_id in LEAST_PRIVILEGE_REQUIREMENTS:
                out[requirement_id] = self._granted(integration, requirement_id)
        out.update(self._openapi(integration, [r for r in requirement_ids if r not in LEAST_PRIVILEGE_REQUIREMENTS]))
        return out

    def _granted(self, integration, requirement_id) -> Suggestion:
        apps = granted_for_review(integration, requirement_id) or []
        if not apps:
            return Suggestion(self.key, COULD_NOT_CHECK, source=_("discovery"), facts=("no-apps",),
                              reason=gettext("No discovered app with granted scopes is linked to this integration."))
        newest = max((a.last_updated for a in apps if getattr(a, "last_updated", None)), default=None)
        facts = tuple(sorted((a.pk, tuple(sorted(str(s.get("scope", "")) for s in a.scopes or [])),
                              tuple(sorted(a.excess_scopes or []))) for a in apps))
        return Suggestion(self.key, CHECKED, source=_("discovery"), at=newest,
                          lines=(ngettext("%(n)d discovered app with granted scopes.",
                                          "%(n)d discovered apps with granted scopes.", len(apps)) % {"n": len(apps)},),
                          facts=facts, template="discovery/_review_granted.html", extra={"granted": apps})

    def _openapi(self, integration, requirement_ids) -> dict[str, Suggestion]:
        from vendorvet.engine import scoring_review
        from vendorvet.engine.checklist import load_checklist
        from vendorvet.web.core.checktexts import shown_title
        from vendorvet.web.discovery.openapi import audit_label, latest_audit, latest_openapi_findings

        checklist = load_checklist()
        wanted = {}
        for requirement_id in requirement_ids:
            try:
                ids = set(_openapi_check_ids(checklist.requirement(requirement_id)))
            except KeyError:
                continue
            if ids:
                wanted[requirement_id] = ids
        if not wanted:
            return {}
        audit = latest_audit(integration)
        if audit is None:
            return {r: Suggestion(self.key, COULD_NOT_CHECK, source=_("API specification"), facts=("no-spec",),
                                  reason=gettext("No API specification of this integration has been audited."),
                                  checks_ran=0, checks_cited=len(ids)) for r, ids in wanted.items()}
        findings = latest_openapi_findings(integration, set().union(*wanted.values()))
        out = {}
        for requirement_id, ids in wanted.items():
            mine = [f for f in findings if f.check_id in ids]
            counts: dict[str, int] = {}
            for f in mine:
                counts[f.status] = counts.get(f.status, 0) + 1
            ran = {f.check_id for f in mine if f.status != "error"}
            common = dict(source=_("API specification"), at=audit.created, link=audit.get_absolute_url(),
                          link_label=audit_label(audit), counts=tuple(sorted(counts.items())),
                          problems=tuple(Problem(shown_title(f), f.where, f.check_id, f.status) for f in mine
                                         if f.status in ("fail", "warn", "error"))[:5],
                          facts=tuple(sorted((f.check_id, f.pointer, f.status) for f in mine)),
                          checks_ran=len(ran), checks_cited=len(ids))
            if not ran:
                out[requirement_id] = Suggestion(
                    self.key, COULD_NOT_CHECK, **common,
                    reason=gettext("The audit of the API specification did not evaluate these checks."))
                continue
            out[requirement_id] = Suggestion(
                self.key, CHECKED, comment=audit_label(audit), **common,
                suggested=scoring_review.suggest_answer(f.status for f in mine if f.status != "error"))
        return out

    def score_inputs(self, integration) -> list:
        """The latest OpenAPI audit's failed and warned findings, as score inputs."""
        from vendorvet.engine import scoring_review
        from vendorvet.web.discovery.openapi import PROBLEM_STATUSES, latest_openapi_findings

        inputs = []
        for finding in latest_openapi_findings(integration):
            if finding.status in PROBLEM_STATUSES:
                from vendorvet.web.core.checktexts import shown_title

                text = {lang: f"{shown_title(finding, lang)} — {finding.where}" for lang in ("en", "de")}
                inputs.append(scoring_review.FindingInput(finding.key, text, finding.severity))
        return inputs


def register() -> None:
    from vendorvet.web.core.registry import registry

    registry.evidence_providers.register(DiscoveryEvidence.key, DiscoveryEvidence())

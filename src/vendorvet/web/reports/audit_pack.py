"""The audit pack of one integration: what was decided and on what basis, as plain data for the print template.

Everything in :func:`build` is a JSON-able dict of strings, numbers and lists — the *content data* the footer's
SHA-256 covers (:mod:`.pdf`). Only what is on file is stated: a checklist point's automated evidence keeps its
state (checked / could not check / not applicable) and reason; an uploader not found in the history is said to
be not recorded, never guessed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal, InvalidOperation
import re
import zipfile

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from vendorvet.engine import scoring_review
from vendorvet.engine.checklist import load_checklist
from vendorvet.web.assessments.models import Answer, Assessment, Decision, Evidence, RiskAcceptance
from vendorvet.web.core import review
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.core.registry import registry
from vendorvet.web.core.severity import SEVERITY_LABELS
from vendorvet.web.inventory.choices import country_name
from vendorvet.web.legal.dpa import DPA_POINTS
from vendorvet.web.legal.models import (
    Contract, DpaItem, IntegrationLegal, SubProcessor, TransferAssessment, TransferImpactAssessment,
)
from vendorvet.web.reports import pdf
from vendorvet.web.scans.models import ScanRun

ARTICLE = re.compile(r"^Art\. (\d+)\((\d+)\)(?:\((\w)\))?")


def _d(value) -> str:
    return value.isoformat() if value else ""


def _dt(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _when(value) -> str:
    """A date, or a date and time (local, to the minute)."""
    if isinstance(value, dt.datetime):
        return _dt(value) if timezone.is_aware(value) else value.strftime("%Y-%m-%d %H:%M")
    return _d(value)


def german_article(text: str, language: str) -> str:
    """"Art. 28(3)(a)" as "Art. 28 Abs. 3 lit. a DSGVO" in German; English gets " GDPR" appended."""
    m = ARTICLE.match(text)
    if not m:
        return text
    if language == "de":
        out = f"Art. {m.group(1)} Abs. {m.group(2)}" + (f" lit. {m.group(3)}" if m.group(3) else "")
        return out + text[m.end():].replace("sentence 1", "Satz 1").replace("last subparagraph", "letzter Unterabsatz") + " DSGVO"
    return text + " GDPR"


def _state_label(state: str) -> str:
    return {review.CHECKED: _("checked"), review.COULD_NOT_CHECK: _("could not check"),
            review.NOT_APPLICABLE: _("not applicable")}.get(state, state)


def _answer_labels() -> dict:
    return {k: str(v) for k, v in Answer._meta.get_field("value").choices}


def _uploaders(evidence: list[Evidence]) -> dict[int, tuple[str, str]]:
    """Evidence id -> (who uploaded it, when) from the change history; absent when the history has no entry."""
    if not evidence:
        return {}
    ct = ContentType.objects.get_for_model(Evidence)
    rows = (ObjectChange.objects.filter(changed_object_type=ct, action=ObjectChange.CREATE,
                                        changed_object_id__in=[e.pk for e in evidence])
            .values_list("changed_object_id", "actor_label", "time"))
    return {oid: (label, _dt(time)) for oid, label, time in rows}


def _checklist(assessment: Assessment, language: str) -> tuple[list[dict], list[dict], dict]:
    checklist = load_checklist()
    answers = list(assessment.answers.select_related("answered_by").prefetch_related("evidence"))
    suggestions = review.collect(assessment.integration, [a.requirement_id for a in answers])
    labels = _answer_labels()
    points, files = [], []
    all_evidence = [e for a in answers for e in a.evidence.all()]
    uploaders = _uploaders(all_evidence)
    for a in sorted(answers, key=lambda x: x.requirement_id):
        requirement = a.requirement
        point_title = ""
        if requirement is not None:
            try:
                point_title = checklist.point(requirement.point).title_for(language)
            except KeyError:
                point_title = ""
        auto = []
        for s in suggestions.get(a.requirement_id, []):
            provider = registry.evidence_providers.get(s.provider)
            auto.append({"source": str(getattr(provider, "label", s.provider)), "state": s.state,
                         "state_label": str(_state_label(s.state)),
                         "suggested": labels.get(s.suggested, "") if s.suggested else "",
                         "reason": str(s.reason or ""), "at": _when(s.at),
                         "lines": [str(x) for x in s.lines][:6]})
        evidence = [{"name": e.original_name, "sha256": e.sha256} for e in a.evidence.all()]
        points.append({
            "id": a.requirement_id, "point": point_title,
            "text": requirement.text_for(language) if requirement else _("(no longer in the checklist)"),
            "mandatory": a.mandatory, "answer": a.value, "answer_label": labels.get(a.value, a.value),
            "comment": a.comment, "answered_by": a.answered_by.get_username() if a.answered_by else "",
            "answered_at": _dt(a.answered_at), "automated": auto, "evidence": evidence,
        })
        for e in a.evidence.all():
            who, when = uploaders.get(e.pk, ("", ""))
            files.append({"id": e.pk, "requirement": a.requirement_id, "name": e.original_name, "sha256": e.sha256,
                          "size": e.size, "uploader": who, "uploaded": when or _dt(e.created),
                          "description": e.description, "stored": e.file.name})
    return points, files, suggestions


def _score(assessment: Assessment, suggestions: dict, language: str) -> dict:
    result = assessment.score(with_coverage=True, suggestions=suggestions)
    decision = getattr(assessment, "decision", None) if assessment.is_decided else None
    if decision is not None:  # the score the decision was taken with (stored snapshot)
        lines = [{"text": line.get(language) or line.get("en", ""), "points": _points(line.get("points")),
                  "original": _points(line.get("original"))} for line in decision.score_lines]
        score, grade, tier, basis = decision.score, decision.grade, decision.tier, "decision"
    else:
        lines = [{"text": line.text(language), "points": scoring_review.fmt(line.points),
                  "original": scoring_review.fmt(line.original)} for line in result.lines]
        score, grade, tier, basis = result.score, result.grade, result.tier, "current"
    coverage = result.coverage or scoring_review.Coverage()
    return {"score": score, "grade": grade, "tier": tier, "basis": basis, "lines": lines,
            "rubric": result.rubric_version, "checks_ran": coverage.ran, "checks_cited": coverage.cited,
            "not_covered": list(coverage.not_covered), "unknown": list(coverage.unknown)}


def _points(value) -> str:
    try:
        return scoring_review.fmt(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value or "")


def _decision(decision: Decision | None) -> dict | None:
    if decision is None:
        return None
    acceptance = RiskAcceptance.objects.filter(decision=decision).first()
    return {
        "outcome": decision.outcome, "outcome_label": str(decision.get_outcome_display()),
        "decided_on": _d(decision.decided_on), "reviewer": decision.reviewer_label,
        "justification": decision.justification, "next_review": _d(decision.next_review_date),
        "conditions": [{"text": c.text, "owner": c.owner, "due": _d(c.due_date), "done": c.done,
                        "done_at": _dt(c.done_at), "note": c.done_note} for c in decision.conditions.all()],
        "acceptance": None if acceptance is None else {
            "owner": acceptance.risk_owner, "justification": acceptance.justification,
            "controls": acceptance.compensating_controls, "expires": _d(acceptance.expires_on),
            "state": str(acceptance.get_state_display()), "accepted_by": acceptance.accepted_by_label,
            "accepted_on": _d(acceptance.accepted_on),
            "shortfalls": [str(s.get("text", s)) if isinstance(s, dict) else str(s) for s in acceptance.shortfalls]},
    }


def _scans(integration) -> dict:
    runs = list(ScanRun.objects.filter(integration=integration).order_by("-created", "-pk")[:5])
    shown = []
    for run in runs:
        targets = []
        for t in run.targets.all().order_by("pk"):
            counts = {}
            for f in t.findings.all():
                counts[f.status] = counts.get(f.status, 0) + 1
            targets.append({"target": t.target, "grade": t.grade, "score": t.score,
                            "failed": counts.get("fail", 0), "warned": counts.get("warn", 0),
                            "could_not_check": counts.get("error", 0), "passed": counts.get("pass", 0)})
        shown.append({"finished": _dt(run.finished or run.created), "status": str(run.get_status_display()),
                      "error": run.error[:300], "targets": targets})
    latest = runs[0] if runs else None
    problems = []
    if latest is not None:
        for f in latest.findings.filter(status__in=("fail", "warn")).order_by("severity", "check_id")[:40]:
            problems.append({"check": f.check_id, "title": f.title, "status": f.status,
                             "severity": str(SEVERITY_LABELS.get(f.severity, f.severity))})
    return {"runs": shown, "problems": problems}


def _legal(integration, language: str) -> dict:
    vendor = integration.vendor
    profile = IntegrationLegal.objects.filter(integration=integration).first()
    items = {i.key: i for i in DpaItem.objects.filter(vendor=vendor)}
    dpa = []
    for p in DPA_POINTS:
        item = items.get(p.key)
        dpa.append({"article": german_article(p.article, language), "text": str(p.text),
                    "state": item.state if item else "open",
                    "state_label": str(item.get_state_display()) if item else str(DpaItem.State.OPEN.label),
                    "clause": item.clause if item else ""})
    contracts = [{"type": str(c.get_type_display()), "title": c.title, "signed": _d(c.signed), "end": _d(c.end),
                  "file": c.file_name} for c in Contract.objects.filter(vendor=vendor).order_by("type", "-signed")]
    transfer = TransferAssessment.objects.filter(integration=integration).order_by("-created", "-pk").first()
    tias = [{"title": t.title, "state": str(t.get_state_display()), "reevaluate": _d(t.step6_reevaluation),
             "conclusion": t.conclusion} for t in TransferImpactAssessment.objects.filter(integration=integration)]
    return {
        "profile": None if profile is None else {
            "our_role": str(profile.get_our_role_display()), "vendor_role": str(profile.get_vendor_role_display()),
            "countries": [country_name(c) for c in sorted(set(profile.declared_countries or [])
                                                          | set(profile.recorded_countries or []))]},
        "processing_countries": [country_name(c) for c in integration.processing_countries or []],
        "dpa": dpa, "dpa_met": sum(1 for d in dpa if d["state"] == "met"), "dpa_total": len(dpa),
        "contracts": contracts,
        "transfer": None if transfer is None else {
            "checked": _dt(transfer.created), "third_country": transfer.third_country_transfer,
            "basis": transfer.basis, "scc_module": transfer.scc_module or "", "tia_required": transfer.tia_required,
            "reasoning": [str(x) for x in transfer.reasoning(language)]},
        "tias": tias,
        "sub_processors": [{"name": s.name, "country": country_name(s.country), "purpose": s.purpose,
                            "dpf": str(s.get_dpf_status_display())}
                           for s in SubProcessor.objects.filter(vendor=vendor).order_by("name")],
    }


def _history(integration) -> list[dict]:
    out = []
    decisions = Decision.objects.filter(assessment__integration=integration).select_related("assessment")
    for d in decisions.order_by("-decided_on", "-pk"):
        acceptance = RiskAcceptance.objects.filter(decision=d).first()
        out.append({"decided_on": _d(d.decided_on), "outcome": str(d.get_outcome_display()), "reviewer": d.reviewer_label,
                    "grade": d.grade, "score": d.score, "tier": d.tier, "justification": d.justification,
                    "risk_accepted_until": _d(acceptance.expires_on) if acceptance else ""})
    return out


def build(integration, language: str, tenant_name: str) -> tuple[dict, list[Evidence]]:
    """The audit pack's content data (see the module docstring) and the evidence rows it lists."""
    with translation.override(language):
        assessment = (Assessment.objects.filter(integration=integration).select_related("decision")
                      .order_by("-created", "-pk").first())
        data = {
            "kind": "audit_pack", "language": language, "tenant": tenant_name,
            "integration": {"id": integration.pk, "name": integration.name, "vendor": integration.vendor.name,
                            "tier": integration.tier, "status": str(integration.get_status_display()),
                            "purpose": integration.purpose, "department": integration.department,
                            "business_owner": integration.business_owner},
            "assessment": None, "decision": None, "score": None, "checklist": [], "evidence": [],
            "scans": _scans(integration), "legal": _legal(integration, language), "history": _history(integration),
        }
        rows: list[Evidence] = []
        if assessment is not None:
            points, files, suggestions = _checklist(assessment, language)
            data["assessment"] = {"id": assessment.pk, "status": str(assessment.get_status_display()),
                                  "checklist_version": assessment.checklist_version, "tier": assessment.tier,
                                  "started": _d(assessment.created.date()), "due": _d(assessment.due_date)}
            data["checklist"] = points
            data["evidence"] = [{k: v for k, v in f.items() if k not in ("id", "stored")} for f in files]
            data["score"] = _score(assessment, suggestions, language)
            data["decision"] = _decision(getattr(assessment, "decision", None) if assessment.is_decided else None)
            ids = [f["id"] for f in files]
            by_id = {e.pk: e for e in Evidence.objects.filter(pk__in=ids)}
            rows = [by_id[i] for i in ids if i in by_id]
        counts = {}
        for p in data["checklist"]:
            counts[p["answer"]] = counts.get(p["answer"], 0) + 1
        data["answer_counts"] = [{"label": lbl, "count": counts.get(key, 0)} for key, lbl in _answer_labels().items()]
    return data, rows


def filename(integration, language: str, ext: str) -> str:
    return f"audit-pack-{slugify(integration.name) or integration.pk}-{language}-{timezone.localdate().isoformat()}.{ext}"


def bundle(printed: pdf.Printed, data: dict, evidence: list[Evidence]) -> bytes:
    """The ZIP: the PDF, ``content.json`` (the data the footer hash covers), the evidence files and a manifest
    with every file's SHA-256. An evidence file whose stored bytes no longer match their recorded hash is listed
    with both hashes and ``"matches": false`` — never silently replaced."""
    import hashlib

    content = pdf.canonical_json(data)
    files = [{"path": printed.filename, "sha256": hashlib.sha256(printed.pdf).hexdigest(), "size": len(printed.pdf),
              "role": "audit pack"},
             {"path": "content.json", "sha256": hashlib.sha256(content).hexdigest(), "size": len(content),
              "role": "content data covered by the footer hash"}]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(printed.filename, printed.pdf)
        zf.writestr("content.json", content)
        used = set()
        for e in evidence:
            name = f"evidence/{e.pk}-{e.original_name}"
            if name in used:
                continue
            used.add(name)
            try:
                with e.file.open("rb") as fh:
                    raw = fh.read()
            except (FileNotFoundError, ValueError, OSError):
                files.append({"path": name, "sha256": "", "recorded_sha256": e.sha256, "size": 0, "missing": True,
                              "role": "evidence"})
                continue
            digest = hashlib.sha256(raw).hexdigest()
            zf.writestr(name, raw)
            files.append({"path": name, "sha256": digest, "recorded_sha256": e.sha256, "size": len(raw),
                          "matches": digest == e.sha256, "role": "evidence"})
        manifest = {"generated": printed.generated, "content_sha256": printed.sha256, "language": printed.language,
                    "files": files}
        zf.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return buf.getvalue()

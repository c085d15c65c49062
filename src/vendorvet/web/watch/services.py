"""Adding, removing and checking watched pages; what a check records.

A check fetches through the engine's polite, SSRF-safe client under the operator's outbound policy
(``core.outbound``). What it could not fetch or read is stored as *could not check* with the reason and leaves
the last good text, rows and fingerprint untouched. A successful read compares the canonical text (no
navigation, timestamps or cache-busters; rows order-free) with the last one; only a different fingerprint is a
change. Sub-processor pages are read into rows and compared with the last rows (or, the first time, with the
sub-processors on record in the legal app); the findings become monitoring events naming the legal follow-up.
Each page's result and its events are written in one transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from vendorvet.engine import reference
from vendorvet.engine.net import Resolver
from vendorvet.engine.watch import extract, fetch as engine_fetch, subprocessors
from vendorvet.web.accounts import roles
from vendorvet.web.core import events
from vendorvet.web.core.messages import T as _  # rendered in the reader's language when shown
from vendorvet.web.core.outbound import resolver_options
from vendorvet.web.inventory import services as inventory_services
from vendorvet.web.watch import kinds
from vendorvet.web.watch.models import WatchedPage

log = logging.getLogger(__name__)
FOLLOW_UP_NEW = _("Check the transfer (transfer check) and the AVV/DPA. The AVV's notice of the intended change "
                  "starts your objection period: object in time if you do not accept it (Art. 28(2) GDPR).")
FOLLOW_UP_TRANSFER = _("Run a transfer check for this country and record the transfer basis (adequacy decision, "
                       "SCCs with a transfer impact assessment); until then the transfer has no recorded basis "
                       "(Art. 44 ff. GDPR). You may object to the sub-processor (Art. 28(2) GDPR).")
# the kinds' labels as messages (the same msgids as the model's choices), so an event names them in the reader's language
KIND_LABELS = {"subprocessors": _("Sub-processor list"), "dpa": _("Data processing agreement (AVV/DPA)"),
               "security": _("Security or trust page"), "status": _("Status page")}


def interval() -> dt.timedelta:
    return dt.timedelta(hours=float(getattr(settings, "VENDORVET_WATCH_INTERVAL_HOURS", 24)))


def max_bytes() -> int:
    return int(getattr(settings, "VENDORVET_WATCH_MAX_BYTES", engine_fetch.MAX_BYTES))


def timeout() -> float:
    return float(getattr(settings, "VENDORVET_WATCH_TIMEOUT", engine_fetch.TIMEOUT))


def resolver() -> Resolver:
    return Resolver(**resolver_options(), timeout=timeout())


# -- adding and removing ------------------------------------------------------------------------------------------

def add_page(vendor, url: str, kind: str) -> WatchedPage:
    """Watch ``url`` of ``vendor`` (needs ``add``); checked on the next monitoring pass."""
    roles.require(roles.ADD)
    url = (url or "").strip()
    if not url.lower().startswith(("https://", "http://")):
        raise ValidationError({"url": [gettext("Enter an address that starts with https://.")]})
    if WatchedPage.objects.filter(vendor=vendor, url=url).exists():
        raise ValidationError({"url": [gettext("This address is watched for this vendor already.")]})
    page = WatchedPage(vendor=vendor, tenant=vendor.tenant, url=url, kind=kind, next_due=timezone.now())
    return inventory_services.save_object(page, creating=True)


def remove_page(page: WatchedPage) -> None:
    inventory_services.delete_object(page)  # needs the delete permission


# -- checking --------------------------------------------------------------------------------------------------------

@dataclass
class Outcome:
    page_id: int
    state: str  # "changed" | "unchanged" | "first" | "could_not_check"
    reason: str = ""
    events: int = 0


def check_page(page: WatchedPage, *, now=None, resolver_=None, robots=None, limiter=None) -> Outcome:
    """Fetch and compare one page; store the result and record its events in one transaction."""
    now = now or timezone.now()
    result = engine_fetch.fetch(page.url, resolver_ or resolver(), etag=page.etag,
                                last_modified=page.http_last_modified, max_bytes=max_bytes(), timeout=timeout(),
                                robots=robots if robots is not None else engine_fetch.Robots(), limiter=limiter)
    return record_fetch(page, result, now=now)


def record_fetch(page: WatchedPage, result: engine_fetch.PageFetch, *, now=None) -> Outcome:
    """Compare what a fetch returned with the last good read; store the result and its events in one transaction.

    ``check_page`` fetches and calls this; the demo (``web.demo_watch``) calls it with stored snapshots."""
    now = now or timezone.now()
    due = now + interval()
    if not result.ok:
        return _could_not_check(page, now, due, result.reason)
    if result.state == "not_modified" and page.fingerprint:
        WatchedPage.objects.filter(pk=page.pk).update(state=WatchedPage.State.CHECKED, reason="", last_checked=now,
                                                      last_attempt=now, next_due=due)
        return Outcome(page.pk, "unchanged")
    try:
        lines = extract.lines_of(result.body, result.content_type)
    except extract.UnreadableDocument as exc:
        return _could_not_check(page, now, due, str(exc))
    if not lines:
        return _could_not_check(page, now, due, "the page has no text to compare")
    rows = None
    if page.kind == WatchedPage.Kind.SUBPROCESSORS and "pdf" not in result.content_type.lower():
        rows = subprocessors.parse_rows(extract.decode(result.body, result.content_type))
    fingerprint = extract.fingerprint(lines)
    with transaction.atomic():
        locked = WatchedPage.objects.select_for_update().filter(pk=page.pk).first()
        if locked is None:  # removed meanwhile
            return Outcome(page.pk, "could_not_check", "the page is no longer watched")
        first = not locked.fingerprint
        changed = not first and fingerprint != locked.fingerprint
        fields = {"state": WatchedPage.State.CHECKED, "reason": "", "last_checked": now, "last_attempt": now,
                  "next_due": due, "etag": result.etag[:300], "http_last_modified": result.last_modified[:100],
                  "fingerprint": fingerprint, "text": "\n".join(lines)}
        recorded = 0
        if changed:
            diff = extract.diff(locked.text.split("\n") if locked.text else [], lines)
            fields.update(latest_diff=diff, latest_diff_at=now, last_changed=now)
            recorded += _page_changed(locked, diff, fingerprint, now)
        if rows is not None:
            before = [subprocessors.row_from_dict(r) for r in locked.rows] if locked.rows else None
            recorded += _row_events(locked, before, rows, now)
            fields["rows"] = [row.as_dict() for row in rows]
        WatchedPage.objects.filter(pk=page.pk).update(**fields)
    return Outcome(page.pk, "first" if first else ("changed" if changed else "unchanged"), events=recorded)


def _could_not_check(page, now, due, reason: str) -> Outcome:
    """Only the attempt and its reason are stored: the last good text, rows and fingerprint stay as they were."""
    WatchedPage.objects.filter(pk=page.pk).update(state=WatchedPage.State.COULD_NOT_CHECK, reason=reason[:500],
                                                  last_attempt=now, next_due=due)
    return Outcome(page.pk, "could_not_check", reason)


def _record(page, kind, key, severity, title, detail, action, now, before=None, after=None) -> int:
    done = events.record(kind=kind, severity=severity, key=f"watch:{page.pk}:{key}"[:300],
                         occurrence=f"watch:{page.pk}:{key}"[:100], title=title, detail=detail, action=action,
                         before=before, after=after, vendor=page.vendor, now=now)
    return int(done.fired)  # 0 when the same fact was recorded before and is still open


def _page_changed(page, diff: str, fingerprint: str, now) -> int:
    title = _("%(vendor)s changed its %(kind)s") % {"vendor": page.vendor.name, "kind": KIND_LABELS.get(page.kind, page.kind)}
    detail = _("%(url)s changed (seen %(date)s):\n%(diff)s") % {
        "url": page.url, "date": now.date().isoformat(), "diff": diff}
    action = FOLLOW_UP_NEW if page.kind in (WatchedPage.Kind.SUBPROCESSORS, WatchedPage.Kind.DPA) else \
        _("Read the change and decide whether the vendor's assessment needs a review.")
    return _record(page, kinds.PAGE_CHANGED, f"changed:{fingerprint[:16]}", "low", title, detail, action, now)


def _on_record(vendor) -> list[subprocessors.Row]:
    from vendorvet.web.legal.models import SubProcessor

    return [subprocessors.Row(sp.name, sp.purpose, sp.country, (sp.country,))
            for sp in SubProcessor.objects.filter(vendor=vendor)]


def _transfer_covered(vendor) -> set[str]:
    """Countries a stored transfer check of one of the vendor's integrations assessed."""
    from vendorvet.web.legal.models import TransferAssessment

    covered: set[str] = set()
    for inputs in TransferAssessment.objects.filter(integration__vendor=vendor).values_list("inputs", flat=True):
        covered.update((inputs or {}).get("processing_countries") or [])
        covered.update(s.get("country") for s in (inputs or {}).get("sub_processors") or [] if s.get("country"))
        if (inputs or {}).get("vendor_country"):
            covered.add(inputs["vendor_country"])
    return covered


def basis_missing(code: str, covered: set[str], on: dt.date) -> bool:
    if reference.is_eea(code) or code in covered:
        return False
    decision = reference.adequacy_on(code, on)
    return decision is None or decision.condition != "none"  # a conditional decision needs the condition checked


def _row_events(page, before, rows, now) -> int:
    vendor, recorded = page.vendor, 0
    baseline, against_record = before, False
    if baseline is None:
        baseline = _on_record(vendor)
        against_record = bool(baseline)
    if before is not None or against_record:
        changes = subprocessors.compare(baseline, rows)
        note = _(" (not among the sub-processors on record)") if against_record else ""
        for row in changes.added:
            recorded += _record(
                page, kinds.SUBPROCESSOR_ADDED, f"added:{row.key}", "medium",
                _("%(vendor)s lists a new sub-processor: %(name)s%(note)s") % {
                    "vendor": vendor.name, "name": row.name, "note": note},
                _("%(name)s (%(purpose)s, %(country)s) appears on %(url)s since %(date)s.") % {
                    "name": row.name, "purpose": row.purpose or "-", "country": row.country_text or "-",
                    "url": page.url, "date": now.date().isoformat()},
                FOLLOW_UP_NEW, now, after=row.as_dict())
        for row in changes.removed:
            recorded += _record(
                page, kinds.SUBPROCESSOR_REMOVED, f"removed:{row.key}", "low",
                _("%(vendor)s no longer lists %(name)s as a sub-processor") % {"vendor": vendor.name,
                                                                                "name": row.name},
                _("%(name)s is no longer on %(url)s (seen %(date)s).") % {
                    "name": row.name, "url": page.url, "date": now.date().isoformat()},
                _("Update the sub-processors on record and the record of processing activities."), now,
                before=row.as_dict())
        for old, new in changes.changed:
            recorded += _record(
                page, kinds.SUBPROCESSOR_MOVED, f"moved:{new.key}:{'-'.join(new.countries)}", "medium",
                _("%(vendor)s: sub-processor %(name)s changed") % {"vendor": vendor.name, "name": new.name},
                _("%(name)s: country %(before)s → %(after)s; purpose %(pbefore)s → %(pafter)s (seen %(date)s).") % {
                    "name": new.name, "before": old.country_text or "-", "after": new.country_text or "-",
                    "pbefore": old.purpose or "-", "pafter": new.purpose or "-", "date": now.date().isoformat()},
                FOLLOW_UP_NEW, now, before=old.as_dict(), after=new.as_dict())
        for code in changes.new_countries:
            names = ", ".join(r.name for r in rows if code in r.countries)
            recorded += _record(
                page, kinds.NEW_COUNTRY, f"country:{code}", "medium",
                _("%(vendor)s: sub-processors now in %(country)s") % {"vendor": vendor.name, "country": code},
                _("New country %(country)s in the published list (%(names)s), seen %(date)s.") % {
                    "country": code, "names": names, "date": now.date().isoformat()},
                FOLLOW_UP_NEW, now, after={"country": code})
    covered = _transfer_covered(vendor)
    missing = sorted({c for row in rows for c in row.countries if basis_missing(c, covered, now.date())})
    for code in missing:
        names = ", ".join(r.name for r in rows if code in r.countries)
        recorded += _record(
            page, kinds.NO_TRANSFER_BASIS, f"basis:{code}", "high",
            _("%(vendor)s: sub-processors in %(country)s without a recorded transfer basis") % {
                "vendor": vendor.name, "country": code},
            _("%(names)s process data in %(country)s, a third country without an unconditional adequacy decision, "
              "and no transfer check of this vendor covers it.") % {"names": names, "country": code},
            FOLLOW_UP_TRANSFER, now, after={"country": code})
    previous = {c for row in before or () for c in row.countries if basis_missing(c, covered, now.date())}
    gone = [f"watch:{page.pk}:basis:{code}" for code in sorted(previous - set(missing))]
    if gone:  # the country left the list (or a transfer check now covers it)
        events.resolve_where(kind=kinds.NO_TRANSFER_BASIS, dedup_key__in=gone)
    return recorded

"""A new or changed sub-processor is a change event (issue #8): ``subprocessor_changed`` monitoring events.

Called by ``legal.services.save_sub_processor`` after the write. One event per integration of the vendor
(or one for the vendor if it has no integration yet), with the sub-processor's facts before and after.
The dedup key names the sub-processor and the state it changed to, so each distinct change is its own
event and saving the same state again records nothing new.
"""

from __future__ import annotations

import hashlib
import json

from vendorvet.web.core import events
from vendorvet.web.core.messages import T as _  # rendered in the reader's language when shown

FIELDS = ("name", "country", "purpose", "dpf_status")


def facts(sub) -> dict | None:
    return None if sub is None else {name: getattr(sub, name) or "" for name in FIELDS}


def record_change(sub, before: dict | None) -> list:
    """Record the events for ``sub`` (just saved) whose facts were ``before`` (None: it is new)."""
    from vendorvet.web.inventory.models import Integration
    from vendorvet.web.legal.kinds import SUBPROCESSOR_CHANGED

    after = facts(sub)
    if before == after:
        return []
    digest = hashlib.sha256(json.dumps(after, sort_keys=True).encode()).hexdigest()[:16]
    vendor = sub.vendor
    if before is None:
        title = _("%(vendor)s: new sub-processor %(name)s (%(country)s)") % {
            "vendor": vendor.name, "name": sub.name, "country": sub.country}
        detail = _("%(vendor)s now lists %(name)s in %(country)s as a sub-processor (purpose: %(purpose)s).") % {
            "vendor": vendor.name, "name": sub.name, "country": sub.country, "purpose": sub.purpose or "-"}
    else:
        changes = "; ".join(f"{name}: {before.get(name) or '-'} → {after[name] or '-'}"
                            for name in FIELDS if before.get(name) != after[name])
        title = _("%(vendor)s: sub-processor %(name)s changed") % {"vendor": vendor.name, "name": sub.name}
        detail = _("Changed: %(changes)s.") % {"changes": changes}
    severity = "medium" if before is None or before.get("country") != after["country"] else "low"
    action = _("Check the transfer assessment and the AVV/DPA for the new or changed sub-processor.")
    integrations = list(Integration.objects.filter(vendor=vendor))
    out = []
    for integration in integrations or [None]:
        scope = f"i{integration.pk}" if integration is not None else f"v{vendor.pk}"
        out.append(events.record(
            kind=SUBPROCESSOR_CHANGED, severity=severity,
            key=f"subprocessor:{scope}:{sub.pk}:{digest}", occurrence=f"subprocessor:{sub.pk}:{digest}",
            title=title, detail=detail, action=action, before=before, after=after,
            integration=integration, vendor=vendor))
    return out

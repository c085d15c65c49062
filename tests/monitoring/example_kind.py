"""A test-only event kind with its calendar check: the whole of what adding one takes (this one module).

"Vendor contact missing": every vendor whose name starts with "Contactless" (a stand-in for a real condition)
is a calendar fact; once it is renamed, the next day's sweep resolves the event (monitoring resolves what its
calendar checks no longer report).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from vendorvet.web.core.events import CalendarCheck, EventKind, record
from vendorvet.web.core.messages import T as _

KIND = "vendor_contact_missing"
SPEC = EventKind(gettext_lazy("Vendor contact missing (test)"), "calendar", "low")


def missing_contacts(today, occurrence, now) -> list:
    from vendorvet.web.inventory.models import Vendor

    return [record(kind=KIND, severity="low", key=f"contact_missing:{vendor.pk}", occurrence=occurrence,
                   title=_("%(vendor)s: no contact address") % {"vendor": vendor.name},
                   action=_("Record the vendor's security contact."), vendor=vendor, now=now)
            for vendor in Vendor.objects.filter(name__startswith="Contactless")]


CHECK = CalendarCheck(kinds=(KIND,), run=missing_contacts, label=gettext_lazy("Vendor contacts (test)"))

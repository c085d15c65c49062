"""Demo pages that a generic walk may not reach on its own, for the accessibility walk and the German-pages test."""

from __future__ import annotations


def watch_and_document_pages(tenant, panels: bool = False) -> list[str]:
    """The watched sub-processor page (its vendor's page, where the watch panel loads, and the events its two
    snapshots recorded) and the certificate documents (one confirmed, one waiting), with their vendors' registers.
    ``panels`` adds the watch panel itself (loaded into the vendor page by HTMX, so a crawl of links misses it)."""
    from vendorvet.web.assessments.models_documents import CertificationDocument
    from vendorvet.web.monitoring.models import MonitoringEvent
    from vendorvet.web.watch.models import WatchedPage

    watched = WatchedPage.all_tenants.filter(tenant=tenant).order_by("pk").first()
    assert watched is not None and watched.latest_diff, "the demo has no watched page with a change"
    events = list(MonitoringEvent.all_tenants.filter(tenant=tenant, kind__startswith="watch_").order_by("pk"))
    assert len(events) >= 2, "the demo has no watch events"
    documents = list(CertificationDocument.all_tenants.filter(tenant=tenant).order_by("pk"))
    assert {d.state for d in documents} == {"confirmed", "suggested"}, "the demo lacks a document in either state"
    return ([f"/vendors/{watched.vendor_id}/"] + ([f"/watch/vendors/{watched.vendor_id}/panel/"] if panels else [])
            + [f"/monitoring/events/{e.pk}/" for e in events]
            + [f"/assessments/vendors/{d.vendor_id}/certifications/" for d in documents]
            + [f"/assessments/certificate-documents/{d.pk}/" for d in documents])

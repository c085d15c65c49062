"""Demo data: a Hamburg machine builder with a realistic integration inventory, a second tenant, and a small
financial entity with a DORA register of information (``demo_dora.py``).

Loaded by ``vendorvet demo``. Everything is written through the models and the inventory
services inside ``tenant_session(tenant, Actor(kind="system", label="demo loader"))``, so
it is validated like user input and appears in the change history. Loading is idempotent:
a tenant that already exists is reused as it is (including any edits made in the demo).

Vendor legal names and countries follow widely published facts; contact people, business
owners and e-mail addresses (example.com) are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from vendorvet.web.demo_dora import ELBUFER_INTEGRATIONS, ELBUFER_VENDORS

DEMO_ACTOR_LABEL = "demo loader"


@dataclass
class TenantSpec:
    slug: str
    name: str
    vendors: dict[str, dict[str, Any]]
    integrations: list[dict[str, Any]]
    edits: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def _contact(name: str, role: str, email: str, phone: str = "") -> dict[str, str]:
    return {"name": name, "role": role, "email": email, "phone": phone}


# --------------------------------------------------------------------------------------------------
# Nordlicht Maschinenbau GmbH — 300 people, special-purpose machinery, Hamburg
# --------------------------------------------------------------------------------------------------
NORDLICHT_VENDORS: dict[str, dict[str, Any]] = {
    "microsoft": {
        "name": "Microsoft Ireland Operations Ltd", "country": "IE",
        "website": "https://www.microsoft.com",
        "trust_center_url": "https://www.microsoft.com/en-us/trust-center",
        "status_page_url": "https://status.cloud.microsoft",
        "dpa_url": "https://www.microsoft.com/licensing/docs/view/"
                   "Microsoft-Products-and-Services-Data-Protection-Addendum-DPA",
        "subprocessors_url": "https://servicetrust.microsoft.com/",
        "notes": "Contract through our licensing partner (CSP). Data location for Microsoft 365 core services: EU.",
        "contacts": [_contact("Sabine Krüger", "account manager (CSP partner)", "sabine.krueger@example.com",
                              "+49 40 555 0101")],
    },
    "salesforce": {
        "name": "Salesforce, Inc.", "country": "US",
        "website": "https://www.salesforce.com",
        "trust_center_url": "https://trust.salesforce.com",
        "status_page_url": "https://status.salesforce.com",
        "dpa_url": "https://www.salesforce.com/company/legal/agreements/",
        "subprocessors_url": "https://www.salesforce.com/company/legal/trust-and-compliance-documentation/",
        "contacts": [_contact("Marco Lehmann", "account executive", "marco.lehmann@example.com")],
    },
    "datev": {
        "name": "DATEV eG", "country": "DE",
        "website": "https://www.datev.de",
        "notes": "Used together with our tax advisor (Steuerberatung Alsterblick). AVV concluded via the "
                 "DATEV contract portal.",
        "contacts": [_contact("Steuerberatung Alsterblick, Frau Ahrens", "tax advisor",
                              "kanzlei.ahrens@example.com", "+49 40 555 0144")],
    },
    "personio": {
        "name": "Personio SE & Co. KG", "country": "DE",
        "website": "https://www.personio.com",
        "notes": "AVV signed 2023, copy in the contract folder (HR/Verträge).",
        "contacts": [_contact("Julia Brandes", "customer success manager", "julia.brandes@example.com")],
    },
    "hubspot": {
        "name": "HubSpot, Inc.", "country": "US",
        "website": "https://www.hubspot.com",
        "trust_center_url": "https://trust.hubspot.com",
        "status_page_url": "https://status.hubspot.com",
        "dpa_url": "https://legal.hubspot.com/dpa",
        "subprocessors_url": "https://legal.hubspot.com/sub-processors-page",
        "contacts": [_contact("Ciarán Walsh", "channel account manager", "ciaran.walsh@example.com")],
    },
    "slack": {
        "name": "Slack Technologies, LLC", "country": "US",
        "website": "https://slack.com",
        "trust_center_url": "https://slack.com/trust",
        "status_page_url": "https://slack-status.com",
        "subprocessors_url": "https://slack.com/slack-subprocessors",
        "contacts": [_contact("Support", "support", "slack-support@example.com")],
    },
    "miro": {
        "name": "RealtimeBoard, Inc. (Miro)", "country": "US",
        "website": "https://miro.com",
        "trust_center_url": "https://miro.com/trust/",
        "contacts": [_contact("Anouk de Vries", "account manager", "anouk.devries@example.com")],
    },
    "zoom": {
        "name": "Zoom Communications, Inc.", "country": "US",
        "website": "https://www.zoom.com",
        "trust_center_url": "https://www.zoom.com/en/trust/",
        "status_page_url": "https://status.zoom.us",
        "contacts": [_contact("Zoom sales EMEA", "sales", "zoom-emea@example.com")],
    },
    "atlassian": {
        "name": "Atlassian Pty Ltd", "country": "AU",
        "website": "https://www.atlassian.com",
        "trust_center_url": "https://www.atlassian.com/trust",
        "status_page_url": "https://status.atlassian.com",
        "dpa_url": "https://www.atlassian.com/legal/data-processing-addendum",
        "subprocessors_url": "https://www.atlassian.com/legal/sub-processors",
        "contacts": [_contact("Atlassian partner: Nordwerk IT GmbH", "solution partner",
                              "service@example.net", "+49 40 555 0177")],
    },
    "mailchimp": {
        "name": "The Rocket Science Group LLC (Intuit Mailchimp)", "country": "US",
        "website": "https://mailchimp.com",
        "status_page_url": "https://status.mailchimp.com",
        "dpa_url": "https://mailchimp.com/legal/data-processing-addendum/",
        "contacts": [],
    },
    "stripe": {
        "name": "Stripe Payments Europe, Limited", "country": "IE",
        "website": "https://stripe.com",
        "trust_center_url": "https://stripe.com/docs/security",
        "status_page_url": "https://status.stripe.com",
        "dpa_url": "https://stripe.com/legal/dpa",
        "subprocessors_url": "https://stripe.com/legal/service-providers",
        "contacts": [_contact("Stripe support", "support", "stripe-support@example.com")],
    },
    "deepl": {
        "name": "DeepL SE", "country": "DE",
        "website": "https://www.deepl.com",
        "trust_center_url": "https://www.deepl.com/pro-data-security",
        "contacts": [_contact("Lukas Hoffmann", "sales (API)", "lukas.hoffmann@example.com")],
    },
    "github": {
        "name": "GitHub, Inc.", "country": "US",
        "website": "https://github.com",
        "trust_center_url": "https://github.com/security",
        "status_page_url": "https://www.githubstatus.com",
        "dpa_url": "https://github.com/customer-terms/github-data-protection-agreement",
        "subprocessors_url": "https://docs.github.com/en/site-policy/privacy-policies/github-subprocessors",
        "contacts": [_contact("Priya Raman", "enterprise account manager", "priya.raman@example.com")],
    },
    "calendly": {
        "name": "Calendly LLC", "country": "US",
        "website": "https://calendly.com",
        "trust_center_url": "https://calendly.com/security",
        "contacts": [],
    },
    "veeam": {
        "name": "Veeam Software Group GmbH", "country": "CH",
        "website": "https://www.veeam.com",
        "notes": "Licences and first-level support through Nordwerk IT GmbH.",
        "contacts": [_contact("Nordwerk IT GmbH, Hotline", "service provider", "service@example.net",
                              "+49 40 555 0177")],
    },
    "statista": {
        "name": "Statista GmbH", "country": "DE",
        "website": "https://www.statista.com",
        "contacts": [],
    },
    "quickpdf": {
        "name": "Unverified publisher of 'QuickPDF Sign'", "country": "",
        "notes": "Publisher not verified in Entra ID; no legal entity, address or privacy policy found yet.",
        "contacts": [],
    },
}

NORDLICHT_INTEGRATIONS: list[dict[str, Any]] = [
    {
        "vendor": "microsoft", "name": "Microsoft 365 (Exchange Online, Teams, SharePoint)", "kind": "saas",
        "purpose": "E-mail, calendars, chat and video calls, documents and file shares for the whole company.",
        "business_owner": "Jens Hansen (IT lead)", "department": "IT", "status": "approved",
        "data_categories": ["personal", "internal"], "data_subjects": ["employees", "customers", "suppliers"],
        "approx_users": 300, "approx_records": 250000, "processing_countries": ["IE", "NL", "DE"],
        "access_scope": "tenant_wide", "outage_impact": "critical",
        "endpoints": ["https://graph.microsoft.com", "https://outlook.office365.com",
                      "https://login.microsoftonline.com"],
        "tags": ["core", "sso", "eu-data-boundary"],
        "notes": "Conditional access and MFA enforced for all accounts. Global admins: 2 (IT).",
    },
    {
        "vendor": "salesforce", "name": "Salesforce Sales Cloud", "kind": "saas",
        "purpose": "CRM for the sales team: accounts, contacts, opportunities and quotes for machines and "
                   "spare parts.",
        "business_owner": "Katrin Vogel (Head of Sales)", "department": "Sales", "status": "approved",
        "data_categories": ["personal"], "data_subjects": ["customers", "prospects"],
        "approx_users": 45, "approx_records": 60000, "processing_countries": ["DE", "FR", "US"],
        "access_scope": "write", "outage_impact": "high",
        "endpoints": ["https://nordlicht.my.salesforce.com"],
        "tags": ["crm", "sso"],
        "notes": "Connected to Microsoft 365 (Outlook integration) and HubSpot (lead sync).",
    },
    {
        "vendor": "datev", "name": "DATEV Unternehmen online", "kind": "saas",
        "purpose": "Exchange of receipts and bookkeeping data with the tax advisor; payroll documents.",
        "business_owner": "Thomas Brandt (Head of Finance)", "department": "Finance", "status": "approved",
        "data_categories": ["financial", "personal"], "data_subjects": ["employees", "suppliers", "customers"],
        "approx_users": 6, "approx_records": 40000, "processing_countries": ["DE"],
        "access_scope": "write", "outage_impact": "medium",
        "endpoints": ["https://duo.datev.de"],
        "tags": ["finance", "tax"],
    },
    {
        "vendor": "personio", "name": "Personio HR", "kind": "saas",
        "purpose": "Personnel files, absences, recruiting and onboarding. Sick notes (AU-Bescheinigungen) "
                   "are uploaded by employees.",
        "business_owner": "Miriam Schulte (Head of HR)", "department": "HR", "status": "in_review",
        "data_categories": ["personal", "special_category", "health"],
        "data_subjects": ["employees", "applicants"],
        "approx_users": 300, "approx_records": 1400, "processing_countries": ["DE"],
        "access_scope": "write", "outage_impact": "medium",
        "endpoints": ["https://nordlicht.personio.de", "https://api.personio.de"],
        "tags": ["hr", "art-9"],
        "notes": "Health data: sick notes visible to HR only (role 'HR Admin'); deletion after 3 years.",
    },
    {
        "vendor": "hubspot", "name": "HubSpot Marketing Hub", "kind": "saas",
        "purpose": "Newsletters, trade-fair lead capture, landing pages and marketing automation.",
        "business_owner": "Lena Petersen (Marketing)", "department": "Marketing", "status": "proposed",
        "data_categories": ["personal"], "data_subjects": ["prospects", "customers", "website_visitors"],
        "approx_users": 8, "approx_records": 120000, "processing_countries": ["DE", "US"],
        "access_scope": "write", "outage_impact": "low",
        "endpoints": ["https://api.hubapi.com"],
        "tags": ["marketing", "third-country"],
        "notes": "Would replace Mailchimp. Account to be hosted in the EU data centre.",
    },
    {
        "vendor": "slack", "name": "Slack", "kind": "saas",
        "purpose": "Chat for the software team of the machine-control department.",
        "business_owner": "Dr. Ole Jürgensen (Head of Controls Engineering)", "department": "Engineering",
        "status": "approved",
        "data_categories": ["personal", "internal"], "data_subjects": ["employees"],
        "approx_users": 40, "approx_records": 90000, "processing_countries": ["US"],
        "access_scope": "write", "outage_impact": "low",
        "endpoints": ["https://slack.com/api"],
        "tags": ["collaboration"],
    },
    {
        "vendor": "miro", "name": "Miro", "kind": "saas",
        "purpose": "Online whiteboards for design reviews and workshops with customers.",
        "business_owner": "Dr. Ole Jürgensen (Head of Controls Engineering)", "department": "Engineering",
        "status": "approved_with_conditions",
        "data_categories": ["internal"], "data_subjects": ["employees", "customers"],
        "approx_users": 35, "processing_countries": ["DE", "US"],
        "access_scope": "write", "outage_impact": "low",
        "tags": ["collaboration"],
        "notes": "Condition: no drawings of customer machines on boards shared outside the company.",
    },
    {
        "vendor": "zoom", "name": "Zoom Meetings", "kind": "saas",
        "purpose": "Remote commissioning and service calls with customers who do not use Teams.",
        "business_owner": "Frank Möller (Head of Service)", "department": "Service",
        "status": "approved_with_conditions",
        "data_categories": ["personal"], "data_subjects": ["employees", "customers"],
        "approx_users": 25, "processing_countries": ["DE", "US"],
        "access_scope": "read", "outage_impact": "medium",
        "endpoints": ["https://api.zoom.us"],
        "tags": ["video", "third-country"],
        "notes": "Condition: cloud recording disabled; meetings routed through EU data centres.",
    },
    {
        "vendor": "atlassian", "name": "Atlassian Jira Cloud", "kind": "saas",
        "purpose": "Issue tracking for machine-control software and customer change requests.",
        "business_owner": "Dr. Ole Jürgensen (Head of Controls Engineering)", "department": "Engineering",
        "status": "approved",
        "data_categories": ["internal", "personal"], "data_subjects": ["employees", "customers"],
        "approx_users": 90, "approx_records": 35000, "processing_countries": ["DE", "IE"],
        "access_scope": "write", "outage_impact": "high",
        "endpoints": ["https://nordlicht.atlassian.net"],
        "tags": ["engineering", "data-residency-eu"],
    },
    {
        "vendor": "mailchimp", "name": "Mailchimp", "kind": "saas",
        "purpose": "Customer newsletter (quarterly) — to be replaced.",
        "business_owner": "Lena Petersen (Marketing)", "department": "Marketing", "status": "approved",
        "data_categories": ["personal"], "data_subjects": ["customers", "prospects"],
        "approx_users": 3, "approx_records": 8000, "processing_countries": ["US"],
        "access_scope": "write", "outage_impact": "low",
        "endpoints": ["https://us21.api.mailchimp.com"],
        "tags": ["marketing", "third-country"],
    },
    {
        "vendor": "stripe", "name": "Stripe Payments", "kind": "api",
        "purpose": "Card and SEPA payments in the spare-parts web shop.",
        "business_owner": "Nadine Krause (E-commerce)", "department": "Sales", "status": "approved",
        "data_categories": ["financial", "personal"], "data_subjects": ["customers"],
        "approx_users": 4, "approx_records": 12000, "processing_countries": ["IE", "US"],
        "access_scope": "write", "outage_impact": "high",
        "endpoints": ["https://api.stripe.com"],
        "tags": ["payments", "webshop", "pci-dss"],
        "notes": "Card data never touches our servers (Stripe Checkout). Restricted API key per environment.",
    },
    {
        "vendor": "deepl", "name": "DeepL API", "kind": "api",
        "purpose": "Translation of operating manuals and product data sheets into 14 languages.",
        "business_owner": "Anke Sommer (Technical Documentation)", "department": "Engineering",
        "status": "approved",
        "data_categories": ["none"], "data_subjects": [],
        "approx_users": 6, "processing_countries": ["DE"],
        "access_scope": "", "outage_impact": "low",
        "endpoints": ["https://api.deepl.com"],
        "tags": ["translation"],
        "notes": "Only published documentation is sent; texts are not stored by the Pro API.",
    },
    {
        "vendor": "github", "name": "GitHub Enterprise Cloud", "kind": "saas",
        "purpose": "Source code of the machine-control software and PLC libraries; CI pipelines that build "
                   "and sign firmware.",
        "business_owner": "Dr. Ole Jürgensen (Head of Controls Engineering)", "department": "Engineering",
        "status": "approved_with_conditions",
        "data_categories": ["credentials", "internal"], "data_subjects": ["employees"],
        "approx_users": 35, "processing_countries": ["US"],
        "access_scope": "admin", "outage_impact": "high",
        "endpoints": ["https://api.github.com", "https://github.com/nordlicht-maschinenbau"],
        "tags": ["engineering", "third-country"],
        "notes": "CI secrets include the firmware signing key for the build pipeline.",
    },
    {
        "vendor": "calendly", "name": "Calendly", "kind": "oauth_app",
        "purpose": "Booking of demo appointments by prospects; reads and writes the sales team's "
                   "Outlook calendars.",
        "business_owner": "Katrin Vogel (Head of Sales)", "department": "Sales", "status": "proposed",
        "data_categories": ["personal"], "data_subjects": ["prospects", "employees"],
        "approx_users": 12, "approx_records": 2000, "processing_countries": ["US"],
        "access_scope": "write", "outage_impact": "low",
        "endpoints": ["https://api.calendly.com"],
        "tags": ["sales", "third-country"],
    },
    {
        "vendor": "veeam", "name": "Veeam Backup & Replication agent", "kind": "agent",
        "purpose": "Nightly backups of file servers, ERP database and virtual machines to the on-prem "
                   "repository and an offsite copy.",
        "business_owner": "Jens Hansen (IT lead)", "department": "IT", "status": "approved",
        "data_categories": ["credentials", "personal", "financial", "internal"],
        "data_subjects": ["employees", "customers", "suppliers"],
        "approx_users": 3, "processing_countries": ["DE"],
        "access_scope": "admin", "outage_impact": "high",
        "tags": ["on-prem", "backup"],
        "notes": "Runs with domain admin rights on all servers. Immutable repository since 2024.",
    },
    {
        "vendor": "statista", "name": "Statista", "kind": "saas",
        "purpose": "Market statistics for sales planning and trade-fair preparation.",
        "business_owner": "Katrin Vogel (Head of Sales)", "department": "Sales", "status": "approved",
        "data_categories": ["none"], "data_subjects": [],
        "approx_users": 10, "processing_countries": ["DE"],
        "access_scope": "read", "outage_impact": "low",
        "tags": ["research"],
    },
    {
        "vendor": "quickpdf", "name": "QuickPDF Sign (Outlook add-in)", "kind": "oauth_app",
        "purpose": "Unknown — appears to convert and sign PDF attachments.",
        "business_owner": "", "department": "Purchasing", "status": "proposed",
        "data_categories": ["personal", "internal"], "data_subjects": ["employees", "suppliers"],
        "approx_users": 12, "processing_countries": [],
        "access_scope": "read", "outage_impact": "",
        "discovery_source": "oauth_grant",
        "tags": ["shadow-it"],
        "notes": "Found in the Entra ID consent grants: Mail.Read and Files.Read.All, consented by 12 users in "
                 "Purchasing. User consent for unverified publishers has since been disabled.",
    },
]

# Edits after creation, so the demo's change history shows real before/after values.
NORDLICHT_EDITS: list[tuple[str, dict[str, Any]]] = [
    ("Personio HR", {"status": "approved_with_conditions",
                     "notes": "Health data: sick notes visible to HR only (role 'HR Admin'); deletion after "
                              "3 years.\nApproved with conditions by the DPO: annual access review of HR Admin "
                              "accounts."}),
    ("HubSpot Marketing Hub", {"status": "in_review", "approx_records": 125000}),
    ("Slack", {"status": "retired", "outage_impact": "low",
               "notes": "Replaced by Microsoft Teams in 2025; workspace read-only until the export is done."}),
    ("Mailchimp", {"status": "rejected",
                   "notes": "Renewal rejected: newsletter moves to HubSpot (EU hosting)."}),
    ("GitHub Enterprise Cloud", {"tags": ["engineering", "third-country", "sso-enforced", "secret-scanning"]}),
]

# --------------------------------------------------------------------------------------------------
# Hafenblick Logistik AG — second tenant, to show the tenant switcher and the separation
# --------------------------------------------------------------------------------------------------
HAFENBLICK_VENDORS: dict[str, dict[str, Any]] = {
    "microsoft": {**{k: v for k, v in NORDLICHT_VENDORS["microsoft"].items() if k != "notes"},
                  "contacts": [_contact("Hafenblick IT service desk", "internal", "it@example.org")]},
    "transporeon": {
        "name": "Transporeon GmbH", "country": "DE",
        "website": "https://www.transporeon.com",
        "contacts": [],
    },
    "personio": {**NORDLICHT_VENDORS["personio"], "notes": "",
                 "contacts": [_contact("Personio support", "support", "personio-support@example.org")]},
}

HAFENBLICK_INTEGRATIONS: list[dict[str, Any]] = [
    {
        "vendor": "microsoft", "name": "Microsoft 365", "kind": "saas",
        "purpose": "E-mail, Teams and SharePoint for office and dispatch staff.",
        "business_owner": "Svenja Wulf (IT)", "department": "IT", "status": "approved",
        "data_categories": ["personal", "internal"], "data_subjects": ["employees", "customers"],
        "approx_users": 180, "processing_countries": ["IE", "NL"],
        "access_scope": "tenant_wide", "outage_impact": "critical",
        "endpoints": ["https://graph.microsoft.com"], "tags": ["core"],
    },
    {
        "vendor": "transporeon", "name": "Transporeon Time Slot Management", "kind": "saas",
        "purpose": "Loading-dock time slots for carriers at the Altenwerder warehouse.",
        "business_owner": "Malte Jessen (Operations)", "department": "Operations", "status": "in_review",
        "data_categories": ["personal"], "data_subjects": ["suppliers"],
        "approx_users": 40, "approx_records": 30000, "processing_countries": ["DE"],
        "access_scope": "write", "outage_impact": "critical", "tags": ["logistics"],
    },
    {
        "vendor": "personio", "name": "Personio HR", "kind": "saas",
        "purpose": "Personnel files and shift absences.",
        "business_owner": "Birte Lange (HR)", "department": "HR", "status": "approved",
        "data_categories": ["personal", "health"], "data_subjects": ["employees"],
        "approx_users": 180, "approx_records": 600, "processing_countries": ["DE"],
        "access_scope": "write", "outage_impact": "medium", "tags": ["hr", "art-9"],
    },
]
HAFENBLICK_EDITS: list[tuple[str, dict[str, Any]]] = [
    ("Transporeon Time Slot Management", {"approx_users": 55}),
]

DEMO_TENANTS = [
    TenantSpec("nordlicht", "Nordlicht Maschinenbau GmbH", NORDLICHT_VENDORS, NORDLICHT_INTEGRATIONS,
               NORDLICHT_EDITS),
    TenantSpec("hafenblick", "Hafenblick Logistik AG", HAFENBLICK_VENDORS, HAFENBLICK_INTEGRATIONS,
               HAFENBLICK_EDITS),
    TenantSpec("elbufer", "Elbufer Finanz AG", ELBUFER_VENDORS, ELBUFER_INTEGRATIONS),  # DORA financial entity
]


# --------------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------------
def demo_actor():
    from vendorvet.web.core.context import Actor

    return Actor(kind="system", label=DEMO_ACTOR_LABEL, role="admin")


def _load_tenant(spec: TenantSpec):
    from vendorvet.web.accounts.models import Tenant
    from vendorvet.web.core.context import tenant_session
    from vendorvet.web.inventory.models import Contact, Integration, Vendor
    from vendorvet.web.inventory.services import save_object, set_endpoints

    tenant = Tenant.objects.create(slug=spec.slug, name=spec.name)
    with tenant_session(tenant, demo_actor()):
        vendors: dict[str, Vendor] = {}
        for key, data in spec.vendors.items():
            fields = {k: v for k, v in data.items() if k != "contacts"}
            vendor = save_object(Vendor(**fields))
            for contact in data.get("contacts", []):
                save_object(Contact(vendor=vendor, **contact))
            vendors[key] = vendor
        by_name: dict[str, Integration] = {}
        for data in spec.integrations:
            fields = {k: v for k, v in data.items() if k not in ("vendor", "endpoints")}
            integration = save_object(Integration(vendor=vendors[data["vendor"]], **fields))
            if data.get("endpoints"):
                set_endpoints(integration, data["endpoints"])
            by_name[integration.name] = integration
        for name, changes in spec.edits:
            integration = Integration.objects.get(pk=by_name[name].pk)
            for attr, value in changes.items():
                setattr(integration, attr, value)
            save_object(integration)
        from vendorvet.web.demo_reviews import disable_scheduled_scans, load_reviews

        if spec.slug == "elbufer":
            from vendorvet.web.demo_dora import load_dora

            load_dora(by_name, vendors)
        if spec.slug == "nordlicht":
            load_reviews({name: Integration.objects.get(pk=i.pk) for name, i in by_name.items()}, vendors)
        disable_scheduled_scans()
        from vendorvet.web.demo_examples import complete

        complete(spec.slug)
        if spec.slug == "nordlicht":  # a watched sub-processor page and certificate documents
            from vendorvet.web.demo_watch import load as load_watch_and_documents

            load_watch_and_documents(vendors)
    return tenant


def load_demo() -> list[tuple[object, bool]]:
    """Create the demo tenants that do not exist yet. Returns [(tenant, created)] in spec order."""
    from vendorvet.web.accounts.models import Tenant

    result = []
    for spec in DEMO_TENANTS:
        existing = Tenant.objects.filter(slug=spec.slug).first()
        if existing is not None:
            result.append((existing, False))
            continue
        with transaction.atomic():
            result.append((_load_tenant(spec), True))
    return result


def ensure_admin(user, tenant, actor) -> bool:
    """Make ``user`` administrator of ``tenant``, attributed to ``actor``. True if anything changed.

    Shared by the demo and ``vendorvet createadmin``; a no-op (no history entry) when already admin.
    """
    from vendorvet.web.accounts.models import Membership
    from vendorvet.web.accounts.roles import Role
    from vendorvet.web.core.context import tenant_session

    with tenant_session(tenant, actor):
        membership = Membership.objects.filter(user=user).first()
        if membership is None:
            Membership.objects.create(user=user, role=Role.ADMIN)
            return True
        if membership.role != Role.ADMIN:
            membership.role = Role.ADMIN
            membership.save()
            return True
    return False


def grant_demo_admin(user, tenants) -> bool:
    """Make ``user`` administrator of every demo tenant (logged as the demo loader). True if changed."""
    changed = False
    for tenant in tenants:
        changed = ensure_admin(user, tenant, demo_actor()) or changed
    return changed

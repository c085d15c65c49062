"""The tenant contract, driven by the URL resolver: every route that takes an object id answers 404 when a member
of tenant A names an object of tenant B — for every method it accepts, on the web and in the API.

Which model a route's id belongs to is read from the view (an API viewset's queryset or serializer) or, for web
routes, from the path segment before the id (``integrations/<int:pk>/…``). A route whose model cannot be told
fails the contract until its segment is added to ``SEGMENT_MODELS`` — so no new route goes unchecked.
"""

from __future__ import annotations

from tests.contract.routes import PARAMETER, Route, all_routes

SEGMENT_MODELS = {
    "integrations": "inventory.Integration",
    "vendors": "inventory.Vendor",
    "assessments": "assessments.Assessment",
    "answers": "assessments.Answer",
    "evidence": "assessments.Evidence",
    "certifications": "assessments.Certification",
    "certificate-documents": "assessments.CertificationDocument",
    "conditions": "assessments.Condition",
    "runs": "scans.ScanRun",
    "imports": "discovery.ImportRun",
    "apps": "discovery.DiscoveredApp",
    "sub-processors": "legal.SubProcessor",
    "contracts": "legal.Contract",
    "tia": "legal.TransferImpactAssessment",
    "events": "monitoring.MonitoringEvent",
    "rules": "monitoring.AlertRule",
    "sboms": "supplychain.SbomVersion",
    "tokens": "accounts.APIToken",
    "members": "accounts.Membership",
    "invitations": "accounts_security.Invitation",
    "functions": "dora.DoraFunction",
    "branches": "dora.DoraBranch",
    "questionnaires": "questionnaires.Questionnaire",
    "items": "questionnaires.QuestionnaireItem",
    "recipients": "questionnaires.Recipient",
    "files": "questionnaires.VendorFile",
    "pages": "watch.WatchedPage",
}

# Routes with an id that the tenant contract does not apply to, and why.
NOT_TENANT_ROUTES = {
    "admin": "the Django admin is the installation operators' deliberately cross-tenant tool (superusers only)",
    "mfa:totp_remove": "a user's own second factors are not tenant data: looked up among the logged-in user's "
                       "devices only (tests/web/test_mfa.py)",
    "mfa:passkey_remove": "a user's own passkeys are not tenant data: looked up among the logged-in user's "
                          "devices only (tests/web/test_mfa.py)",
    "accounts:session_end": "a user's own login sessions are not tenant data: the view looks them up among the "
                            "logged-in user's sessions only (tests/accounts_security/test_pages.py)",
}

NOWHERE = 987_654_321  # an id no table holds
WEB_METHODS = ("get", "post")
API_METHODS = ("get", "post", "put", "patch", "delete")


def _model_of_view(route: Route):
    cls = getattr(route.callback, "cls", None) or getattr(route.callback, "view_class", None)
    if cls is None:
        return None
    queryset = getattr(cls, "queryset", None)
    if queryset is not None:
        return queryset.model
    if getattr(cls, "model", None) is not None:
        return cls.model
    serializer = getattr(cls, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


def model_label_of(route: Route) -> str | None:
    """The label of the model whose id the route takes (its first integer parameter)."""
    model = _model_of_view(route) if route.is_api else None
    if model is not None:
        return model._meta.label
    first = next(m for m in PARAMETER.finditer(route.pattern)
                 if (m.group("rxname") or "").endswith("pk") or m.group("converter") == "int")
    segment = route.pattern[:first.start()].rstrip("/").rpartition("/")[2]
    return SEGMENT_MODELS.get(segment)


def id_routes() -> tuple[list[Route], list[str]]:
    """The routes the contract applies to, and those whose model cannot be told (each a failure)."""
    routes, unknown = [], []
    for route in all_routes():
        if not route.takes_ids or route.name.split(":")[0] in NOT_TENANT_ROUTES \
                or route.name in NOT_TENANT_ROUTES:
            continue
        if model_label_of(route) is None:
            unknown.append(f"{route}: cannot tell which model its id names (add the segment to SEGMENT_MODELS)")
        else:
            routes.append(route)
    return routes, unknown


def _send(client, method: str, url: str, api: bool):
    if method in ("get", "delete"):
        return getattr(client, method)(url)
    return getattr(client, method)(url, data={}, **({"format": "json"} if api else {}))


def cross_tenant_failures(web, api, world: dict) -> list[str]:
    """``web``/``api``: clients of a member (administrator) of a tenant that owns none of ``world``'s objects."""
    routes, failures = id_routes()
    for route in routes:
        label = model_label_of(route)
        obj = world.get(label)
        if obj is None:
            failures.append(f"{route}: {label} is not a tenant-owned model")
            continue
        url = route.url(number=obj.pk)
        client, methods = (api, API_METHODS) if route.is_api else (web, WEB_METHODS)
        answers, nowhere = {}, {}
        for method in methods:
            response = _send(client, method, url, route.is_api)
            answers[method] = response.status_code
            if "Content-Security-Policy" not in response.headers:
                failures.append(f"{route} {method.upper()}: no Content-Security-Policy header")
            if response.status_code not in (404, 405):
                # refused before the lookup (e.g. invalid input: 400): fine if an id that exists nowhere gets
                # the very same refusal, so the answer tells nothing about the other tenant's object
                nowhere[method] = _send(client, method, route.url(number=NOWHERE), route.is_api).status_code
        leaks = {m: code for m, code in answers.items()
                 if code not in (404, 405) and not (400 <= code < 500 and nowhere.get(m) == code)}
        if leaks or set(answers.values()) == {405}:
            failures.append(f"{route} with {label} of another tenant: {answers} (an id that exists nowhere: "
                            f"{nowhere})")
    return failures


def own_tenant_failures(web, api, world: dict) -> list[str]:
    """The positive control: a member of the owning tenant gets past the lookup (not 404) on every route the
    contract checks with GET, so the 404s above are the tenant boundary, not a wrong URL."""
    routes, _unknown = id_routes()
    failures = []
    for route in routes:
        obj = world[model_label_of(route)]
        response = (api if route.is_api else web).get(route.url(number=obj.pk))
        if response.status_code == 404 and route.name not in OWN_TENANT_404:
            failures.append(f"{route}: 404 for its own tenant's {model_label_of(route)}")
    return failures


# Routes that answer 404 even to the owning tenant for the minimal objects the contract builds, and why.
OWN_TENANT_404: dict[str, str] = {}

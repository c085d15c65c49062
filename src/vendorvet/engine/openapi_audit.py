"""Audit an OpenAPI 2.0 / 3.0 / 3.1 document (JSON or YAML) for how the API declares authentication,
transport, rate limits, versioning and deprecation. Pure Python; findings shaped like ``vendorvet scan``.

Defences (in ``openapi_load``): a size cap (32 MB by default; ``--max-bytes`` / VENDORVET_OPENAPI_MAX_BYTES),
a YAML loader that refuses alias expansion beyond a budget (billion laughs), a node budget for the walk, and
``$ref`` chains followed with loop detection. Local references (``#/…``) and relative files inside the spec's
own directory are followed; nothing is fetched, and what could not be resolved is listed as a warning.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Iterator
from urllib.parse import urlsplit

from vendorvet.engine.contract import CheckInfo, check_info
from vendorvet.engine.models import Finding, Severity, Status
from vendorvet.engine.openapi_load import (  # noqa: F401 - re-exported: the audit's public names
    MAX_ALIASES, MAX_BYTES, MAX_BYTES_ENV, MAX_NODES, MAX_REF_CHAIN, FileRefs, OpenAPIError, count_nodes,
    default_max_bytes, may_expand, parse_any, parse_size, read_text)

MAX_POINTERS = 50
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SCHEMA_VERSION = 1


def _rule(check_id: str, severity: Severity, title: str, risk: str, remediation: str) -> tuple[str, CheckInfo]:
    meta = {"id": check_id, "severity": severity.value, "title": title, "risk": risk, "remediation": remediation}
    return check_id, check_info(meta, check_id, kind="openapi")


# The audit's rules under the same contract as the scan checks (engine.registry.CheckInfo); German texts are
# content (content/check_texts.yaml), like the scan checks'.
CHECKS: dict[str, CheckInfo] = dict((
    _rule("openapi.auth.none", Severity.HIGH, "Operations without authentication",
          "Operations for which the specification requires no authentication can be called by anyone who reaches "
          "the API: a direct path to data or functions without access control (OWASP API2, API5).",
          "Ask the vendor whether these operations are really reachable without signing in; require a security "
          "scheme for every non-public operation, or a reason why it may be public."),
    _rule("openapi.auth.basic", Severity.MEDIUM, "HTTP Basic authentication",
          "With HTTP Basic the password travels with every request and is usually long-lived; it can neither be "
          "limited to single permissions nor rotated easily.",
          "Move to OAuth 2.0 or short-lived tokens that can be limited; where Basic must stay, use it only over "
          "TLS and with dedicated, regularly rotated credentials."),
    _rule("openapi.auth.apikey_in_query", Severity.MEDIUM, "API key in the query string",
          "API keys in the URL end up in server and proxy logs, browser history and Referer headers, and so are "
          "easily disclosed.",
          "Send the API key in a header (e.g. Authorization or X-API-Key) instead of the query string."),
    _rule("openapi.auth.secret_in_query", Severity.MEDIUM, "Credentials as query parameters",
          "Operations that take a secret (client secret, refresh or access token, API key, password) as a query "
          "parameter put it into the URL, where server and proxy logs, browser history and Referer headers keep "
          "it.",
          "Ask the vendor to accept these credentials only in a header or in the request body (e.g. the "
          "Authorization header, or a form-encoded POST body for OAuth token requests)."),
    _rule("openapi.oauth.implicit_flow", Severity.HIGH, "OAuth 2.0 implicit flow",
          "The implicit flow delivers access tokens in the URL, where they can be intercepted or disclosed through "
          "history and Referer; the OAuth 2.0 security best current practice (RFC 9700) advises against it.",
          "Move to the authorization code flow with PKCE."),
    _rule("openapi.oauth.password_flow", Severity.HIGH, "OAuth 2.0 resource owner password flow",
          "With the password flow users hand their password to the client application; multi-factor and "
          "federated sign-in do not apply, and RFC 9700 forbids this flow.",
          "Move to the authorization code flow with PKCE or, for server-to-server connections, the client "
          "credentials flow."),
    _rule("openapi.oauth.broad_scopes", Severity.MEDIUM, "Broad OAuth scopes",
          "Very broad scopes (such as admin, full or *) give an integration more rights than it needs; if its "
          "token is stolen, the damage is correspondingly large.",
          "Require fine-grained scopes (least privilege) and run the integration with only the scopes it "
          "actually needs."),
    _rule("openapi.server.http", Severity.HIGH, "Plain-HTTP server",
          "An http:// server named in the specification carries credentials and data without encryption.",
          "List only https:// servers, and switch plain HTTP off or redirect it to HTTPS."),
    _rule("openapi.ratelimit.undocumented", Severity.LOW, "Rate limits not documented",
          "Without documented rate limits integrations cannot plan their requests; it may also mean that no limit "
          "protects the API from abuse (OWASP API4).",
          "Ask the vendor for the limits in force and have them documented in the specification, e.g. as 429 "
          "responses with RateLimit or Retry-After headers."),
    _rule("openapi.versioning.none", Severity.LOW, "No API versioning",
          "Without recognisable versioning integrations cannot pin a stable version; incompatible changes by the "
          "vendor hit them unannounced.",
          "Ask the vendor for its versioning and deprecation policy, and require a version in the path (e.g. /v1/) "
          "or in a header."),
    _rule("openapi.deprecated_operations", Severity.LOW, "Deprecated operations",
          "Operations marked as deprecated will be switched off; integrations that use them then fail.",
          "Check whether the integration uses these operations, and ask the vendor for the shutdown date and the "
          "successor operations."),
))
CHECK_IDS: frozenset[str] = frozenset(CHECKS)  # the finding ids, cited by content/checklist.yaml
BROAD_SCOPE = re.compile(r"(^|[.:/_\-])(all|admin|full|full_access|root|superuser|\*)($|[.:/_\-])|"
                         r"\.All$|^(read|write)$|cloud-platform$|^https://mail\.google\.com/$", re.I)
# a scope whose description grants everything ("Access to all endpoints", "Full access to your account")
BROAD_SCOPE_TEXT = re.compile(
    r"\b(full|unrestricted|complete|unlimited|administrative|admin|root)\s+(api\s+)?access\b|"
    r"\b(access|permissions?)\s+to\s+(all|every|any)\s+(the\s+)?(api\s+)?(endpoints?|apis?|resources?|operations?|"
    r"methods?|services?|features?|data)\b|"
    r"\ball\s+(the\s+)?(api\s+)?(endpoints|apis|resources|operations|scopes|permissions)\b|\beverything\b", re.I)
RATE_HEADER = re.compile(r"^(x-)?rate-?limit|^retry-after$|^ratelimit", re.I)
# versions in a URL path segment: /v1, /v2.1, /1.0, /api.xro/2.0, /api/3, /2010-04-01, /2026-09-beta, /v{version}
VERSION_SEGMENT = re.compile(
    r"^(v\d+([._]\d+)*[a-z]*\d*|\d+\.\d+(\.\d+)?|\d{4}-\d{2}(-\d{2})?(-[a-z][a-z0-9]*)?|"
    r"v?\{[^}]*version[^}]*\}|v\{[^}]+\})$", re.I)
VERSION_PATH = re.compile(r"/v\d+(\.\d+)?(/|$)|/\d{4}-\d{2}(-\d{2})?(/|$)|/api/\d+(/|$)", re.I)
VERSION_PARAM = re.compile(r"^(api[-_]?version|x-api-version|accept-version|version|[a-z]+-version)$", re.I)
VERSION_MEDIA = re.compile(r";\s*(version|v|api-version)\s*=|^application/vnd\.[^;+]*[.\-]v\d+", re.I)
# credentials passed as plain query parameters of an operation
SECRET_PARAM = re.compile(
    r"^(client[-_]?secret|refresh[-_]?token|access[-_]?token|id[-_]?token|auth[-_]?token|token|api[-_]?key|"
    r"apikey|x-api-key|key|password|passwd|pwd|secret|private[-_]?key|session[-_]?(id|token)|sessionid|"
    r"bearer|jwt)$", re.I)


def pointer(*parts: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def load(path: str | os.PathLike, max_bytes: int | None = None) -> Any:
    limit = default_max_bytes() if max_bytes is None else max_bytes
    return parse(read_text(path, limit), str(path))


def parse(text: str, name: str = "document") -> Any:
    doc = parse_any(text, name)
    if not isinstance(doc, dict) or not ("openapi" in doc or "swagger" in doc):
        raise OpenAPIError(f"{name}: not an OpenAPI document (no 'openapi' or 'swagger' field)")
    if may_expand(text):  # JSON and anchor-free YAML are as large as their text, which the size cap bounds
        try:
            count_nodes(doc)
        except OpenAPIError as exc:
            raise OpenAPIError(f"{name}: {exc}") from None
    return doc


@dataclass
class _Doc:
    root: dict
    version: str
    files: FileRefs | None = None  # None: a document given as text; file references cannot be followed
    unresolved: dict[str, str] = field(default_factory=dict)  # "$ref at pointer" → why

    @property
    def v2(self) -> bool:
        return self.version.startswith("2")

    def lookup(self, ref: str, where: str) -> Any:
        file_part, _, fragment = ref.partition("#")
        node: Any = self.root
        if file_part and (self.files is None or file_part != self.files.main):
            rel, why = FileRefs.rel_target(ref, self.files.main if self.files else "")
            if self.files is None and rel is not None:
                why = "a file reference, but the document was not read from a file"
            if rel is None or self.files is None:
                self.unresolved.setdefault(ref, f"{where}: {why}")
                return None
            try:
                node = self.files.load(rel)
            except OpenAPIError as exc:
                self.unresolved.setdefault(ref, f"{where}: {exc}")
                return None
        for part in fragment.lstrip("/").split("/") if fragment.strip("/") else []:
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                if file_part:
                    self.unresolved.setdefault(ref, f"{where}: points to nothing in {file_part}")
                    return None
                raise OpenAPIError(f"$ref {ref!r} points to nothing")
        return node

    def resolve(self, node: Any, where: str) -> Any:
        chain = []
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in chain:
                raise OpenAPIError(f"$ref loop at {where}: {' → '.join([*chain, ref])}")
            chain.append(ref)
            if len(chain) > MAX_REF_CHAIN:
                raise OpenAPIError(f"$ref chain longer than {MAX_REF_CHAIN} at {where}")
            target = self.lookup(ref, where)
            if target is None:
                return {}
            node = target
        return node


@dataclass
class AuditResult:
    source: str
    openapi_version: str
    title: str
    api_version: str
    operations: int
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what could not be read (unresolved $refs)

    def as_dict(self) -> dict:
        return {"target": self.source, "kind": "openapi", "openapi_version": self.openapi_version,
                "title": self.title, "api_version": self.api_version, "operations": self.operations,
                "grade": None, "score": None, "deductions": [], "findings": [f.as_dict() for f in self.findings],
                "warnings": list(self.warnings)}


def _operations(d: _Doc) -> Iterator[tuple[str, str, dict, str]]:
    paths = d.root.get("paths") or {}
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        item = d.resolve(item, pointer("paths", path))
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                yield path, method, op, pointer("paths", path, method)


def _schemes(d: _Doc) -> dict[str, tuple[dict, str]]:
    if d.v2:
        raw, base = d.root.get("securityDefinitions") or {}, ("securityDefinitions",)
    else:
        raw, base = (d.root.get("components") or {}).get("securitySchemes") or {}, ("components", "securitySchemes")
    out = {}
    if isinstance(raw, dict):
        for name, scheme in raw.items():
            where = pointer(*base, name)
            scheme = d.resolve(scheme, where)
            if isinstance(scheme, dict):
                out[name] = (scheme, where)
    return out


def _finding(check_id: str, pointers: list[str], detail: str, status: Status = Status.FAIL, **evidence) -> Finding:
    rule = CHECKS[check_id]
    severity, title = rule.severity, rule.title
    if not pointers:
        return Finding(check_id, Status.PASS, Severity.INFO, title, detail, evidence)
    ev = {"pointer": pointers[0], "pointers": pointers[:MAX_POINTERS], "count": len(pointers), **evidence}
    return Finding(check_id, status, severity, title, detail, ev)


def audit(doc: dict, source: str = "document", files: FileRefs | None = None) -> AuditResult:
    version = str(doc.get("openapi") or doc.get("swagger") or "")
    if not re.match(r"^(2\.0|3\.[01])(\.\d+)?", version):
        raise OpenAPIError(f"{source}: unsupported OpenAPI version {version!r} (2.0, 3.0 and 3.1 are supported)")
    d = _Doc(doc, version, files)
    info = doc.get("info") if isinstance(doc.get("info"), dict) else {}
    ops = list(_operations(d))
    schemes = _schemes(d)
    findings: list[Finding] = []

    # authentication per operation
    root_security = doc.get("security")
    unauth = []
    used_schemes: set[str] = set()
    for path, method, op, where in ops:
        sec = op.get("security", root_security)
        for requirement in sec if isinstance(sec, list) else []:
            used_schemes.update(str(k) for k in requirement) if isinstance(requirement, dict) else None
        if not sec or not isinstance(sec, list) or any(isinstance(r, dict) and not r for r in sec):
            unauth.append(where)
    findings.append(_finding("openapi.auth.none", unauth,
                             f"{len(unauth)} of {len(ops)} operations can be called without authentication "
                             "(no security requirement, or an empty one that makes it optional)." if unauth else
                             "Every operation requires authentication."))

    basic, query_keys, implicit, password, broad = [], [], [], [], []
    broad_names: list[str] = []
    for name, (scheme, where) in schemes.items():
        kind = str(scheme.get("type", "")).lower()
        if (kind == "http" and str(scheme.get("scheme", "")).lower() == "basic") or kind == "basic":
            basic.append(where)
        if kind == "apikey" and str(scheme.get("in", "")).lower() == "query" and name in used_schemes:
            query_keys.append(where)  # a declared scheme no operation uses sends nothing
        if kind == "oauth2":
            flows = {str(scheme.get("flow", "")): scheme} if d.v2 else (scheme.get("flows") or {})
            for flow_name, flow in flows.items():
                flow_ptr = where if d.v2 else pointer(*_split(where), "flows", flow_name)
                if flow_name == "implicit":
                    implicit.append(flow_ptr)
                if flow_name == "password":
                    password.append(flow_ptr)
                scopes = flow.get("scopes") if isinstance(flow, dict) else None
                for scope, text in scopes.items() if isinstance(scopes, dict) else ():
                    if BROAD_SCOPE.search(str(scope)) or BROAD_SCOPE_TEXT.search(str(text or "")):
                        broad.append(pointer(*_split(flow_ptr), "scopes", scope))
                        broad_names.append(str(scope))
    findings.append(_finding("openapi.auth.basic", basic, "HTTP Basic sends a reusable secret with every request; "
                             "prefer OAuth 2.0 or short-lived tokens." if basic else "No HTTP Basic scheme."))
    findings.append(_finding("openapi.auth.apikey_in_query", query_keys,
                             "API keys in the query string end up in proxy, server and browser logs." if query_keys
                             else "No API key is sent in the query string."))
    secrets = _secret_query_params(d, ops)
    findings.append(_finding("openapi.auth.secret_in_query", [w for w, _n in secrets],
                             "Credentials taken as query parameters: "
                             f"{', '.join(sorted({n for _w, n in secrets}))}; URLs are logged and leak through "
                             "Referer headers." if secrets else "No operation takes a credential as a query "
                             "parameter.", parameters=sorted({n for _w, n in secrets})))
    findings.append(_finding("openapi.oauth.implicit_flow", implicit,
                             "The implicit flow is deprecated by the OAuth 2.0 Security Best Current Practice "
                             "(RFC 9700): tokens in URLs can leak; use authorization code with PKCE." if implicit
                             else "No implicit flow."))
    findings.append(_finding("openapi.oauth.password_flow", password,
                             "The resource owner password flow is deprecated by the OAuth 2.0 Security BCP "
                             "(RFC 9700): the client sees the user's password." if password else
                             "No resource owner password flow."))
    findings.append(_finding("openapi.oauth.broad_scopes", broad,
                             f"Scopes that grant broad access: {', '.join(sorted(set(broad_names)))}; check that "
                             "integrations request only what they need." if broad else "No broad OAuth scopes.",
                             status=Status.WARN, scopes=sorted(set(broad_names))))

    # transport
    http = []
    if d.v2:
        if "http" in [str(s).lower() for s in doc.get("schemes") or []]:
            http.append(pointer("schemes"))
    else:
        servers = [(pointer("servers", i, "url"), s.get("url", "")) for i, s in enumerate(doc.get("servers") or [])
                   if isinstance(s, dict)]
        for path, method, op, where in ops:
            servers += [(pointer(*_split(where), "servers", i, "url"), s.get("url", ""))
                        for i, s in enumerate(op.get("servers") or []) if isinstance(s, dict)]
        for where, url in servers:
            if str(url).lower().startswith("http://") and not re.match(r"http://(localhost|127\.|\[::1\])", url):
                http.append(where)
    findings.append(_finding("openapi.server.http", http, "Servers reachable over plain HTTP: credentials and data "
                             "travel unencrypted." if http else "All declared servers use HTTPS."))

    # rate limits: a 429 response or rate-limit headers anywhere
    if not ops:  # nothing to call: neither limits nor versions can be judged
        for check_id in ("openapi.ratelimit.undocumented", "openapi.versioning.none"):
            rule = CHECKS[check_id]
            findings.append(Finding(check_id, Status.NOT_APPLICABLE, Severity.INFO, rule.title,
                                    "The document describes no operations.", {}))
    else:
        documented = _documents_rate_limits(d, ops)
        findings.append(_finding("openapi.ratelimit.undocumented", [] if documented else [pointer("paths")],
                                 "Neither a 429 response nor rate-limit headers (RateLimit, X-RateLimit-*, "
                                 "Retry-After) are documented." if not documented else
                                 "Rate limiting is documented (429 response or rate-limit headers).",
                                 status=Status.WARN))
        versioned = _is_versioned(d, ops)
        findings.append(_finding("openapi.versioning.none", [] if versioned else [pointer("paths")],
                                 "No version in the base URL or paths and no version header, parameter or media "
                                 "type: breaking changes cannot be announced per version." if not versioned else
                                 "The API is versioned (URL, path, media type or version parameter).",
                                 status=Status.WARN))

    deprecated = [where for _p, _m, op, where in ops if op.get("deprecated") is True]
    findings.append(_finding("openapi.deprecated_operations", deprecated,
                             f"{len(deprecated)} operations are deprecated; integrations using them must move "
                             "before they are removed." if deprecated else "No deprecated operations.",
                             status=Status.INFO))
    warnings = [f"could not resolve $ref {ref!r} at {why}" for ref, why in d.unresolved.items()]
    return AuditResult(source=source, openapi_version=version, title=str(info.get("title", "")),
                       api_version=str(info.get("version", "")), operations=len(ops), findings=findings,
                       warnings=warnings)


def _split(ptr: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in ptr.lstrip("/").split("/")]


def _documents_rate_limits(d: _Doc, ops) -> bool:
    for _p, _m, op, where in ops:
        responses = d.resolve(op.get("responses") or {}, where)
        if not isinstance(responses, dict):
            continue
        for code, response in responses.items():
            if str(code) == "429":
                return True
            response = d.resolve(response, pointer(*_split(where), "responses", code))
            headers = response.get("headers") if isinstance(response, dict) else None
            if isinstance(headers, dict) and any(RATE_HEADER.search(str(h)) for h in headers):
                return True
    components = d.root.get("components") or {}
    for name in (components.get("headers") or {}) if isinstance(components, dict) else {}:
        if RATE_HEADER.search(str(name)):
            return True
    return False


def _parameters(d: _Doc, ops) -> Iterator[tuple[tuple, int, dict]]:
    """Every parameter of every operation (its own and its path item's), resolved: (base parts, index, param)."""
    paths = d.root.get("paths") if isinstance(d.root.get("paths"), dict) else {}
    seen_items: set[str] = set()
    for path, method, op, where in ops:
        lists = [(op.get("parameters"), ("paths", path, method))]
        if path not in seen_items:
            seen_items.add(path)
            item = paths.get(path)
            item = d.resolve(item, where) if isinstance(item, dict) and "$ref" in item else item
            if isinstance(item, dict):
                lists.append((item.get("parameters"), ("paths", path)))
        for params, base in lists:
            if not isinstance(params, list):
                continue
            for i, param in enumerate(params):
                if isinstance(param, dict) and "$ref" in param:
                    param = d.resolve(param, where)
                if isinstance(param, dict):
                    yield base, i, param


def _secret_query_params(d: _Doc, ops) -> list[tuple[str, str]]:
    return [(pointer(*base, "parameters", i), str(p.get("name"))) for base, i, p in _parameters(d, ops)
            if str(p.get("in", "")).lower() == "query" and SECRET_PARAM.match(str(p.get("name", "")))]


def _url_versioned(url: str) -> bool:
    path = urlsplit(url).path if "://" in url else url
    return any(VERSION_SEGMENT.match(seg) for seg in path.split("/") if seg) or bool(VERSION_PATH.search(path + "/"))


def _media_types(d: _Doc, ops) -> Iterator[str]:
    yield from (str(m) for key in ("produces", "consumes") for m in d.root.get(key) or [] if d.v2)
    for _p, _m, op, where in ops:
        if d.v2:
            yield from (str(m) for key in ("produces", "consumes") for m in op.get(key) or [])
            continue
        body = d.resolve(op.get("requestBody") or {}, where)
        if isinstance(body, dict) and isinstance(body.get("content"), dict):
            yield from map(str, body["content"])
        responses = d.resolve(op.get("responses") or {}, where)
        for code, response in responses.items() if isinstance(responses, dict) else ():
            response = d.resolve(response, pointer(*_split(where), "responses", code))
            if isinstance(response, dict) and isinstance(response.get("content"), dict):
                yield from map(str, response["content"])


def _is_versioned(d: _Doc, ops) -> bool:
    if d.v2:
        bases = [str(d.root.get("basePath", ""))]
    else:
        servers = [s for s in d.root.get("servers") or [] if isinstance(s, dict)]
        bases = [str(s.get("url", "")) for s in servers]
        if any(isinstance(s.get("variables"), dict) and any(re.search("version", str(k), re.I)
                                                            for k in s["variables"]) for s in servers):
            return True
    if any(_url_versioned(b) for b in bases):
        return True
    paths = sorted({p for p, _m, _o, _w in ops})
    versioned = [p for p in paths if _url_versioned(p)]
    # all paths, or all but one or two (a public feed, a legacy endpoint) when most carry a version
    unversioned = len(paths) - len(versioned)
    if paths and (unversioned == 0 or (unversioned <= 2 and len(versioned) > unversioned)):
        return True
    if any(param.get("in") in ("header", "query", "path") and VERSION_PARAM.match(str(param.get("name", "")))
           for _b, _i, param in _parameters(d, ops)):
        return True
    return any(VERSION_MEDIA.search(m) for m in _media_types(d, ops))


def audit_file(path: str | os.PathLike, max_bytes: int | None = None) -> AuditResult:
    limit = default_max_bytes() if max_bytes is None else max_bytes
    text = read_text(path, limit)
    doc = parse(text, str(path))
    root, main = os.path.split(os.path.abspath(path))
    files = FileRefs(root, main, limit - len(text.encode("utf-8")),
                     count_nodes(doc) if may_expand(text) else MAX_NODES)
    try:
        return audit(doc, str(path), files)
    except OpenAPIError as exc:
        message = str(exc)
        raise OpenAPIError(message if message.startswith(str(path)) else f"{path}: {message}") from None
    except RecursionError:
        raise OpenAPIError(f"{path}: nesting too deep") from None


def document(results: list[AuditResult]) -> dict:
    return {"schema_version": SCHEMA_VERSION, "targets": [r.as_dict() for r in results]}


ORDER = {Status.FAIL: 0, Status.ERROR: 1, Status.WARN: 2, Status.INFO: 3, Status.PASS: 4, Status.NOT_APPLICABLE: 5}


def render_table(results: list[AuditResult], width: int = 120) -> str:
    lines = []
    for r in results:
        lines.append(f"{r.source}  (OpenAPI {r.openapi_version}, {r.title or 'untitled'} {r.api_version}, "
                     f"{r.operations} operations)")
        lines.append(f"  {'STATUS':<8}{'SEVERITY':<10}{'CHECK':<34}{'WHERE':<30}DETAIL")
        for f in sorted(r.findings, key=lambda f: (ORDER[f.status], -f.severity.rank, f.check_id)):
            where = str(f.evidence.get("pointer", ""))
            count = f.evidence.get("count", 0)
            if count > 1:
                where += f" (+{count - 1})"
            detail = " ".join(f.detail.split())
            room = max(20, width - 84)
            detail = detail if len(detail) <= room else detail[: room - 1] + "…"
            where = where if len(where) <= 29 else where[:28] + "…"
            lines.append(f"  {f.status.value:<8}{f.severity.value:<10}{f.check_id:<34}{where:<30}{detail}")
        lines.extend(f"  warning: {w}" for w in r.warnings)
        lines.append("")
    return "\n".join(lines)

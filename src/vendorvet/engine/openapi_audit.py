"""Audit an OpenAPI 2.0 / 3.0 / 3.1 document (JSON or YAML) for how the API declares authentication,
transport, rate limits, versioning and deprecation. Pure Python; findings shaped like ``vendorvet scan``.

Defences: a 10 MB cap on the file, a YAML loader that refuses alias expansion beyond a budget
(billion laughs), a node budget for the walk, and ``$ref`` chains followed with loop detection.
Only local references (``#/…``) are followed; nothing is fetched.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

import yaml

from vendorvet.engine import jsondepth
from vendorvet.engine.models import Finding, Severity, Status
from vendorvet.engine.contract import CheckInfo, check_info

MAX_BYTES = 10 * 1024 * 1024
MAX_NODES = 2_000_000
MAX_ALIASES = 10_000
MAX_REF_CHAIN = 64
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
RATE_HEADER = re.compile(r"^(x-)?rate-?limit|^retry-after$|^ratelimit", re.I)
VERSION_PATH = re.compile(r"/v\d+(\.\d+)?(/|$)|/\d{4}-\d{2}(-\d{2})?(/|$)|/api/\d+(/|$)", re.I)
VERSION_PARAM = re.compile(r"^(api[-_]?version|x-api-version|accept-version|version|[a-z]+-version)$", re.I)


class OpenAPIError(ValueError):
    """The document cannot be audited; the message says why (and where)."""


def pointer(*parts: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that counts aliases; a billion-laughs document is refused before it is walked."""

    def __init__(self, stream):
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent, index):
        # the composer recurses once per level: bound the nesting like every JSON importer
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > jsondepth.MAX_DEPTH:
                raise jsondepth.TooDeeplyNested()
            return self._compose_counted(parent, index)
        finally:
            self._depth -= 1

    def _compose_counted(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise OpenAPIError(f"the YAML uses more than {MAX_ALIASES} aliases (a 'billion laughs' "
                                   "expansion?); refusing to expand it")
        return super().compose_node(parent, index)


def _count_nodes(doc: Any) -> None:
    """Count nodes as a walk would see them (shared YAML aliases counted each time)."""
    budget = MAX_NODES
    stack = [doc]
    while stack:
        node = stack.pop()
        budget -= 1
        if budget < 0:
            raise OpenAPIError(f"the document expands to more than {MAX_NODES:,} nodes (YAML alias bomb or "
                               "recursive aliases?); refusing to audit it")
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def load(path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> Any:
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        raise OpenAPIError(f"{path}: no such file") from None
    if size > max_bytes:
        raise OpenAPIError(f"{path}: the file is {size / 1048576:.1f} MB, larger than the limit of "
                           f"{max_bytes / 1048576:.0f} MB")
    with open(path, "rb") as fh:
        raw = fh.read(max_bytes + 1)
    if b"\x00" in raw[:4096]:
        raise OpenAPIError(f"{path}: a binary file, not an OpenAPI document")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OpenAPIError(f"{path}: not UTF-8 text") from None
    return parse(text, str(path))


def parse(text: str, name: str = "document") -> Any:
    stripped = text.lstrip()
    try:
        if stripped.startswith("{"):
            doc = jsondepth.loads(text)
        else:
            doc = yaml.load(text, Loader=_BoundedLoader)  # noqa: S506 - SafeLoader subclass
    except json.JSONDecodeError as exc:
        raise OpenAPIError(f"{name}: invalid or truncated JSON at line {exc.lineno}, column {exc.colno}: "
                           f"{exc.msg}") from None
    except yaml.YAMLError as exc:
        raise OpenAPIError(f"{name}: invalid or truncated YAML: {exc}".splitlines()[0]) from None
    except (RecursionError, jsondepth.TooDeeplyNested):
        raise OpenAPIError(f"{name}: the document is too deeply nested (more than {jsondepth.MAX_DEPTH} levels)") from None
    except OpenAPIError as exc:
        raise OpenAPIError(f"{name}: {exc}") from None
    if not isinstance(doc, dict) or not ("openapi" in doc or "swagger" in doc):
        raise OpenAPIError(f"{name}: not an OpenAPI document (no 'openapi' or 'swagger' field)")
    try:
        _count_nodes(doc)
    except OpenAPIError as exc:
        raise OpenAPIError(f"{name}: {exc}") from None
    return doc


@dataclass
class _Doc:
    root: dict
    version: str

    @property
    def v2(self) -> bool:
        return self.version.startswith("2")

    def lookup(self, ref: str) -> Any:
        if not ref.startswith("#"):
            return None  # external references are not followed
        node: Any = self.root
        for part in ref[1:].lstrip("/").split("/") if ref not in ("#", "#/") else []:
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
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
            target = self.lookup(ref)
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

    def as_dict(self) -> dict:
        return {"target": self.source, "kind": "openapi", "openapi_version": self.openapi_version,
                "title": self.title, "api_version": self.api_version, "operations": self.operations,
                "grade": None, "score": None, "deductions": [], "findings": [f.as_dict() for f in self.findings]}


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


def audit(doc: dict, source: str = "document") -> AuditResult:
    version = str(doc.get("openapi") or doc.get("swagger") or "")
    if not re.match(r"^(2\.0|3\.[01])(\.\d+)?", version):
        raise OpenAPIError(f"{source}: unsupported OpenAPI version {version!r} (2.0, 3.0 and 3.1 are supported)")
    d = _Doc(doc, version)
    info = doc.get("info") if isinstance(doc.get("info"), dict) else {}
    ops = list(_operations(d))
    schemes = _schemes(d)
    findings: list[Finding] = []

    # authentication per operation
    root_security = doc.get("security")
    unauth = []
    for path, method, op, where in ops:
        sec = op.get("security", root_security)
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
        if kind == "apikey" and str(scheme.get("in", "")).lower() == "query":
            query_keys.append(where)
        if kind == "oauth2":
            flows = {str(scheme.get("flow", "")): scheme} if d.v2 else (scheme.get("flows") or {})
            for flow_name, flow in flows.items():
                flow_ptr = where if d.v2 else pointer(*_split(where), "flows", flow_name)
                if flow_name == "implicit":
                    implicit.append(flow_ptr)
                if flow_name == "password":
                    password.append(flow_ptr)
                for scope in (flow.get("scopes") or {}) if isinstance(flow, dict) else {}:
                    if BROAD_SCOPE.search(str(scope)):
                        broad.append(pointer(*_split(flow_ptr), "scopes", scope))
                        broad_names.append(str(scope))
    findings.append(_finding("openapi.auth.basic", basic, "HTTP Basic sends a reusable secret with every request; "
                             "prefer OAuth 2.0 or short-lived tokens." if basic else "No HTTP Basic scheme."))
    findings.append(_finding("openapi.auth.apikey_in_query", query_keys,
                             "API keys in the query string end up in proxy, server and browser logs." if query_keys
                             else "No API key is sent in the query string."))
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
    documented = _documents_rate_limits(d, ops)
    findings.append(_finding("openapi.ratelimit.undocumented", [] if documented else [pointer("paths")],
                             "Neither a 429 response nor rate-limit headers (RateLimit, X-RateLimit-*, "
                             "Retry-After) are documented." if not documented else
                             "Rate limiting is documented (429 response or rate-limit headers).", status=Status.WARN))

    versioned = _is_versioned(d, ops)
    findings.append(_finding("openapi.versioning.none", [] if versioned else [pointer("paths")],
                             "No version in the base URL or paths and no version header or parameter: "
                             "breaking changes cannot be announced per version." if not versioned else
                             "The API is versioned (URL, path or version parameter).", status=Status.WARN))

    deprecated = [where for _p, _m, op, where in ops if op.get("deprecated") is True]
    findings.append(_finding("openapi.deprecated_operations", deprecated,
                             f"{len(deprecated)} operations are deprecated; integrations using them must move "
                             "before they are removed." if deprecated else "No deprecated operations.",
                             status=Status.INFO))
    return AuditResult(source=source, openapi_version=version, title=str(info.get("title", "")),
                       api_version=str(info.get("version", "")), operations=len(ops), findings=findings)


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


def _is_versioned(d: _Doc, ops) -> bool:
    bases = [str(d.root.get("basePath", ""))] if d.v2 else [str(s.get("url", "")) for s in d.root.get("servers") or []
                                                            if isinstance(s, dict)]
    if any(VERSION_PATH.search(b + "/") for b in bases):
        return True
    paths = [p for p, _m, _o, _w in ops]
    if paths and all(VERSION_PATH.search(p) for p in paths):
        return True
    for _p, _m, op, where in ops:
        for i, param in enumerate(op.get("parameters") or []):
            param = d.resolve(param, pointer(*_split(where), "parameters", i))
            if isinstance(param, dict) and param.get("in") in ("header", "query") and \
                    VERSION_PARAM.match(str(param.get("name", ""))):
                return True
    return False


def audit_file(path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> AuditResult:
    doc = load(path, max_bytes)
    try:
        return audit(doc, str(path))
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
        lines.append("")
    return "\n".join(lines)

"""Our own implementation of the MDN HTTP Observatory scoring rules (algorithm version 6).

Each test returns ``(result, modifier)``; :func:`score` starts at 100, adds the penalties,
adds bonuses only when the penalised score is at least 90, floors to a multiple of 5 and
maps to a letter grade with the Observatory's chart. Rules from the public scoring
documentation (see ``/work/shared/reference/checks.md``); the code is ours.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from vendorvet.engine.facts import HttpExchange, HttpFacts

GRADE_CHART = [(100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+"), (50, "C"),
               (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"), (0, "F")]
SESSION_NAMES = re.compile(r"(sess|sid|session|auth|token|login|jwt|remember)", re.I)
PRIVATE_REFERRER = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
UNSAFE_REFERRER = {"unsafe-url", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin"}


def grade_for(score: int) -> str:
    return next(grade for floor, grade in GRADE_CHART if score >= floor)


def parse_csp(value: str) -> dict[str, list[str]]:
    policy: dict[str, list[str]] = {}
    for directive in value.split(";"):
        parts = directive.strip().split()
        if parts and parts[0].lower() not in policy:  # first occurrence wins
            policy[parts[0].lower()] = [p.lower() for p in parts[1:]]
    return policy


BROAD_SOURCES = frozenset({"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"})
BROAD_OR_INLINE = BROAD_SOURCES | {"'unsafe-inline'", "data:"}
PASSIVE_DIRECTIVES = ("img-src", "media-src")
NONCE_HASH = ("'sha256-", "'sha384-", "'sha512-", "'nonce-")


def _has_nonce_or_hash(sources: list[str]) -> bool:
    return any(s.startswith(NONCE_HASH) for s in sources)


def test_csp(r: HttpExchange) -> tuple[str, int]:
    """The Observatory's CSP rules: the first failing rule in its order decides."""
    values = r.header_all("content-security-policy")
    policy = parse_csp(",".join(values).split(",")[0]) if values else {}
    if not policy:
        if values:
            return "csp-header-invalid", -25
        if r.header("content-security-policy-report-only"):
            return "csp-not-implemented-report-only", -25
        return "csp-not-implemented", -25
    default = policy.get("default-src")
    script = list(policy.get("script-src", default if default is not None else ["*"]))
    style = list(policy.get("style-src", default if default is not None else ["*"]))
    objects = policy.get("object-src", default if default is not None else ["*"])
    for sources in (script, style):  # a nonce or hash disables 'unsafe-inline' in browsers
        if _has_nonce_or_hash(sources) and "'unsafe-inline'" in sources:
            sources[:] = [s for s in sources if s != "'unsafe-inline'"]
    result = None
    if "'strict-dynamic'" in script:
        if _has_nonce_or_hash(script):  # 'strict-dynamic' makes browsers ignore hosts, schemes, 'self'
            script = [s for s in script if not s.startswith(tuple(BROAD_SOURCES))
                      and s not in ("'self'", "'unsafe-inline'")]
        else:
            result = ("csp-header-invalid", -25)  # 'strict-dynamic' without a nonce or hash
    https = r.url.startswith("https://")
    active = [s for d, v in policy.items() if d not in PASSIVE_DIRECTIVES and d != "script-src" for s in v] + script
    passive = [s for d in PASSIVE_DIRECTIVES for s in policy.get(d, default or [])]
    insecure = ("http:", "ftp:")
    rules = [
        (any(s in BROAD_OR_INLINE for s in script) or any(s in BROAD_SOURCES for s in objects),
         ("csp-implemented-with-unsafe-inline", -20)),
        (https and any(s.startswith(insecure) for s in active), ("csp-implemented-with-insecure-scheme", -20)),
        ("'unsafe-eval'" in script + style, ("csp-implemented-with-unsafe-eval", -10)),
        (https and any(s.startswith(insecure) for s in passive),
         ("csp-implemented-with-insecure-scheme-in-passive-content-only", -10)),
        (any(s in BROAD_OR_INLINE for s in style), ("csp-implemented-with-unsafe-inline-in-style-src-only", 0)),
        (default == ["'none'"], ("csp-implemented-with-no-unsafe-default-src-none", 10)),
    ]
    if result is not None:
        return result
    return next((outcome for hit, outcome in rules if hit), ("csp-implemented-with-no-unsafe", 5))


def _cookie(value: str) -> dict:
    parts = [p.strip() for p in value.split(";")]
    name = parts[0].split("=", 1)[0].strip()
    attrs = {}
    for part in parts[1:]:
        key, _, val = part.partition("=")
        attrs[key.strip().lower()] = val.strip()
    return {"name": name, "secure": "secure" in attrs, "httponly": "httponly" in attrs,
            "samesite": attrs.get("samesite")}


# the Observatory's cookie outcomes from least to most severe; the worst one any cookie earns decides
COOKIE_OUTCOMES = [("cookies-without-secure-flag-but-protected-by-hsts", -5), ("cookies-without-secure-flag", -20),
                   ("cookies-session-without-secure-flag-but-protected-by-hsts", -10),
                   ("cookies-samesite-flag-invalid", -20), ("cookies-anticsrf-without-samesite-flag", -20),
                   ("cookies-session-without-httponly-flag", -30), ("cookies-session-without-secure-flag", -40)]
IGNORED_COOKIES = {"heroku-session-affinity"}


def _samesite_invalid(raw: str) -> bool:
    for part in raw.strip().split(";"):
        key, _, value = part.strip().partition("=")
        if key.strip().lower() == "samesite" and value.split("=")[0].strip().lower() not in ("lax", "strict", "none"):
            return True
    return False


def test_cookies(r: HttpExchange, hsts_ok: bool) -> tuple[str, int]:
    raw = r.header_all("set-cookie")
    worst = -1

    def worse(index: int) -> None:
        nonlocal worst
        worst = max(worst, index)

    if any(_samesite_invalid(v) for v in raw):
        worse(3)
    jar = {c["name"]: c for c in map(_cookie, raw) if c["name"] and c["name"] not in IGNORED_COOKIES}
    if not jar:
        return "cookies-not-found", 0
    for c in jar.values():
        name = c["name"].lower()
        session, anticsrf = "login" in name or "sess" in name, "csrf" in name
        samesite = (c["samesite"] or "").lower() if c["samesite"] is not None else None
        valid_samesite = samesite if samesite in ("lax", "strict", "none") else None
        if not c["secure"] and samesite == "none":
            worse(3)  # SameSite=None without Secure
        if not c["secure"]:
            worse(0 if hsts_ok else 1)
        if anticsrf and not valid_samesite:
            worse(4)
        if session and not c["secure"]:
            worse(2 if hsts_ok else 6)
        if session and not c["httponly"]:
            worse(5)
    if worst >= 0:
        return COOKIE_OUTCOMES[worst]
    if all(c["samesite"] and c["samesite"].lower() in ("lax", "strict", "none") for c in jar.values()):
        return "cookies-secure-with-httponly-sessions-and-samesite", 5
    return "cookies-secure-with-httponly-sessions", 0


def test_cors(facts: HttpFacts) -> tuple[str, int]:
    probe = facts.cors_probe.final if facts.cors_probe and facts.cors_probe.hops else None
    if probe is None or probe.header("access-control-allow-origin") is None:
        return "cross-origin-resource-sharing-not-implemented", 0
    origin = probe.header("access-control-allow-origin").strip()
    credentials = (probe.header("access-control-allow-credentials") or "").strip().lower() == "true"
    if origin == facts.probe_origin and credentials:
        return "cross-origin-resource-sharing-implemented-with-universal-access", -50
    if origin == "*":
        return "cross-origin-resource-sharing-implemented-with-public-access", 0
    return "cross-origin-resource-sharing-implemented-with-restricted-access", 0


def test_redirection(facts: HttpFacts) -> tuple[str, int]:
    plain = facts.plain
    if plain is None or not plain.hops:
        return "redirection-not-needed-no-http", 0
    final = plain.final
    if not final.url.startswith("https://"):
        return ("redirection-missing" if len(plain.hops) == 1 else "redirection-not-to-https"), -20
    first = plain.hops[1].url if len(plain.hops) > 1 else final.url
    if not first.startswith("https://"):
        return "redirection-not-to-https-on-initial-redirection", -10
    if urlsplit(first).hostname != urlsplit(plain.hops[0].url).hostname:
        return "redirection-off-host-from-http", -5
    if not facts.tls_verified:
        return "redirection-invalid-cert", -20
    return "redirection-to-https", 0


def test_referrer(r: HttpExchange) -> tuple[str, int]:
    value = r.header("referrer-policy")
    if value is None:
        return "referrer-policy-not-implemented", 0
    tokens = [t.strip().lower() for t in value.split(",") if t.strip()]
    valid = [t for t in tokens if t in PRIVATE_REFERRER | UNSAFE_REFERRER]
    if not valid:
        return "referrer-policy-header-invalid", -5
    if valid[-1] in PRIVATE_REFERRER:  # the last recognised token wins
        return "referrer-policy-private", 5
    return "referrer-policy-unsafe", -5


OBSERVATORY_SIX_MONTHS = 15_552_000  # the Observatory's threshold (180 days), a little under RFC-ish 15768000
LEADING_INT = re.compile(r"\s*[+-]?\d+")


def _observatory_max_age(value: str) -> int | None | float:
    """max-age as the Observatory reads it: ``None`` when the directive is missing (invalid header), NaN when
    it does not start with a number (then it is not "less than six months")."""
    max_age: int | None | float = None
    for parameter in (p.strip().lower() for p in value[:1024].split(";")):
        if parameter.startswith("max-age="):
            number = LEADING_INT.match(parameter[8:128])
            max_age = int(number.group()) if number else float("nan")
    return max_age


def test_hsts(r: HttpExchange, facts: HttpFacts) -> tuple[str, int]:
    values = r.header_all("strict-transport-security")
    if not r.url.startswith("https://"):
        return "hsts-not-implemented-no-https", -20
    if not facts.tls_verified:  # checked before the header: HSTS needs a valid chain
        return "hsts-invalid-cert", -20
    if not values:
        return "hsts-not-implemented", -20
    value = values[0][:1024]
    max_age = _observatory_max_age(value)
    if "," in value or max_age is None:  # a header set twice (joined with a comma) or without max-age
        return "hsts-header-invalid", -20
    if max_age < OBSERVATORY_SIX_MONTHS:  # NaN compares false, as in the Observatory
        return "hsts-implemented-max-age-less-than-six-months", -10
    return "hsts-implemented-max-age-at-least-six-months", 0


SCRIPT_SRC = re.compile(r"<script\b([^>]*)\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.I)


def test_sri(r: HttpExchange) -> tuple[str, int]:
    content_type = (r.header("content-type") or "").lower()
    if "html" not in content_type:
        return "sri-not-implemented-response-not-html", 0
    html = r.body.decode("utf-8", errors="replace")
    own = urlsplit(r.url).hostname
    external = [(attrs, src) for attrs, src in SCRIPT_SRC.findall(html)
                if urlsplit(src).hostname not in (None, own)]
    if not external:
        return "sri-not-implemented-but-no-scripts-loaded", 0
    insecure = any(src.startswith("http:") for _, src in external)
    with_sri = all("integrity" in attrs.lower() for attrs, _ in external)
    if with_sri and not insecure:
        return "sri-implemented-and-external-scripts-loaded-securely", 5
    if with_sri:
        return "sri-implemented-but-external-scripts-not-loaded-securely", -20
    if insecure:
        return "sri-not-implemented-and-external-scripts-not-loaded-securely", -50
    return "sri-not-implemented-but-external-scripts-loaded-securely", -5


def test_xcto(r: HttpExchange) -> tuple[str, int]:
    value = r.header("x-content-type-options")
    if value is None:
        return "x-content-type-options-not-implemented", -5
    return ("x-content-type-options-nosniff", 0) if value.strip().lower() == "nosniff" else (
        "x-content-type-options-header-invalid", -5)


def test_xfo(r: HttpExchange) -> tuple[str, int]:
    csp = r.header_all("content-security-policy")
    if csp and "frame-ancestors" in parse_csp(csp[0]):
        return "x-frame-options-implemented-via-csp", 5
    value = r.header("x-frame-options")
    if value is None:
        return "x-frame-options-not-implemented", -20
    token = value[:1024].strip().lower()
    if token in ("deny", "sameorigin"):
        return "x-frame-options-sameorigin-or-deny", 0
    if token.startswith("allow-from"):  # obsolete in browsers, but the Observatory passes it without penalty
        return "x-frame-options-allow-from-origin", 0
    return "x-frame-options-header-invalid", -20


def _simple(r: HttpExchange, header: str, prefix: str, good: set[str], neutral: set[str]) -> tuple[str, int]:
    value = r.header(header)
    if value is None:
        return f"{prefix}-not-implemented", 0
    token = value.split(";")[0].strip().lower()
    if token in good:
        return f"{prefix}-implemented-with-{token}", 10
    if token in neutral:
        return f"{prefix}-implemented-with-{token}", 0
    return f"{prefix}-header-invalid", -5


def run_tests(facts: HttpFacts) -> dict[str, tuple[str, int]]:
    r = facts.main.final
    hsts = test_hsts(r, facts)
    return {
        "content-security-policy": test_csp(r),
        "cookies": test_cookies(r, hsts[1] == 0),
        "cross-origin-resource-sharing": test_cors(facts),
        "redirection": test_redirection(facts),
        "referrer-policy": test_referrer(r),
        "strict-transport-security": hsts,
        "subresource-integrity": test_sri(r),
        "x-content-type-options": test_xcto(r),
        "x-frame-options": test_xfo(r),
        "cross-origin-resource-policy": _simple(r, "cross-origin-resource-policy", "corp",
                                                {"same-origin", "same-site"}, {"cross-origin"}),
        # reported, but unscored: the Observatory's score table (grader/charts.js) has no COOP/COEP modifiers
        "cross-origin-opener-policy": _unscored(_simple(r, "cross-origin-opener-policy", "coop",
                                                        {"same-origin", "same-origin-allow-popups",
                                                         "noopener-allow-popups"}, {"unsafe-none"})),
        "cross-origin-embedder-policy": _unscored(_simple(r, "cross-origin-embedder-policy", "coep",
                                                          {"require-corp", "credentialless"}, {"unsafe-none"})),
    }


def _unscored(result: tuple[str, int]) -> tuple[str, int]:
    return result[0], 0


def score(tests: dict[str, tuple[str, int]]) -> tuple[int, str]:
    penalties = sum(m for _, m in tests.values() if m < 0)
    bonuses = sum(m for _, m in tests.values() if m > 0)
    total = 100 + penalties
    if total >= 90:
        total += bonuses
    total = max(0, total - total % 5)
    return total, grade_for(total)

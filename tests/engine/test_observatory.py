"""http.headers: Observatory v6 scoring from hand-built responses, and one real server with every header."""

from __future__ import annotations

import pytest

from tests.engine.conftest import by_id, scan_local
from tests.engine.servers import Site, serve, server_context
from vendorvet.engine.checks.http._observatory import grade_for, run_tests, score
from vendorvet.engine.facts import Fetch, HttpExchange, HttpFacts

URL = "https://api.vendor.example/"
HARDENED = [
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("Strict-Transport-Security", "max-age=63072000; includeSubDomains"),
    ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Resource-Policy", "same-origin"), ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Embedder-Policy", "require-corp"),
    ("Set-Cookie", "sessionid=abc; Secure; HttpOnly; SameSite=Lax"),
]


def facts_with(headers, plain=None, body=b"{}", verified=True) -> HttpFacts:
    response = HttpExchange("GET", URL, 200, tuple((k.lower(), v) for k, v in headers), body)
    return HttpFacts(base_url=URL.rstrip("/"), main=Fetch(URL, (response,)), plain=plain,
                     cors_probe=Fetch(URL, (response,)), probe_origin="https://probe.example", tls_verified=verified)


def test_grade_chart():
    assert [grade_for(s) for s in (135, 100, 95, 85, 80, 75, 65, 60, 55, 45, 40, 30, 25, 20, 0)] == [
        "A+", "A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F", "F"]


def test_hardened_response_earns_bonuses():
    tests = run_tests(facts_with(HARDENED))
    assert tests["content-security-policy"] == ("csp-implemented-with-no-unsafe-default-src-none", 10)
    assert tests["x-frame-options"] == ("x-frame-options-implemented-via-csp", 5)
    assert tests["cookies"][1] == 5
    total, grade = score(tests)
    # CSP +10, XFO via CSP +5, cookies +5, Referrer-Policy +5, CORP +10; COOP/COEP are not scored
    assert total == 100 + 10 + 5 + 5 + 5 + 10 and grade == "A+"


def test_bare_api_response():
    tests = run_tests(facts_with([]))
    assert tests["content-security-policy"] == ("csp-not-implemented", -25)
    assert tests["strict-transport-security"] == ("hsts-not-implemented", -20)
    assert tests["x-frame-options"] == ("x-frame-options-not-implemented", -20)
    assert tests["x-content-type-options"] == ("x-content-type-options-not-implemented", -5)
    assert tests["subresource-integrity"] == ("sri-not-implemented-response-not-html", 0)
    assert score(tests) == (30, "D")


@pytest.mark.parametrize("headers, test, expected", [
    ([("Content-Security-Policy", "script-src 'self' 'unsafe-inline'")], "content-security-policy", -20),
    ([("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-eval'")], "content-security-policy",
     -10),
    # no object-src and no default-src: objects from anywhere, which the Observatory counts as unsafe
    ([("Content-Security-Policy", "script-src 'self' 'unsafe-eval'")], "content-security-policy", -20),
    ([("Content-Security-Policy", "default-src 'self'; img-src http://cdn.example")], "content-security-policy", -10),
    ([("Content-Security-Policy-Report-Only", "default-src 'none'")], "content-security-policy", -25),
    ([("Set-Cookie", "sessionid=1; HttpOnly")], "cookies", -40),
    ([("Set-Cookie", "sessionid=1; Secure")], "cookies", -30),
    ([("Set-Cookie", "pref=1; Secure; SameSite=Bogus")], "cookies", -20),
    ([("Referrer-Policy", "unsafe-url")], "referrer-policy", -5),
    ([("Referrer-Policy", "unsafe-url, strict-origin-when-cross-origin")], "referrer-policy", 5),
    ([("Strict-Transport-Security", "max-age=300")], "strict-transport-security", -10),
    ([("X-Frame-Options", "ALLOW-FROM x")], "x-frame-options", 0),  # the Observatory passes ALLOW-FROM
    ([("X-Frame-Options", "bogus")], "x-frame-options", -20),
    ([("Cross-Origin-Opener-Policy", "bogus")], "cross-origin-opener-policy", 0),  # COOP is not scored
    ([("Cross-Origin-Resource-Policy", "bogus")], "cross-origin-resource-policy", -5),
])
def test_single_modifiers(headers, test, expected):
    assert run_tests(facts_with(headers))[test][1] == expected


def test_sri_for_html_pages():
    html = b'<script src="https://cdn.example/a.js"></script><script src="/own.js"></script>'
    tests = run_tests(facts_with([("Content-Type", "text/html")], body=html))
    assert tests["subresource-integrity"] == ("sri-not-implemented-but-external-scripts-loaded-securely", -5)
    html = b'<script src="http://cdn.example/a.js"></script>'
    assert run_tests(facts_with([("Content-Type", "text/html")], body=html))["subresource-integrity"][1] == -50


def test_redirection_modifiers():
    http_200 = HttpExchange("GET", "http://api.vendor.example/", 200, ())
    assert run_tests(facts_with([], plain=Fetch("http://api.vendor.example/", (http_200,))))["redirection"][1] == -20
    hop = HttpExchange("GET", "http://api.vendor.example/", 301, (("location", "http://www.vendor.example/"),))
    https = HttpExchange("GET", "https://www.vendor.example/", 200, ())
    www = HttpExchange("GET", "http://www.vendor.example/", 301, (("location", "https://www.vendor.example/"),))
    plain = Fetch("http://api.vendor.example/", (hop, www, https))
    assert run_tests(facts_with([], plain=plain))["redirection"] == ("redirection-not-to-https-on-initial-redirection",
                                                                       -10)


def test_real_server_scored_in_the_grade(pki):
    with serve(Site(default=(200, HARDENED, b"{}")), context=server_context(*pki.good)) as (port, _):
        result = scan_local(port, ca_file=pki.ca_pem, checks=["tls", "http.headers"])
    finding = by_id(result)["http.headers"]
    assert finding.status.value == "pass" and finding.evidence["grade"] == "A+"
    assert finding.evidence["tests"]["x-content-type-options"]["result"] == "x-content-type-options-nosniff"
    assert not any("header score" in d.reason for d in result.deductions)  # 100/100: nothing deducted
    with serve(Site(default=(200, [], b"{}")), context=server_context(*pki.good)) as (port, _):
        bare = scan_local(port, ca_file=pki.ca_pem, checks=["tls", "http.headers"])
    assert by_id(bare)["http.headers"].status.value == "fail"
    assert any("HTTP header score 30/100" in d.reason for d in bare.deductions)
    assert bare.score < result.score


def _csp(policy):
    return [("Strict-Transport-Security", "max-age=31536000"), ("Content-Security-Policy", policy)]


CSP_CASES = [
    ("default-src 'self'; script-src 'strict-dynamic'", "csp-header-invalid", -25, 75),
    ("default-src 'self'; script-src 'strict-dynamic' 'nonce-r4nd0m' https: 'unsafe-inline'",
     "csp-implemented-with-no-unsafe", 5, 105),
    ("default-src 'self'; script-src 'self' 'sha256-abc' 'unsafe-inline'", "csp-implemented-with-no-unsafe", 5, 105),
    ("default-src 'self'; script-src 'self' 'unsafe-inline'", "csp-implemented-with-unsafe-inline", -20, 80),
    ("default-src 'self'; object-src https:", "csp-implemented-with-unsafe-inline", -20, 80),
    ("default-src 'self'; connect-src http://api.example", "csp-implemented-with-insecure-scheme", -20, 80),
    ("default-src 'self'; style-src 'self' 'unsafe-eval'", "csp-implemented-with-unsafe-eval", -10, 90),
    ("default-src 'self'; img-src http://cdn.example; media-src 'self'",
     "csp-implemented-with-insecure-scheme-in-passive-content-only", -10, 90),
    ("default-src 'self'; style-src 'self' data:", "csp-implemented-with-unsafe-inline-in-style-src-only", 0, 100),
    ("default-src 'none'", "csp-implemented-with-no-unsafe-default-src-none", 10, 110),
    ("default-src 'none' 'self'", "csp-implemented-with-no-unsafe", 5, 105),
]


@pytest.mark.parametrize("policy, result, modifier, total", CSP_CASES)
def test_observatory_csp_table(policy, result, modifier, total):
    tests = run_tests(facts_with(_csp(policy) + [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY")]))
    assert tests["content-security-policy"] == (result, modifier)
    assert score(tests)[0] == total


COOKIE_CASES = [
    ("sessionid=1; Secure; HttpOnly; SameSite=Lax", "cookies-secure-with-httponly-sessions-and-samesite", 5),
    ("sessionid=1; Secure; HttpOnly", "cookies-secure-with-httponly-sessions", 0),
    ("tracking=1; SameSite=None", "cookies-samesite-flag-invalid", -20),  # None without Secure
    ("tracking=1; Secure; SameSite", "cookies-samesite-flag-invalid", -20),  # SameSite without a value
    ("tracking=1; SameSite=Lax", "cookies-without-secure-flag-but-protected-by-hsts", -5),
    ("csrftoken=1; Secure", "cookies-anticsrf-without-samesite-flag", -20),
    ("user_login=1; Secure", "cookies-session-without-httponly-flag", -30),
    ("PHPSESSID=1; HttpOnly", "cookies-session-without-secure-flag-but-protected-by-hsts", -10),
    ("auth_token=1", "cookies-without-secure-flag-but-protected-by-hsts", -5),  # not a session name to it
    ("heroku-session-affinity=1", "cookies-not-found", 0),
]


@pytest.mark.parametrize("cookie, result, modifier", COOKIE_CASES)
def test_observatory_cookie_table(cookie, result, modifier):
    tests = run_tests(facts_with([("Strict-Transport-Security", "max-age=31536000"), ("Set-Cookie", cookie)]))
    assert tests["cookies"] == (result, modifier)


def test_session_cookie_without_hsts_is_worst():
    tests = run_tests(facts_with([("Set-Cookie", "sessionid=1"), ("Set-Cookie", "pref=1; Secure")]))
    assert tests["cookies"] == ("cookies-session-without-secure-flag", -40)


BASE = [("Content-Security-Policy", "default-src 'self'"), ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY")]


# Our own header sets with the score the Observatory's rules give them (100 − penalties; bonuses only at ≥ 90;
# floored to a multiple of 5). BASE alone: CSP no unsafe +5 → with HSTS 105.
@pytest.mark.parametrize("headers, verified, expected_test, expected_score", [
    ([("Strict-Transport-Security", "max-age=31536000")], True,
     ("strict-transport-security", "hsts-implemented-max-age-at-least-six-months", 0), 105),
    ([("Strict-Transport-Security", "max-age=15552000")], True,  # 180 days: the Observatory's "six months"
     ("strict-transport-security", "hsts-implemented-max-age-at-least-six-months", 0), 105),
    ([("Strict-Transport-Security", "max-age=15551999; preload")], True,
     ("strict-transport-security", "hsts-implemented-max-age-less-than-six-months", -10), 95),
    ([("Strict-Transport-Security", "max-age=31536000, max-age=0")], True,  # set twice
     ("strict-transport-security", "hsts-header-invalid", -20), 80),
    ([("Strict-Transport-Security", "includeSubDomains")], True,
     ("strict-transport-security", "hsts-header-invalid", -20), 80),
    ([("Strict-Transport-Security", "max-age=\"31536000\"")], True,  # not a leading number: not "less than"
     ("strict-transport-security", "hsts-implemented-max-age-at-least-six-months", 0), 105),
    ([("Strict-Transport-Security", "max-age=31536000")], False,  # a bad chain beats a good header
     ("strict-transport-security", "hsts-invalid-cert", -20), 80),
    ([("Strict-Transport-Security", "max-age=31536000"), ("X-Frame-Options", "ALLOW-FROM https://a.example")],
     True, ("x-frame-options", "x-frame-options-allow-from-origin", 0), 105),
    ([("Strict-Transport-Security", "max-age=31536000"), ("X-Frame-Options", "ALLOWALL")], True,
     ("x-frame-options", "x-frame-options-header-invalid", -20), 80),
    ([("Strict-Transport-Security", "max-age=31536000"), ("Cross-Origin-Opener-Policy", "same-origin"),
      ("Cross-Origin-Embedder-Policy", "require-corp")], True,
     ("cross-origin-opener-policy", "coop-implemented-with-same-origin", 0), 105),
    ([("Strict-Transport-Security", "max-age=31536000"), ("Cross-Origin-Resource-Policy", "same-site")], True,
     ("cross-origin-resource-policy", "corp-implemented-with-same-site", 10), 115),
])
def test_observatory_table(headers, verified, expected_test, expected_score):
    merged = dict(BASE)
    merged.update(dict(headers))
    tests = run_tests(facts_with(list(merged.items()), verified=verified))
    name, result, modifier = expected_test
    assert tests[name] == (result, modifier)
    assert score(tests)[0] == expected_score

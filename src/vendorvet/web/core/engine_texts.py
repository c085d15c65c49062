"""German for the sentences the engine stores in English: the lines behind a scan grade (``engine.scoring``)
and the reasons of its grade caps. The engine stays free of languages; each pattern here names the English
form it produces and gives the msgid of its German text (the global catalogue). Used only through
:func:`vendorvet.web.core.texts.engine_text`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.translation import gettext, gettext_noop as N_


def _key_why(why: str) -> str:
    for pattern, msgid in (
        (r"(RSA|DSA|EC) (\d+)-bit certificate key", N_("%(type)s certificate key of %(bits)s bits")),
        (r"(DH|EC) group of (\d+) bits", N_("%(type)s group of %(bits)s bits")),
    ):
        m = re.fullmatch(pattern, why)
        if m:
            return gettext(msgid) % {"type": m.group(1), "bits": m.group(2)}
    return why


# (regex of the English line, msgid of the German, how to turn the groups into parameters)
_LINES: list[tuple[str, str, tuple[str, ...]]] = [
    (r"no protocol or cipher suite could be negotiated", N_("no protocol or cipher suite could be negotiated"), ()),
    (r"protocol support (\d+)/100 \(best (.+), worst (.+)\)",
     N_("protocol support %(points)s/100 (best %(best)s, worst %(worst)s)"), ("points", "best", "worst")),
    (r"key exchange (\d+)/100 \((.+)\)", N_("key exchange %(points)s/100 (%(why)s)"), ("points", "why")),
    (r"cipher strength (\d+)/100 \(strongest (\d+), weakest (\d+) bits\)",
     N_("cipher strength %(points)s/100 (strongest %(strongest)s, weakest %(weakest)s bits)"),
     ("points", "strongest", "weakest")),
    (r"a category scored 0 \(SSL 2\.0 or a cipher without encryption\): TLS score is 0",
     N_("a category scored 0 (SSL 2.0 or a cipher without encryption): TLS score is 0"), ()),
    (r"HTTP header score (\d+)/100 \(Mozilla Observatory v6\)",
     N_("HTTP header score %(points)s/100 (Mozilla Observatory v6)"), ("points",)),
    (r"HTTP header score unavailable: the overall score is the TLS score alone",
     N_("HTTP header score unavailable: the overall score is the TLS score alone"), ()),
    (r"capped at ([A-FTM]): (.+)", N_("capped at %(grade)s: %(reason)s"), ("grade", "reason")),
    (r"no grade: TLS could not be scanned \((.+)\)", N_("no grade: TLS could not be scanned (%(why)s)"), ("why",)),
    (r"key exchange of (\d+) bits( \(< 2048\))?", N_("key exchange of %(bits)s bits%(note)s"), ("bits", "note")),
    (r"legacy protocol versions offered: (.+)", N_("legacy protocol versions offered: %(versions)s"),
     ("versions",)),
    (r"(\w+) certificate signature", N_("%(hash)s certificate signature"), ("hash",)),
    # the SSRF guard (engine.net) as the web application meets it: the operator's policy, no tenant switch
    (r"Not scanned: (.+)", N_("Not scanned: %(reason)s"), ("reason",)),
    (r"refused by the SSRF guard: (.+?) → (.+); only the operator can allow internal address ranges "
     r"\(loopback and cloud metadata services never\)",
     N_("refused by the SSRF guard: %(host)s → %(address)s; only the operator can allow internal address ranges "
        "(setting VENDORVET_SCAN_ALLOW_NETWORKS; loopback and cloud metadata services never)"), ("host", "address")),
    (r"refused by the SSRF guard: (.+?) → (.+); use --allow-private to scan internal systems deliberately",
     N_("refused by the SSRF guard: %(host)s → %(address)s; only the operator can allow internal address ranges "
        "(setting VENDORVET_SCAN_ALLOW_NETWORKS; loopback and cloud metadata services never)"), ("host", "address")),
    (r"IPv6 address embedding (\S+): (.+)", N_("IPv6 address embedding %(inner)s: %(address)s"),
     ("inner", "address")),
    (r"([0-9a-fA-F:.]+|'[^']*') is (.+)", N_("%(ip)s: %(range)s"), ("ip", "range")),
    # discovery import warnings (engine.discovery): "<file> line 7: …" / "<file> record 3: …"
    (r"(.+) line (\d+): (.+)", N_("%(file)s line %(line)s: %(problem)s"), ("file", "line", "problem")),
    (r"(.+) record (\d+): (.+)", N_("%(file)s record %(line)s: %(problem)s"), ("file", "line", "problem")),
    (r"not a squid access-log line", N_("not a squid access-log line"), ()),
    (r"no host in (.+)", N_("no host in %(url)s"), ("url",)),
    (r"no host column", N_("no host column"), ()),
    (r"(.+) is not a host name", N_("%(value)s is not a host name"), ("value",)),
    (r"(.+) is not a domain", N_("%(value)s is not a domain"), ("value",)),
    (r"(\d+) requests went to hosts that are not in the SaaS catalogue",
     N_("%(count)s requests went to hosts that are not in the SaaS catalogue"), ("count",)),
    (r"not a JSON object", N_("not a JSON object"), ()),
    (r"service principal without id or appId", N_("service principal without id or appId"), ()),
    (r"permission grant without clientId or resourceId", N_("permission grant without clientId or resourceId"), ()),
    (r"app role assignment without principalId or resourceId",
     N_("app role assignment without principalId or resourceId"), ()),
    (r"not a service principal, permission grant or app role assignment",
     N_("not a service principal, permission grant or app role assignment"), ()),
    (r"the (.+) listing in (.+) lacks its last page \(every page has @odata\.nextLink\); what it does not list is "
     r"not treated as revoked",
     N_("the %(what)s listing in %(files)s lacks its last page (every page has @odata.nextLink); what it does not "
        "list is not treated as revoked"), ("what", "files")),
    (r"app role (\S+) of resource (.+) could not be resolved \(export the resource's service principal with its "
     r"appRoles\)", N_("app role %(role)s of resource %(resource)s could not be resolved (export the resource's "
                       "service principal with its appRoles)"), ("role", "resource")),
    (r"(\d+) client service principal\(s\) referenced by grants are not in the export; export /servicePrincipals "
     r"too so names, publishers and reply URLs are known",
     N_("%(count)s client service principal(s) referenced by grants are not in the export; export "
        "/servicePrincipals too so names, publishers and reply URLs are known"), ("count",)),
    (r"not an activity object", N_("not an activity object"), ()),
    (r"activity without events", N_("activity without events"), ()),
    (r"malformed event", N_("malformed event"), ()),
    (r"unknown token event (.+)", N_("unknown token event %(name)s"), ("name",)),
    (r"(.+) event without client_id", N_("%(name)s event without client_id"), ("name",)),
    (r"(\d+) columns instead of (\d+)", N_("%(found)s columns instead of %(wanted)s"), ("found", "wanted")),
    (r"unknown event (.+)", N_("unknown event %(name)s"), ("name",)),
    (r"neither client ID nor app name", N_("neither client ID nor app name"), ()),
    (r"date (.+) not understood", N_("date %(value)s not understood"), ("value",)),
    (r"not a token object", N_("not a token object"), ()),
    (r"token without clientId", N_("token without clientId"), ()),
    (r"scopes is not a list", N_("scopes is not a list"), ()),
    (r"… further warnings are not listed", N_("… further warnings are not listed"), ()),
]
_WORDS = {
    "the TLS checks were not selected": N_("the TLS checks were not selected"),
    "SSL 2.0 offered": N_("SSL 2.0 offered"),
    "SSL 3.0 is the best protocol offered": N_("SSL 3.0 is the best protocol offered"),
    "no TLS 1.2 or 1.3": N_("no TLS 1.2 or 1.3"),
    "no forward secrecy": N_("no forward secrecy"),
    "export-grade or anonymous cipher suites offered": N_("export-grade or anonymous cipher suites offered"),
    "cipher suites without encryption (NULL) offered": N_("cipher suites without encryption (NULL) offered"),
    "cipher suites under 112 bits offered": N_("cipher suites under 112 bits offered"),
    "RC4 offered": N_("RC4 offered"),
    "64-bit block cipher (3DES, SWEET32) with TLS 1.1+": N_("64-bit block cipher (3DES, SWEET32) with TLS 1.1+"),
    "SHA-1 certificate signature (T: not trusted)": N_("SHA-1 certificate signature (T: not trusted)"),
    "certificate expired or not yet valid (T: not trusted)":
        N_("certificate expired or not yet valid (T: not trusted)"),
    "certificate name mismatch (M)": N_("certificate name mismatch (M)"),
    "certificate chain not trusted (T: not trusted)": N_("certificate chain not trusted (T: not trusted)"),
    "certificate chain not trusted": N_("certificate chain not trusted"),
    "certificate chain sent in the wrong order": N_("certificate chain sent in the wrong order"),
    "vulnerable to CCS injection": N_("vulnerable to CCS injection"),
    "vulnerable to ROBOT": N_("vulnerable to ROBOT"),
    "TLS compression (CRIME)": N_("TLS compression (CRIME)"),
    "vulnerable to Heartbleed": N_("vulnerable to Heartbleed"),
    " (< 2048)": N_(" (< 2048)"),
    "private (RFC 1918)": N_("private (RFC 1918)"),
    "carrier-grade NAT (RFC 6598)": N_("carrier-grade NAT (RFC 6598)"),
    "link-local": N_("link-local"),
    "unique local (private IPv6)": N_("unique local (private IPv6)"),
    "multicast": N_("multicast"),
    "IETF protocol assignments": N_("IETF protocol assignments"),
    "documentation (TEST-NET-1)": N_("documentation (TEST-NET-1)"),
    "documentation (TEST-NET-2)": N_("documentation (TEST-NET-2)"),
    "documentation (TEST-NET-3)": N_("documentation (TEST-NET-3)"),
    "documentation": N_("documentation"),
    "benchmarking": N_("benchmarking"),
    "reserved": N_("reserved"),
    "broadcast": N_("broadcast"),
    "cloud metadata service": N_("cloud metadata service"),
    "cloud metadata service (AWS IPv6)": N_("cloud metadata service (AWS IPv6)"),
    "cloud metadata service (Alibaba)": N_("cloud metadata service (Alibaba)"),
    "loopback": N_("loopback"),
    "'this host' (reaches loopback)": N_("'this host' (reaches loopback)"),
    "unspecified (reaches loopback)": N_("unspecified (reaches loopback)"),
    "not a public address (reserved range)": N_("not a public address (reserved range)"),
}


@lru_cache(maxsize=None)
def _compiled():
    return [(re.compile(pattern), msgid, names) for pattern, msgid, names in _LINES]


def translate_reason(text: str) -> str:
    """The reader's-language form of one engine line; unknown lines are returned unchanged."""
    text = text.strip()
    if text in _WORDS:
        return gettext(_WORDS[text])
    for pattern, msgid, names in _compiled():
        m = pattern.fullmatch(text)
        if not m:
            continue
        params = {}
        for name, value in zip(names, m.groups()):
            value = value or ""
            if name in ("reason", "why", "address", "range", "problem"):
                value = _key_why(value) if name == "why" and "bit" in value else translate_reason(value)
            elif name == "note" and value:
                value = gettext(_WORDS[value])
            params[name] = value
        return gettext(msgid) % params
    return text


# ----------------------------------------------------------------------------- stored gettext output
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@lru_cache(maxsize=8)
def _patterns(language: str) -> dict[str, list[tuple[re.Pattern, str, list[str]]]]:
    """(regex, msgid, parameter names) of every catalogue msgid with named parameters, longest first, by the
    first three characters of the msgid ("" for a msgid that starts with a parameter)."""
    from django.utils.translation import trans_real

    catalog = trans_real.translation(language)._catalog
    out = []
    for msgid in list(catalog.keys()):
        if not isinstance(msgid, str) or "%(" not in msgid or len(msgid) < 8:
            continue
        names = _PLACEHOLDER.findall(msgid)
        parts = _PLACEHOLDER.split(msgid)[::2]
        if not names or len(parts) != len(names) + 1 or not any(p.strip() for p in parts):
            continue
        regex = "".join(re.escape(p) + ("(.+?)" if i < len(names) else "") for i, p in enumerate(parts))
        out.append((re.compile(regex, re.S), msgid, names, max(parts, key=len)))
    out.sort(key=lambda item: -len(item[1]))
    by_start: dict[str, list] = {}
    for item in out:
        start = item[1].split("%(", 1)[0][:3]
        by_start.setdefault(start if len(start) == 3 else "", []).append(item)
    return by_start


def retranslate(text: str, depth: int = 0) -> str:
    """A text some earlier request or background job stored after translating it into English (e.g. the
    evidence an assessor saw), translated again into the active language: the msgid whose English form it is
    (its parameters likewise); a text that is no msgid's English form is returned unchanged."""
    from django.utils.translation import get_language

    if not text or depth > 2:
        return text
    direct = gettext(text)
    if direct != text:
        return direct
    language = get_language() or "en"
    if not language.startswith("de"):
        return text
    titled = _check_title(text)
    if titled != text:
        return titled
    patterns = _patterns(language)
    for regex, msgid, names, literal in patterns.get(text[:3], []) + patterns.get("", []):
        if literal not in text:  # cheap: the msgid's longest fixed part must be there
            continue
        m = regex.fullmatch(text)
        if m is None:
            continue
        params = {name: retranslate(value, depth + 1) for name, value in zip(names, m.groups())}
        try:
            return gettext(msgid) % params
        except (KeyError, ValueError, TypeError):
            return text
    return text


@lru_cache(maxsize=1)
def _check_ids_by_title() -> dict[str, str]:
    from vendorvet.web.core import checktexts

    return {checktexts.english_text(check_id, "title"): check_id for check_id in checktexts.german_texts()}


def _check_title(text: str) -> str:
    """An engine check's English title (alone, or followed by " (where)" / " — where") in the reader's language."""
    from vendorvet.web.core.checktexts import check_text

    for sep in ("", " (", " — ", ": "):
        head, found, tail = text.partition(sep) if sep else (text, "", "")
        check_id = _check_ids_by_title().get(head)
        if check_id and (found or not sep):
            return check_text(check_id, "title") + found + tail
    return text

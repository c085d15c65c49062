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
            if name in ("reason", "why"):
                value = _key_why(value) if name == "why" and "bit" in value else translate_reason(value)
            elif name == "note" and value:
                value = gettext(_WORDS[value])
            params[name] = value
        return gettext(msgid) % params
    return text

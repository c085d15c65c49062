"""Checks every download response of generated or uploaded tenant documents must pass (core/downloads.py)."""

from __future__ import annotations

import re
from urllib.parse import unquote

PARAM = re.compile(r';\s*([\w*]+)="?((?<=")[^"]*|[^;]*)"?')


def disposition_names(value: str) -> tuple[str, str, str | None]:
    """(type, ``filename``, decoded ``filename*`` or None) of a Content-Disposition value (RFC 6266)."""
    kind, _sep, rest = value.partition(";")
    params = {k.lower(): v for k, v in PARAM.findall(";" + rest)}
    extended = params.get("filename*")
    if extended is not None:
        charset, _lang, encoded = extended.split("'", 2)
        assert charset.upper() == "UTF-8", value
        extended = unquote(encoded, encoding="utf-8", errors="strict")
    return kind.strip(), params["filename"], extended


def assert_download(response, content_type: str | None = None) -> str:
    """The response is an attachment, never sniffed, never cached; returns the file name a browser saves."""
    kind, fallback, extended = disposition_names(response["Content-Disposition"])
    assert kind == "attachment", response["Content-Disposition"]
    assert fallback.isascii() and not set(fallback) & set('"\\;/'), fallback
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    if content_type is not None:
        assert response["Content-Type"] == content_type
    return extended if extended is not None else fallback

"""Documents the app generates (reports, registers, exports, templates) handed out as downloads.

Every such response is an attachment with a file name by RFC 6266: a plain ASCII ``filename="…"`` every
client understands, and — when the real name has other characters, such as the umlauts of "Prüfbericht" —
``filename*=UTF-8''…`` (RFC 5987) with the exact name, which browsers prefer. The content is tenant data, so it
is never sniffed into another type and never kept in a cache. Uploaded files go through
:func:`vendorvet.web.core.uploads.download_response`, which uses the same header and adds a sandbox.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable
from urllib.parse import quote

from django.http import FileResponse, HttpResponse, HttpResponseBase, StreamingHttpResponse

GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
# what is left in the ASCII name: letters, digits and a few harmless marks (no quotes, backslashes, semicolons)
ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9._\-+()\[\] ,&]")
# RFC 5987 attr-char besides letters and digits (quote() keeps "_.-~" and letters/digits anyway)
ATTR_CHARS = "!#$&+^`|"


def clean_name(filename: str, default: str = "download") -> str:
    """The last path component, NFC, without control characters; ``default`` if nothing is left."""
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name or default


def ascii_name(filename: str) -> str:
    """The name for clients without RFC 5987: German letters spelled out ("Prüfbericht" → "Pruefbericht"),
    other accents dropped, anything else unsafe in a quoted header value replaced by ``_``."""
    name = unicodedata.normalize("NFKD", clean_name(filename).translate(GERMAN))
    name = "".join(ch for ch in name if not unicodedata.combining(ch))
    name = ASCII_UNSAFE.sub("_", name.encode("ascii", "replace").decode("ascii").replace("?", "_"))
    return name.strip(" .") or "download"


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """``attachment; filename="…"`` and, when the name is not plain ASCII, ``; filename*=UTF-8''…``."""
    name, fallback = clean_name(filename), ascii_name(filename)
    value = f'{disposition}; filename="{fallback}"'
    if fallback != name:
        value += f"; filename*=UTF-8''{quote(name, safe=ATTR_CHARS)}"
    return value


def as_attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    """Mark a response carrying a generated document as a download named ``filename`` (no sniffing, no cache)."""
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def attachment(content: bytes | str | Iterable[bytes] | Iterable[str], filename: str,
               content_type: str) -> HttpResponseBase:
    """A download of generated content: bytes or text as one response; an open file (``read``) or an iterator
    of chunks streamed."""
    if isinstance(content, (bytes, str)):
        response: HttpResponseBase = HttpResponse(content, content_type=content_type)
    elif hasattr(content, "read"):
        response = FileResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    return as_attachment(response, filename)

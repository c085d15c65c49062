"""The virus-scan hook for vendor uploads: ClamAV when the operator names a clamd socket
(``VENDORVET_CLAMD_SOCKET``, a Unix socket path, or ``host:port``), otherwise skipped — and the file record says
so. A configured scanner that cannot be reached refuses the upload (fail closed)."""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Verdict:
    clean: bool
    note: str


def _connect(where: str) -> socket.socket:
    if where.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(30)
        sock.connect(where)
        return sock
    host, _sep, port = where.rpartition(":")
    return socket.create_connection((host or "127.0.0.1", int(port)), timeout=30)


def instream(where: str, chunks) -> str:
    """clamd's INSTREAM command: the reply line, e.g. ``stream: OK`` or ``stream: Eicar-Signature FOUND``."""
    with _connect(where) as sock:
        sock.sendall(b"zINSTREAM\0")
        for chunk in chunks:
            sock.sendall(struct.pack("!L", len(chunk)) + chunk)
        sock.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0"):
            data = sock.recv(4096)
            if not data:
                break
            reply += data
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan(upload) -> Verdict:
    where = getattr(settings, "VENDORVET_CLAMD_SOCKET", "") or ""
    if not where:
        return Verdict(True, _("not scanned for viruses: no virus scanner is configured"))
    upload.seek(0)
    try:
        reply = instream(where, upload.chunks())
    except (OSError, ValueError):
        return Verdict(False, _("The virus scanner could not be reached; the file was not accepted."))
    finally:
        upload.seek(0)
    if reply.endswith("OK"):
        return Verdict(True, _("scanned by ClamAV: no virus found"))
    if reply.endswith("FOUND"):
        return Verdict(False, _("The virus scanner found a threat (%(name)s); the file was not accepted.")
                       % {"name": reply.split(":", 1)[-1].replace("FOUND", "").strip()})
    return Verdict(False, _("The virus scanner could not check the file; it was not accepted."))

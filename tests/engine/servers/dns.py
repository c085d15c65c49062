"""A loopback authoritative-style DNS server for tests, built on dnspython's message classes.

``records`` maps ``(name, type)`` to a list of rdata strings; names without records answer
NXDOMAIN unless some record exists below them (then NOERROR/empty, like a real zone).
``ad=True`` sets the AD flag on answers, as a validating resolver would. ``silent`` names never
get an answer (to test timeouts).
"""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager
from typing import Iterator

import dns.flags
import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset


@contextmanager
def dns_server(records: dict[tuple[str, str], list[str]], *, ad: bool = False,
               silent: set[str] = frozenset(), log: list | None = None) -> Iterator[int]:
    zone = {(name.lower().rstrip(".") + ".", rdtype.upper()): values for (name, rdtype), values in records.items()}
    names = {name for name, _ in zone}
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.1)
    stop = threading.Event()

    def answer(wire: bytes) -> bytes | None:
        query = dns.message.from_wire(wire)
        response = dns.message.make_response(query)
        question = query.question[0]
        name, rdtype = question.name.to_text().lower(), dns.rdatatype.to_text(question.rdtype)
        if log is not None:  # every question asked, for tests that prove no query was sent
            log.append((name.rstrip("."), rdtype))
        if name.rstrip(".") in silent:
            return None
        values = zone.get((name, rdtype))
        if values:
            response.answer.append(dns.rrset.from_text_list(question.name, 300, dns.rdataclass.IN, rdtype, values))
        elif not any(n == name or n.endswith("." + name) for n in names):
            response.set_rcode(dns.rcode.NXDOMAIN)
        response.flags |= dns.flags.AA
        if ad:
            response.flags |= dns.flags.AD
        return response.to_wire()

    def loop() -> None:
        while not stop.is_set():
            try:
                wire, addr = sock.recvfrom(4096)
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            try:
                reply = answer(wire)
            except Exception:  # malformed query: drop, like a real server would
                continue
            if reply is not None:
                sock.sendto(reply, addr)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        sock.close()

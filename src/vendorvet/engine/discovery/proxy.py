"""Proxy and DNS logs: squid native access log, CSV with a host/URL column, or a plain list of domains.

Every host is matched against the SaaS catalogue (a host matches a catalogue domain or any subdomain of it);
hits, bytes, distinct clients and first/last seen are counted per service. Squid's native format:
``time elapsed client code/status bytes method URL user hierarchy/from type`` (CONNECT lines carry host:port).
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from vendorvet.engine import csvreader
from vendorvet.engine.discovery import catalogue
from vendorvet.engine.discovery.errors import DiscoveryInputError
from vendorvet.engine.discovery.files import DEFAULT_MAX_BYTES, decode_guard, open_text
from vendorvet.engine.discovery.model import DiscoveryResult, iso
from vendorvet.engine.discovery.times import parse_time

PLATFORM = "web"
MAX_CLIENTS = 100_000  # distinct clients remembered per service (memory bound)
HOST_COLUMNS = {
    "host": ("host", "hostname", "host name", "domain", "domain name", "dest host", "destination host",
             "dst host", "server name", "sni", "query", "query name", "qname", "fqdn", "url", "uri",
             "request url", "destination", "ziel", "zielhost", "domane", "adresse"),
    "client": ("client", "client ip", "src", "source", "source ip", "src ip", "user", "username", "user name",
               "benutzer", "quelle", "client address"),
    "bytes": ("bytes", "size", "bytes sent", "bytes received", "sc bytes", "response size", "grosse"),
    "time": ("time", "timestamp", "date", "datetime", "zeit", "datum", "zeitstempel"),
}
_SQUID = re.compile(r"^\s*(\d{9,11}(?:\.\d+)?)\s+\d+\s+(\S+)\s+\S+/\d{3}\s+(\d+)\s+(\S+)\s+(\S+)(?:\s+(\S+))?")
_HOSTLIKE = re.compile(r"^[a-z0-9_*.-]+\.[a-z0-9-]{2,}\.?$", re.I)


def host_of(text: str) -> str:
    text = text.strip().strip('"').lower()
    if not text:
        return ""
    if "://" in text:
        try:
            return (urlsplit(text).hostname or "").rstrip(".")
        except ValueError:
            return ""
    host = text.split("/", 1)[0]
    if host.startswith("["):
        return ""
    return host.rsplit(":", 1)[0].rstrip(".") if host.count(":") == 1 else host.rstrip(".")


def _rows(lines, label: str, delimiter: str):
    return csvreader.csv_rows(lines, delimiter, name=label, error=DiscoveryInputError)


def _record(result: DiscoveryResult, host: str, client: str, nbytes: int, when: str | None, unmatched: list) -> None:
    result.records += 1
    entry = catalogue.match_host(host)
    if entry is None:
        unmatched[0] += 1
        return
    app = result.app(PLATFORM, entry.key)
    if not app.name:
        app.name = entry.name
        app.catalogue_key = entry.key
    app.hits += 1
    app.bytes += nbytes
    if client and len(app.clients) < MAX_CLIENTS:
        app.clients.add(client)
    app.seen(when)


def _squid_time(text: str) -> str | None:
    try:
        return iso(dt.datetime.fromtimestamp(float(text), tz=dt.timezone.utc))
    except (ValueError, OverflowError, OSError):
        return None


@decode_guard
def _parse_file(result: DiscoveryResult, path, label: str, max_bytes: int, unmatched: list) -> None:
    with open_text(path, max_bytes=max_bytes, expected="a proxy/DNS log (squid access log, CSV or list of domains)",
                   name=label,
                   record=result.file_info) as fh:
        sample = fh.read(16384)
        fh.seek(0)
        first = next((ln for ln in sample.splitlines() if ln.strip() and not ln.startswith("#")), "")
        if first.lstrip().startswith(("{", "[")):
            raise DiscoveryInputError("this is JSON, not a proxy log (for Google or Entra exports use the "
                                      "matching importer)", file=label)
        if _SQUID.match(first):
            _parse_squid(result, fh, label, unmatched)
            return
        delimiter = csvreader.sniff_delimiter(first, lines=1)
        header = next(_rows([first], label, delimiter))[1] if first else []
        cols = csvreader.match_columns(header, HOST_COLUMNS) if len(header) > 1 or "host" in {
            csvreader.norm_header(h) for h in header} else {}
        if "host" in cols:
            _parse_csv(result, fh, label, delimiter, cols, unmatched)
            return
        _parse_list(result, fh, label, unmatched)


def _parse_squid(result: DiscoveryResult, fh, label: str, unmatched: list) -> None:
    for n, line in enumerate(fh, 1):
        if not line.strip() or line.startswith("#"):
            continue
        m = _SQUID.match(line)
        if m is None:
            result.skip(f"{label} line {n}: not a squid access-log line")
            continue
        stamp, client, nbytes, _method, url, user = m.groups()
        host = host_of(url)
        if not host:
            result.skip(f"{label} line {n}: no host in {url[:80]!r}")
            continue
        who = user if user and user != "-" else client
        _record(result, host, who, int(nbytes), _squid_time(stamp), unmatched)


def _parse_csv(result: DiscoveryResult, fh, label: str, delimiter: str, cols: dict, unmatched: list) -> None:
    it = _rows(fh, label, delimiter)
    next(it, None)  # header
    hi, ci, bi, ti = cols["host"], cols.get("client"), cols.get("bytes"), cols.get("time")
    for line, row in it:
        if not row or not any(c.strip() for c in row):
            continue
        if hi >= len(row):
            result.skip(f"{label} line {line}: no host column")
            continue
        host = host_of(row[hi])
        if not host or not _HOSTLIKE.match(host):
            result.skip(f"{label} line {line}: {row[hi][:80]!r} is not a host name")
            continue
        nbytes = 0
        if bi is not None and bi < len(row) and row[bi].strip().isdigit():
            nbytes = int(row[bi])
        when = parse_time(row[ti]) if ti is not None and ti < len(row) else None
        client = row[ci].strip() if ci is not None and ci < len(row) else ""
        _record(result, host, client, nbytes, when, unmatched)


def _parse_list(result: DiscoveryResult, fh, label: str, unmatched: list) -> None:
    bad = 0
    for n, line in enumerate(fh, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        host = host_of(text.split()[0])
        if not host or not _HOSTLIKE.match(host):
            bad += 1
            result.skip(f"{label} line {n}: {text[:80]!r} is not a domain")
            if bad >= 20 and bad * 2 > n:
                raise DiscoveryInputError("this does not look like a proxy log or a list of domains "
                                          f"({bad} of the first {n} lines are not host names)", file=label)
            continue
        _record(result, host, "", 0, None, unmatched)


def parse_proxy_logs(paths: list, *, names=None, max_bytes: int = DEFAULT_MAX_BYTES) -> DiscoveryResult:
    result = DiscoveryResult(source="proxy_log")
    unmatched = [0]
    for i, path in enumerate(paths):
        label = names[i] if names else str(path)
        result.files.append(label)
        _parse_file(result, path, label, max_bytes, unmatched)
    for app in result.apps.values():
        entry = catalogue.get(app.client_id)
        app.extra["category"] = entry.category if entry else ""
    if unmatched[0]:
        result.warn(f"{unmatched[0]} requests went to hosts that are not in the SaaS catalogue")
    return result
